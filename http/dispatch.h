#ifndef ES_DISPATCH_H
#define ES_DISPATCH_H

#include <stddef.h>

#include "http/refusal.h"
#include "http/request.h"
#include "http/router.h"

/*
 * What the program gives the dispatcher (handlers/routes.c fills it): its
 * routes, and the session check of the routes above ACCESS_DEBUG.
 */
struct dispatch_table {
	const struct route *routes;
	size_t nroutes;
	/*
	 * Lets the request through (0, with req->user set) or refuses it: an
	 * ES_E* code with the refusal set, or a database failure to map.
	 */
	int (*authenticate)(struct request *req, enum access access);
	/*
	 * The schema's constraints a request can break, and the refusal of
	 * each: a failed statement that names one is answered with it. The
	 * list ends with a NULL constraint; NULL: none.
	 */
	const struct constraint_refusal *constraints;
};

/*
 * Runs one parsed-or-not request through the router: 400 for an
 * undecodable path, 404/405, access rules, body limits and JSON parsing,
 * then the handler. A handler returns 0 once it has answered (a refusal
 * included) and a negative ES_E* only when it failed: dispatch answers
 * that one (a violated constraint as the table's constraints say, 503 with
 * Retry-After for an unavailable database, 500 logged with the request id
 * for anything unexpected). Always leaves a response in req->resp.
 */
void dispatch(struct request *req, char **envp, const struct dispatch_table *table);

#endif
