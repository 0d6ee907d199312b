#include "http/refusal.h"

#include <json-c/json.h>

#include "http/request.h"

const struct refusal refusal_invalid =
	REFUSAL(422, "validation_failed", "Some fields are not valid");

/* Adds every member of from to to. */
static void details_merge(struct json_object *to, struct json_object *from)
{
	if (!json_object_is_type(from, json_type_object))
		return;
	json_object_object_foreach(from, key, value)
		json_object_object_add(to, key, json_object_get(value));
}

int refusal_send(struct request *req, const struct refusal *r)
{
	struct json_object *d = json_object_new_object();

	if (r->field && r->reason)
		json_object_object_add(d, r->field, json_object_new_string(r->reason));
	else if (r->field)
		json_object_object_add(d, "field", json_object_new_string(r->field));
	details_merge(d, r->details);
	if (r->rule)
		json_object_object_add(d, "rule", json_object_new_string(r->rule));
	return resp_error(req, r->status, r->code, r->message, d);
}

int refusal_send_with(struct request *req, const struct refusal *base, struct json_object *details)
{
	struct refusal r = *base;

	r.details = details;
	refusal_send(req, &r);
	json_object_put(details);
	return 0;
}

static void details_put(void *details)
{
	json_object_put(details);
}

struct refusal *refusal_new(struct request *req, const struct refusal *base,
			    struct json_object *details)
{
	struct refusal *r = arena_alloc(&req->arena, sizeof(*r));

	*r = *base;
	r->details = json_object_new_object();
	arena_defer(&req->arena, details_put, r->details);
	details_merge(r->details, base->details);
	details_merge(r->details, details);
	json_object_put(details);
	return r;
}

struct refusal *refusal_add(struct refusal *r, const char *key, struct json_object *value)
{
	json_object_object_add(r->details, key, value);
	return r;
}
