#include "fcgi/validate.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fcgi/errors.h"
#include "fcgi/request.h"

size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int c = *p, need, min, i;

		if (c < 0x80) {
			p++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		for (i = 1; i <= need; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (p[i] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		p += need + 1;
	}
	return true;
}

bool date_valid(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
}

bool email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n\f\v");
}

const char *field_string(struct json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const char *field_trimmed(struct request *req, struct json_object *v)
{
	const char *s = field_string(v), *end;

	if (!s)
		return NULL;
	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	return arena_strndup(&req->arena, s, (size_t)(end - s));
}

bool field_given(const struct request *req, const char *name)
{
	return req->json && json_object_is_type(req->json, json_type_object) &&
	       json_object_object_get_ex(req->json, name, NULL);
}

static const char *type_name(enum field_type t)
{
	switch (t) {
	case FIELD_STRING: return "string";
	case FIELD_BOOL: return "boolean";
	case FIELD_INT: return "integer";
	case FIELD_OBJECT: return "object";
	case FIELD_ARRAY: return "array";
	}
	return "value";
}

static bool type_ok(struct json_object *v, enum field_type t)
{
	switch (t) {
	case FIELD_STRING: return json_object_is_type(v, json_type_string);
	case FIELD_BOOL: return json_object_is_type(v, json_type_boolean);
	case FIELD_INT: return json_object_is_type(v, json_type_int);
	case FIELD_OBJECT: return json_object_is_type(v, json_type_object);
	case FIELD_ARRAY: return json_object_is_type(v, json_type_array);
	}
	return false;
}

static int field_error(struct request *req, const char *code, const char *message,
		       const char *field, const char *expected)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "field", json_object_new_string(field));
	if (expected)
		json_object_object_add(d, "expected", json_object_new_string(expected));
	resp_error(req, 400, code, message, d);
	return ES_EINVAL;
}

/* The rule a present value breaks, or NULL. */
static const char *limit_broken(const struct field *f, struct json_object *v)
{
	if (f->type == FIELD_STRING &&
	    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return "must not contain NUL characters";
	if (f->type == FIELD_STRING && (f->min || f->max)) {
		size_t len = utf8_length(json_object_get_string(v));

		if (f->min && len < (size_t)f->min)
			return f->min == 1 ? "must not be empty" : "too short";
		if (f->max && len > (size_t)f->max)
			return "too long";
	}
	if (f->type == FIELD_INT && (f->min || f->max)) {
		int64_t x = json_object_get_int64(v);

		if (x < f->min || x > f->max)
			return "out of range";
	}
	return NULL;
}

int body_validate(struct request *req, const struct field *fields, size_t n,
		  struct json_object **values)
{
	struct json_object *details = NULL;
	size_t i;

	if (!req->json) {
		resp_error(req, 400, "body_required", "A JSON object body is required", NULL);
		return ES_EINVAL;
	}
	if (!json_object_is_type(req->json, json_type_object)) {
		resp_error(req, 400, "body_not_object", "The body must be a JSON object", NULL);
		return ES_EINVAL;
	}
	json_object_object_foreach(req->json, key, val) {
		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(fields[i].name, key))
				break;
		if (i == n)
			return field_error(req, "unknown_field", "The body has a field this route does not take",
					   key, NULL);
	}
	for (i = 0; i < n; i++) {
		struct json_object *v = NULL;
		const char *broken = NULL;

		json_object_object_get_ex(req->json, fields[i].name, &v);
		if (v && json_object_is_type(v, json_type_null))
			v = NULL;
		if (v && !type_ok(v, fields[i].type))
			return field_error(req, "wrong_type", "A field has the wrong JSON type",
					   fields[i].name, type_name(fields[i].type));
		if (!v && fields[i].required)
			broken = "required";
		else if (v)
			broken = limit_broken(&fields[i], v);
		if (broken) {
			if (!details)
				details = json_object_new_object();
			json_object_object_add(details, fields[i].name, json_object_new_string(broken));
		}
		values[i] = v;
	}
	if (details) {
		resp_error(req, 422, "validation_failed", "Some fields are not valid", details);
		return ES_EINVAL;
	}
	return 0;
}
