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
 * details {field: reason} for missing required fields, broken limits and
 * strings with an embedded NUL (\u0000: C and PostgreSQL text cannot hold it).
 * Null values count as absent. On success values[i] is the field's json
 * object or NULL. Returns 0 or ES_EINVAL.
 */
int body_validate(struct request *req, const struct field *fields, size_t n,
		  struct json_object **values);

/*
 * The same checks on any JSON object (an element of a bulk body). Sets no
 * response: returns 0, or ES_EINVAL with either bad_code and bad_field set
 * (a 400: unknown_field, wrong_type) or *details filled (a 422).
 */
int object_validate(struct json_object *obj, const struct field *fields, size_t n,
		    struct json_object **values, const char **bad_code, const char **bad_field,
		    struct json_object **details);

/* True when s (may be NULL) is one of the NULL-ended list. */
bool text_one_of(const char *s, const char *const *list);
/* Adds field: reason to *details, creating the object on first use (for a 422). */
void details_add(struct json_object **details, const char *field, const char *reason);

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

/*
 * The string value without surrounding white space (an arena copy; "" when
 * nothing else is left), or NULL when absent.
 */
const char *field_trimmed(struct request *req, struct json_object *v);
/* True when the body has the key, null included (a PATCH with null clears a field). */
bool field_given(const struct request *req, const char *name);
/* Number of UTF-8 code points in s. */
size_t utf8_length(const char *s);
/* True when s is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
bool utf8_valid(const char *s);

#endif
