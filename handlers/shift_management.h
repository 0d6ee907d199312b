#ifndef ES_HANDLERS_SHIFT_MANAGEMENT_H
#define ES_HANDLERS_SHIFT_MANAGEMENT_H

struct request;

/* GET /shifts?from=&to=&job_id=&client_id=&user_id=&limit=&offset= (what the caller may see) */
int shifts_list(struct request *req);
/* POST /shifts: one shift, by times or by date + part. */
int shifts_create(struct request *req);
/* POST /shifts/bulk {shifts:[...]}: all or none; a bad entry is a 422 naming its index. */
int shifts_create_bulk(struct request *req);
/* GET /shifts/{id} */
int shifts_get(struct request *req);
/* PATCH /shifts/{id}: a move re-checks the assignments and reports conflicts. */
int shifts_update(struct request *req);
/* DELETE /shifts/{id}: refused (409) once any time was recorded. */
int shifts_delete(struct request *req);
/* POST /shifts/{id}/assignments {user_id, role, force?}: managers, or the shift's crew chief. */
int shifts_assign(struct request *req);
/* DELETE /shifts/{id}/assignments/{user_id}/{role} */
int shifts_unassign(struct request *req);
/* GET /me/shifts?from=&to=: the caller's shifts in published weeks. */
int shifts_mine(struct request *req);

#endif
