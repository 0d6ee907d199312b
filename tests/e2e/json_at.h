#ifndef ES_E2E_JSON_AT_H
#define ES_E2E_JSON_AT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "tests/e2e/harness.h"

/*
 * Values at dotted paths of a parsed JSON answer: "error.details.name",
 * "items.0.id" (a number steps into an array). A NULL root or a missing
 * step is "none"; each reader says what it gives for none, so that CUnit's
 * asserts never receive a NULL string. Nothing here takes ownership.
 */

/* The value at path, or NULL (also when the value there is JSON null). */
struct json_object *at(struct json_object *root, const char *path);
/* The string at path; "" when there is none or it is not a string. */
const char *str_at(struct json_object *root, const char *path);
/* The number at path as an integer; -1 when there is none. */
long long int_at(struct json_object *root, const char *path);
/* The number at path; -1 when there is none. */
double num_at(struct json_object *root, const char *path);
/* The length of the array at path; -1 when there is none (tells missing from empty). */
long len_at(struct json_object *root, const char *path);
/* The length of the array at path; 0 when there is none (for loops over what may be absent). */
size_t count_at(struct json_object *root, const char *path);
/* Whether the member at path is there and is JSON null. */
bool null_at(struct json_object *root, const char *path);

/* The error detail named key (which may hold dots: "entries[1]", "default_parts.monday"); "" when none. */
const char *detail_at(struct json_object *root, const char *key);
/* Whether the error details name key, whatever its value. */
bool has_detail(struct json_object *root, const char *key);

/* The integer at path of a response's JSON body; -1 when there is none or it is not JSON. */
long long body_int_at(const struct http_res *res, const char *path);

#endif
