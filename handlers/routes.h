#ifndef ES_HANDLERS_ROUTES_H
#define ES_HANDLERS_ROUTES_H

#include <stddef.h>

#include "http/dispatch.h"

/* The API, one line per route (the test suites walk it too). */
extern const struct route routes[];
extern const size_t routes_count;

/*
 * The routes with the session check (auth_require) and the constraints'
 * refusals (handlers/constraints.c): what the workers dispatch.
 */
extern const struct dispatch_table routes_table;

#endif
