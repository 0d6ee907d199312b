#ifndef ES_HANDLERS_CONSTRAINTS_H
#define ES_HANDLERS_CONSTRAINTS_H

#include "http/refusal.h"

/*
 * The constraints of the schema a request can break and the refusal each
 * one is answered with (the route table hands them to the dispatcher).
 * The list ends with a NULL constraint.
 */
extern const struct constraint_refusal constraint_refusals[];

#endif
