#ifndef ES_ROUTER_H
#define ES_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct request;

#define ROUTE_MAX_CAPTURES 4

/* Who may call a route; the router enforces it before the handler runs. */
enum access {
	ACCESS_PUBLIC,  /* anyone */
	ACCESS_LOCAL,   /* operators: only from the web server's host (REMOTE_ADDR loopback) */
	ACCESS_DEBUG,   /* only when debug_routes is on (test suites); 404 otherwise */
	ACCESS_USER,    /* any signed-in user */
	ACCESS_EMPLOYEE,/* employees, managers, admins (not clients) */
	ACCESS_MANAGER, /* managers and admins */
	ACCESS_ADMIN,   /* admins */
};

/* A handler returns 0 after setting the response, or an ES_E* code. */
typedef int (*route_handler)(struct request *req);

struct route {
	const char *method;
	const char *pattern;    /* "/users/{id}": {name} captures one path segment */
	enum access access;
	route_handler handler;
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_METHOD_NOT_ALLOWED,
};

struct route_result {
	const struct route *route;
	size_t ncaptures;
	const char *capture_names[ROUTE_MAX_CAPTURES];  /* point into the pattern */
	size_t capture_name_lens[ROUTE_MAX_CAPTURES];
	const char *captures[ROUTE_MAX_CAPTURES];        /* point into path */
	size_t capture_lens[ROUTE_MAX_CAPTURES];
	char allow[64];   /* "GET, POST" when the path exists under other methods */
};

/*
 * Matches method and path (already decoded, without query) against the
 * table. Literal segments win over captures when two patterns match, so
 * "/users/me" can stand beside "/users/{id}".
 */
enum route_match router_match(const struct route *table, size_t n, const char *method,
			      const char *path, struct route_result *out);

#endif
