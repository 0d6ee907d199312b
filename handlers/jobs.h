#ifndef ES_HANDLERS_JOBS_H
#define ES_HANDLERS_JOBS_H

struct request;

/*
 * GET /jobs?client_id=&active=true|false&q=&limit=&offset=: {items, total},
 * ordered by name. Managers see every job; a client user only their
 * company's (a client_id of another company matches nothing); employees 403.
 */
int jobs_list(struct request *req);
/*
 * POST /jobs {client_company_id, name, description?, venue_name?,
 * venue_address?, venue_contact?, estimated_start?, estimated_end?, active?}:
 * 201 with the job, created by the caller; 422 per field, including an
 * unknown client and an end before the start.
 */
int jobs_create(struct request *req);
/* GET /jobs/{id}: the job; a client user only their company's (else 404); employees 403. */
int jobs_get(struct request *req);
/*
 * PATCH /jobs/{id}: any subset of the fields; 404; 422 as for POST; 409
 * job_has_shifts when moving a job with shifts to another client.
 */
int jobs_update(struct request *req);
/*
 * DELETE /jobs/{id}: 204 for a job without shifts; one with shifts keeps
 * its history and is deactivated instead: 200 {"deactivated":true,"job":{...}}.
 */
int jobs_delete(struct request *req);

#endif
