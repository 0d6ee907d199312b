#ifndef ES_HANDLERS_VIEWER_H
#define ES_HANDLERS_VIEWER_H

struct request;

/*
 * The caller as the visibility rules of sql/functions/16_visibility.sql
 * take it: a kind and a user id, passed as two adjacent statement
 * parameters (kind first). Managers and admins see alike: one kind.
 */
enum viewer_kind { VIEWER_MANAGER, VIEWER_EMPLOYEE, VIEWER_CLIENT };

/* The kind of the request's signed-in user. */
enum viewer_kind viewer_kind(const struct request *req);

/*
 * Sets params[0] to the kind's word ("manager", "employee", "client") and
 * params[1] to the user id (request-owned text).
 */
void viewer_params(struct request *req, const char **params);

#endif
