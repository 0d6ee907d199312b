#include "handlers/patch.h"

#include <json-c/json.h>

#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"

/* The most fields one body has. */
#define PATCH_MAX_FIELDS 16

static void doc_put(void *doc)
{
	json_object_put(doc);
}

/* The value as it is stored: trimmed text, a blank one as null. A new reference, or NULL. */
static struct json_object *stored_value(struct request *req, const struct patch_field *f,
					struct json_object *v)
{
	const char *s;

	if (!v || !f->trim)
		return json_object_get(v);
	s = field_trimmed(req, v);
	return *s ? json_object_new_string(s) : NULL;
}

int patch_doc(struct request *req, const struct patch *p, enum patch_mode mode, const char **doc)
{
	struct field fields[PATCH_MAX_FIELDS];
	struct json_object *v[PATCH_MAX_FIELDS], *d, *details = NULL;
	size_t i;

	if (p->n > PATCH_MAX_FIELDS)
		return ES_EINVAL;
	for (i = 0; i < p->n; i++) {
		fields[i] = p->fields[i].field;
		fields[i].required = fields[i].required && mode == PATCH_CREATE;
	}
	if (body_validate(req, fields, p->n, v))
		return ES_EINVAL;
	d = json_object_new_object();
	arena_defer(&req->arena, doc_put, d);
	for (i = 0; i < p->n; i++) {
		const struct patch_field *f = &p->fields[i];
		struct json_object *value;
		const char *why = NULL;

		if (!field_given(req, fields[i].name))
			continue;
		value = stored_value(req, f, v[i]);
		if (!value && f->null_keeps)
			continue;
		if (!value)
			why = f->not_null;
		else if (f->check)
			why = f->check(value);
		if (why) {
			details_add(&details, fields[i].name, why);
			json_object_put(value);
			continue;
		}
		json_object_object_add(d, fields[i].name, value);
	}
	if (p->across)
		p->across(d, &details);
	if (details) {
		refusal_send_with(req, &refusal_invalid, details);
		return ES_EINVAL;
	}
	*doc = json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN);
	return 0;
}

struct json_object *patch_value(const struct request *req, const char *name)
{
	struct json_object *v = NULL;

	if (req->json && json_object_is_type(req->json, json_type_object))
		json_object_object_get_ex(req->json, name, &v);
	return json_object_is_type(v, json_type_null) ? NULL : v;
}
