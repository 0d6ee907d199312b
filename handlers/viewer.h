#ifndef ES_HANDLERS_VIEWER_H
#define ES_HANDLERS_VIEWER_H

#include "pool/db.h"

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

/*
 * A statement that takes the viewer, prepared once per kind: the same text
 * under the names name_manager, name_employee and name_client. PostgreSQL
 * keeps plans per prepared statement, so each kind keeps the plans made for
 * it (what suits a manager's whole list does not suit a worker's few shifts).
 */
#define VIEWER_STMT(name, text)                                                                  \
	{ [VIEWER_MANAGER] = STMT(name "_manager", text),                                        \
	  [VIEWER_EMPLOYEE] = STMT(name "_employee", text),                                      \
	  [VIEWER_CLIENT] = STMT(name "_client", text) }

/* The statement of a VIEWER_STMT for the request's viewer. */
const struct stmt *viewer_stmt(const struct request *req, const struct stmt *stmts);

#endif
