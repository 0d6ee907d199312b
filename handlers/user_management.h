#ifndef ES_HANDLERS_USER_MANAGEMENT_H
#define ES_HANDLERS_USER_MANAGEMENT_H

struct request;

/* GET /users?role=&status=active|inactive|pending&q=&limit=&offset= */
int users_list(struct request *req);
/* POST /users: managers create employees and clients; admins any role. */
int users_create(struct request *req);
/* GET /users/{id}: managers any user; everyone else only themselves (else 404). */
int users_get(struct request *req);
/* PATCH /users/{id} {name, email, active, role}: role by admins only. */
int users_update(struct request *req);
/* DELETE /users/{id}: deactivates a user with history, deletes one without. */
int users_delete(struct request *req);
/* POST /users/{id}/approve and /reject: decide on a pending signup. */
int users_approve(struct request *req);
int users_reject(struct request *req);
/* PUT /users/{id}/certifications {can_crew_chief, can_forklift, can_truck} */
int users_set_certifications(struct request *req);

#endif
