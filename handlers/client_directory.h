#ifndef ES_HANDLERS_CLIENT_DIRECTORY_H
#define ES_HANDLERS_CLIENT_DIRECTORY_H

struct request;

/* GET /clients?q=&limit=&offset= (managers): {items, total}, ordered by name. */
int client_directory_list(struct request *req);
/*
 * POST /clients {name, contact_name?, contact_email?, contact_phone?}: 201
 * with the company; 422 per field; 409 client_name_taken (names are unique
 * regardless of case).
 */
int client_directory_create(struct request *req);
/*
 * GET /clients/{id}: the company with its users, job counts and its shifts
 * and hours of the last 30 days. A client user reads only their own company
 * (any other id is a 404); employees 403.
 */
int client_directory_get(struct request *req);
/* PATCH /clients/{id}: any subset of the fields; 404; 409 client_name_taken. */
int client_directory_update(struct request *req);
/*
 * DELETE /clients/{id}: 204, taking its jobs along when none of them has
 * shifts; 409 client_has_jobs when they have (history is kept), 409
 * client_has_users while client user accounts point at the company; 404.
 */
int client_directory_delete(struct request *req);
/*
 * GET /clients/analytics?from=&to= (dates, default the last 30 days in the
 * workplace time zone): the top 10 clients by jobs, by shifts and by shift
 * hours in the range; 422 when from is after to.
 */
int client_directory_analytics(struct request *req);

#endif
