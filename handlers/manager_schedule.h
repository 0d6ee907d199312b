#ifndef ES_HANDLERS_MANAGER_SCHEDULE_H
#define ES_HANDLERS_MANAGER_SCHEDULE_H

struct request;

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
