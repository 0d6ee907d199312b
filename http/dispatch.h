#ifndef ES_DISPATCH_H
#define ES_DISPATCH_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

/*
 * Runs one parsed-or-not request through the router: 400 for an
 * undecodable path, 404/405, access rules, body limits and JSON parsing,
 * then the handler; maps a handler's error code to its response (503 with
 * Retry-After for an unavailable database, 500 logged with the request id
 * for anything unexpected). Always leaves a response in req->resp.
 */
void dispatch(struct request *req, char **envp, const struct route *table, size_t n);

/* The route table of the program (handlers/routes.c). */
extern const struct route routes[];
extern const size_t routes_count;

#endif
