#ifndef ES_HANDLERS_SETTINGS_H
#define ES_HANDLERS_SETTINGS_H

struct request;

/* GET /settings: the settings document (it holds no secret); any signed-in user. */
int settings_get(struct request *req);
/*
 * PUT /settings {key: value, ...}: merges the given top-level keys over the
 * document (nested objects replace whole). Unknown keys and wrong JSON types
 * are a 400; a broken rule a 422 naming each field ("overtime.daily[1]
 * .after_hours"); the time zone must be one PostgreSQL knows. Audited with
 * the document before and after. Answers the new document.
 */
int settings_update(struct request *req);

#endif
