#ifndef ES_VALIDATE_H
#define ES_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;
struct request;

enum field_type { FIELD_STRING, FIELD_BOOL, FIELD_INT, FIELD_OBJECT, FIELD_ARRAY };

/* One field of a request body: its JSON type, whether it is required, its limits. */
struct field {
	const char *name;
	enum field_type type;
	bool required;
	long min;   /* strings: characters (code points); ints: value */
	long max;
};

/*
 * Checks req->json against fields (n of them). Refuses with the response
 * set: 400 body_required / body_not_object / unknown_field (details.field) /
 * wrong_type (details.field, details.expected); 422 validation_failed with
 * details {field: reason} for missing required fields and broken limits.
 * Null values count as absent. On success values[i] is the field's json
 * object or NULL. Returns 0 or ES_EINVAL.
 */
int body_validate(struct request *req, const struct field *fields, size_t n,
		  struct json_object **values);

/* The string value, or NULL when absent. */
const char *field_string(struct json_object *v);
/* A username: no space or control character (ASCII or Unicode). */
bool text_is_username(const char *s);
/* Roughly an email address: one @ with text on both sides, no spaces or controls. */
bool text_is_email(const char *s);
/* Non-empty, without leading or trailing spaces (names are stored trimmed). */
bool text_is_trimmed(const char *s);

/* An RFC 3339 timestamp with an offset: 2026-03-02T08:00:00Z, ...+01:00, fractions allowed. */
bool text_is_rfc3339(const char *s);
/* A calendar date YYYY-MM-DD that exists. */
bool text_is_date(const char *s);

/* Number of UTF-8 code points in s. */
size_t utf8_length(const char *s);

#endif
