#ifndef ES_HANDLERS_TIMESHEET_MANAGEMENT_H
#define ES_HANDLERS_TIMESHEET_MANAGEMENT_H

struct request;

/*
 * GET /shifts/{id}/timesheet: every assignment's entry with pairs, status,
 * state, hours, overtime, notes and `can` (what the caller may do to it).
 * Managers and the shift's crew chief see the crew, a worker their own
 * entries, a client the approved entries of their company's shifts; 404
 * for anyone else.
 */
int timesheet_get(struct request *req);
/* POST /shifts/{id}/clock {user_id, role, action: in|out}: at server time; managers, crew chief. */
int timesheet_clock(struct request *req);
/* POST /shifts/{id}/absent {user_id, role}: managers, crew chief; only while nothing is recorded. */
int timesheet_absent(struct request *req);
/* POST /shifts/{id}/end: clocks out everyone still in; answers the sheet. */
int timesheet_end(struct request *req);
/*
 * PUT /shifts/{id}/timesheet/{user_id}/{role} {pairs: [{in, out}], notes}:
 * replaces the pairs and notes; managers and the crew chief until approved,
 * the worker until submitted.
 */
int timesheet_edit(struct request *req);
/*
 * POST /shifts/{id}/timesheet/submit {user_ids?}: all of the sheet's drafts
 * (or the listed workers' entries); a worker only their own. All or none.
 */
int timesheet_submit(struct request *req);
/* POST /shifts/{id}/timesheet/approve {user_id, role}: submitted → approved (frozen). */
int timesheet_approve(struct request *req);
/* POST /shifts/{id}/timesheet/reject {user_id, role, reason}: submitted → draft. */
int timesheet_reject(struct request *req);
/*
 * GET /timesheets?status=&from=&to=&user_id=&client_id=&limit=&offset=:
 * entries with hours (managers all, clients their company's approved ones,
 * employees their own); CSV with Accept: text/csv.
 */
int timesheets_list(struct request *req);

#endif
