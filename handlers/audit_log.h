#ifndef ES_HANDLERS_AUDIT_LOG_H
#define ES_HANDLERS_AUDIT_LOG_H

struct request;

/*
 * GET /audit?entity=&entity_id=&actor_id=&from=&to=&cursor=&limit= (managers):
 * {"items": [...], "next_cursor": "..." | null}, newest first. An item is
 * {id, at, actor_id, actor_name, action, entity, entity_id, before, after,
 * request_id}; from (inclusive) and to (exclusive) are RFC 3339 times. The
 * log only grows, so it pages by cursor, not by offset and total: pass
 * next_cursor back to read on; null means the end. 422 naming a bad parameter.
 */
int audit_list(struct request *req);

#endif
