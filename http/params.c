#include "http/params.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"

static bool parse_long(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const struct refusal r_no_resource = REFUSAL(404, "not_found", "No such resource"),
			    r_no_day = REFUSAL(404, "not_found", "No such day");

int param_invalid(struct request *req, const char *field, const char *reason)
{
	const struct refusal r = INVALID(field, reason);

	return refusal_send(req, &r);
}

/* A reader's refusal of a query parameter: answered, and the reader says stop. */
static int refused(struct request *req, const char *name, const char *reason)
{
	param_invalid(req, name, reason);
	return ES_EINVAL;
}

int param_id(struct request *req, const char *name, long long *out)
{
	if (!parse_long(req_capture(req, name), 1, ID_MAX, out)) {
		refusal_send(req, &r_no_resource);
		return ES_ENOTFOUND;
	}
	return 0;
}

int param_page(struct request *req, struct page *out)
{
	const char *limit = req_query(req, "limit"), *offset = req_query(req, "offset");
	long long v;

	out->limit = PAGE_DEFAULT_LIMIT;
	out->offset = 0;
	if (limit) {
		if (!parse_long(limit, 1, PAGE_MAX_LIMIT, &v))
			return refused(req, "limit", "must be an integer from 1 to 500");
		out->limit = (long)v;
	}
	if (offset) {
		if (!parse_long(offset, 0, 100000000, &v))
			return refused(req, "offset", "must be a non-negative integer");
		out->offset = (long)v;
	}
	return 0;
}

int param_choice(struct request *req, const char *name, const char *const *choices,
		 const char **out)
{
	const char *v = req_query(req, name);
	size_t i;

	*out = NULL;
	if (!v)
		return 0;
	for (i = 0; choices[i]; i++)
		if (!strcmp(v, choices[i])) {
			*out = choices[i];
			return 0;
		}
	return refused(req, name, "not one of the accepted values");
}

int param_query_id(struct request *req, const char *name, long long *out)
{
	const char *v = req_query(req, name);

	*out = 0;
	if (v && !parse_long(v, 1, ID_MAX, out))
		return refused(req, name, "must be a positive integer id");
	return 0;
}

int param_query_bool(struct request *req, const char *name, int *out)
{
	const char *v = req_query(req, name);

	*out = -1;
	if (!v)
		return 0;
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		*out = 0;
	else
		return refused(req, name, "must be true or false");
	return 0;
}

int param_date(struct request *req, const char *name, const char **out)
{
	const char *v = req_capture(req, name);

	if (!v || !text_is_date(v)) {
		refusal_send(req, &r_no_day);
		return ES_ENOTFOUND;
	}
	*out = v;
	return 0;
}

int param_query_date(struct request *req, const char *name, const char **out)
{
	const char *v = req_query(req, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!text_is_date(v))
		return refused(req, name, "must be a date YYYY-MM-DD");
	*out = v;
	return 0;
}

int param_query_time(struct request *req, const char *name, const char **out)
{
	const char *v = req_query(req, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!text_is_rfc3339(v))
		return refused(req, name, "an RFC 3339 time with offset");
	*out = v;
	return 0;
}

int param_query_text(struct request *req, const char *name, size_t max, const char **out)
{
	static const struct refusal not_utf8 =
		REFUSAL(400, "invalid_utf8", "A query parameter is not valid UTF-8");
	const char *v = req_query(req, name), *end;

	*out = NULL;
	if (!v)
		return 0;
	if (!utf8_valid(v)) {
		refusal_send(req, refusal_add(refusal_new(req, &not_utf8, NULL), "parameter",
					      json_object_new_string(name)));
		return ES_EINVAL;
	}
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	v = arena_strndup(&req->arena, v, (size_t)(end - v));
	if (utf8_length(v) > max)
		return refused(req, name, "too long");
	*out = *v ? v : NULL;
	return 0;
}

const char *param_text(struct request *req, long long n)
{
	char *buf = arena_alloc(&req->arena, 24);

	snprintf(buf, 24, "%lld", n);
	return buf;
}
