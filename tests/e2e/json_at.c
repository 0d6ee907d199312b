#include "tests/e2e/json_at.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct json_object *at(struct json_object *root, const char *path)
{
	char key[128];
	const char *p = path;

	while (root && *p) {
		size_t n = strcspn(p, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (json_object_is_type(root, json_type_array))
			root = json_object_array_get_idx(root, (size_t)atoi(key));
		else if (!json_object_object_get_ex(root, key, &root))
			return NULL;
		p += n + (p[n] == '.');
	}
	return root;
}

const char *str_at(struct json_object *root, const char *path)
{
	struct json_object *v = at(root, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

long long int_at(struct json_object *root, const char *path)
{
	struct json_object *v = at(root, path);

	return v ? json_object_get_int64(v) : -1;
}

double num_at(struct json_object *root, const char *path)
{
	struct json_object *v = at(root, path);

	return v ? json_object_get_double(v) : -1;
}

long len_at(struct json_object *root, const char *path)
{
	struct json_object *v = at(root, path);

	return v && json_object_is_type(v, json_type_array) ? (long)json_object_array_length(v) : -1;
}

size_t count_at(struct json_object *root, const char *path)
{
	struct json_object *v = at(root, path);

	return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

bool null_at(struct json_object *root, const char *path)
{
	struct json_object *v = NULL;
	const char *dot = strrchr(path, '.');
	char parent[128];

	if (dot) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(dot - path), path);
		root = at(root, parent);
	}
	return root && json_object_object_get_ex(root, dot ? dot + 1 : path, &v) && !v;
}

const char *detail_at(struct json_object *root, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(at(root, "error.details"), key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

bool has_detail(struct json_object *root, const char *key)
{
	return json_object_object_get_ex(at(root, "error.details"), key, NULL);
}

long long body_int_at(const struct http_res *res, const char *path)
{
	struct json_object *root = body_json(res);
	long long v = int_at(root, path);

	json_object_put(root);
	return v;
}
