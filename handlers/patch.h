#ifndef ES_HANDLERS_PATCH_H
#define ES_HANDLERS_PATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "http/validate.h"

struct json_object;
struct request;

/*
 * One field of a resource's body, and how its value becomes the column of
 * the same name: a POST makes the row from the document the body becomes,
 * a PATCH replaces the columns the document names (jsonb_populate_record
 * in both), so a field absent from the body is left as it is.
 */
struct patch_field {
	struct field field;     /* as body_validate checks it; required on create only */
	bool trim;              /* text is stored trimmed, a blank one as null */
	bool null_keeps;        /* null leaves the column as it is (else null clears it) */
	const char *not_null;   /* null is refused with this reason */
	/* why a value (never null) breaks the field's rule, or NULL */
	const char *(*check)(struct json_object *value);
};

/* A resource's body: its fields, and a rule across them (NULL: none). */
struct patch {
	const struct patch_field *fields;
	size_t n;
	/* adds reasons to *details (details_add) for the document doc */
	void (*across)(struct json_object *doc, struct json_object **details);
};

enum patch_mode {
	PATCH_CREATE,   /* POST: the required fields must be there */
	PATCH_UPDATE,   /* PATCH: any subset */
};

/*
 * Validates the request's body against p (the 400s and 422s of
 * body_validate, then each field's null rule and check, then the rule
 * across fields, in one 422) and sets *doc to the document of the given
 * fields as JSON text, owned by the request. Returns 0, or ES_EINVAL once
 * the refusal is answered.
 */
int patch_doc(struct request *req, const struct patch *p, enum patch_mode mode, const char **doc);

/* The value the body gives name, or NULL when it is absent or null. */
struct json_object *patch_value(const struct request *req, const char *name);

#endif
