#include "http/validate.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"

size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* No ASCII space or control, no C1 control, none of the Unicode spaces. */
static bool no_space_or_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return false;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0xa0)
			return false;
		if (p[0] == 0xe2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8b) || p[2] == 0xa8 ||
						     p[2] == 0xa9 || p[2] == 0xaf))
			return false;
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
			return false;
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
			return false;
	}
	return true;
}

bool text_is_username(const char *s)
{
	return no_space_or_control(s);
}

bool text_is_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && at[1] && !strchr(at + 1, '@') && no_space_or_control(s);
}

bool text_is_trimmed(const char *s)
{
	size_t n = strlen(s);

	return n && s[0] != ' ' && s[n - 1] != ' ';
}

static bool digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool text_is_date(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
}

bool text_is_rfc3339(const char *s)
{
	char date[11];
	const char *p;

	if (strlen(s) < 20 || strlen(s) > 40)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!text_is_date(date) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
		return false;
	p = s + 19;
	if (*p == '.') {
		const char *f = ++p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == f || p - f > 9)
			return false;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return true;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	       p[6] == '\0' && num(p + 1, 2) <= 23 && num(p + 4, 2) <= 59;
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

bool text_one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

void details_add(struct json_object **details, const char *field, const char *reason)
{
	if (!*details)
		*details = json_object_new_object();
	json_object_object_add(*details, field, json_object_new_string(reason));
}

const char *field_string(struct json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
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

/* The rule a present value breaks, or NULL. */
static const char *limit_broken(const struct field *f, struct json_object *v)
{
	if (f->type == FIELD_STRING &&
	    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return "must not contain NUL characters";
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

int object_validate(struct json_object *obj, const struct field *fields, size_t n,
		    struct json_object **values, const char **bad_code, const char **bad_field,
		    struct json_object **details)
{
	size_t i;

	*bad_code = *bad_field = NULL;
	*details = NULL;
	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(fields[i].name, key))
				break;
		if (i == n) {
			*bad_code = "unknown_field";
			*bad_field = key;
			return ES_EINVAL;
		}
	}
	for (i = 0; i < n; i++) {
		struct json_object *v = NULL;
		const char *broken = NULL;

		json_object_object_get_ex(obj, fields[i].name, &v);
		if (v && json_object_is_type(v, json_type_null))
			v = NULL;
		if (v && !type_ok(v, fields[i].type)) {
			*bad_code = "wrong_type";
			*bad_field = fields[i].name;
			return ES_EINVAL;
		}
		if (!v && fields[i].required)
			broken = "required";
		else if (v)
			broken = limit_broken(&fields[i], v);
		if (broken) {
			if (!*details)
				*details = json_object_new_object();
			json_object_object_add(*details, fields[i].name, json_object_new_string(broken));
		}
		values[i] = v;
	}
	return *details ? ES_EINVAL : 0;
}

int body_validate(struct request *req, const struct field *fields, size_t n,
		  struct json_object **values)
{
	static const struct refusal
		no_body = REFUSAL(400, "body_required", "A JSON object body is required"),
		not_object = REFUSAL(400, "body_not_object", "The body must be a JSON object"),
		unknown = REFUSAL(400, "unknown_field", "The body has a field this route does not take"),
		wrong_type = REFUSAL(400, "wrong_type", "A field has the wrong JSON type");
	const char *code, *field;
	struct json_object *details;
	struct refusal *r;
	size_t i;

	if (!req->json || !json_object_is_type(req->json, json_type_object)) {
		refusal_send(req, req->json ? &not_object : &no_body);
		return ES_EINVAL;
	}
	if (!object_validate(req->json, fields, n, values, &code, &field, &details))
		return 0;
	if (details) {
		refusal_send_with(req, &refusal_invalid, details);
		return ES_EINVAL;
	}
	if (!strcmp(code, "unknown_field")) {
		r = refusal_new(req, &unknown, NULL);
	} else {
		r = refusal_new(req, &wrong_type, NULL);
		for (i = 0; i < n; i++)
			if (!strcmp(fields[i].name, field))
				refusal_add(r, "expected", json_object_new_string(type_name(fields[i].type)));
	}
	r->field = field;
	refusal_send(req, r);
	return ES_EINVAL;
}
