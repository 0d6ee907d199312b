#ifndef ES_HANDLERS_MANAGER_SCHEDULE_H
#define ES_HANDLERS_MANAGER_SCHEDULE_H

struct request;

/*
 * SQL shared by the week routes. A week is named by any day inside it (the
 * date parameter $1); its first day is es_week_start($1, settings.week_start).
 * SCHEDULE_WEEK_ROW is a one-row FROM item `w` with the columns of
 * schedule_weeks (all NULL but week_start while the week has no row);
 * SCHEDULE_WEEK_FIELDS are the JSON fields every week answer starts with,
 * read from such a `w`: week_start, week_end (its last day), published,
 * published_at, request_window {opens_at, closes_at, open}, preferences.
 */
#define SCHEDULE_WEEK_ROW                                                                   \
	"(SELECT ws AS week_start, sw.published, sw.published_at, sw.request_opens_at,"     \
	"        sw.request_closes_at, sw.preferences"                                      \
	"   FROM es_week_start($1::date, es_first_weekday()) AS ws"                         \
	"   LEFT JOIN schedule_weeks sw ON sw.week_start = ws) w"
#define SCHEDULE_WEEK_FIELDS                                                                \
	"'week_start', w.week_start, 'week_end', w.week_start + 6,"                         \
	" 'published', coalesce(w.published, false), 'published_at', w.published_at,"       \
	" 'request_window', json_build_object('opens_at', w.request_opens_at,"              \
	"     'closes_at', w.request_closes_at,"                                            \
	"     'open', coalesce(now() >= w.request_opens_at AND now() < w.request_closes_at, false)),"\
	" 'preferences', coalesce(w.preferences, '{}')"

/*
 * GET /schedule/weeks/{date}: the week with its shifts, assignments, fill and
 * open places. Managers and admins: any week, every shift, and the
 * availability summary. Employees: published weeks only (else 404), their
 * own shifts, listing the whole crew only on shifts they lead as crew
 * chief. Clients: published weeks only, their company's shifts.
 */
int weeks_get(struct request *req);
/* POST /schedule/weeks/{date}/publish and /unpublish (managers): the week's fields. */
int weeks_publish(struct request *req);
int weeks_unpublish(struct request *req);
/* PUT /schedule/weeks/{date}/request-window {opens_at, closes_at} (managers). */
int weeks_set_request_window(struct request *req);
/* PUT /schedule/weeks/{date}/preferences {closed_days, default_parts} (managers). */
int weeks_set_preferences(struct request *req);
/*
 * POST /schedule/weeks/{date}/copy {to, assignments?} (managers): the
 * week's shifts into another week at the same weekday and local clock
 * time, and on request the assignments that break no rule there.
 */
int weeks_copy(struct request *req);
/* GET /schedule/weeks/{date}/conflicts (managers): every assignment with the rules it breaks. */
int weeks_conflicts(struct request *req);

#endif
