/*
 * web/openapi.yaml and the router's own table (handlers/routes.c) describe
 * the same API: every route is documented, every documented operation is a
 * route. Paths in the document are full paths: the API under /api/v1, the
 * operations routes at the root; captures are {name} on both sides. The
 * test-only routes (/debug/...) stay out of both. The document's validity
 * as OpenAPI 3.1 is checked by tests/openapi/run.
 *
 * The parser reads the document's own layout: path keys indented two spaces
 * under `paths:`, operations four spaces under their path.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/routes.h"
#include "tests/lib/cu.h"

#define API_BASE "/api/v1"
#define MAX_OPS 512

/* The routes that answer at the root rather than under /api/v1. */
static const char *const root_routes[] = { "/healthz", "/readyz", "/status", NULL };

/*
 * Documented before they exist: a route being built on another branch may
 * be listed here until it lands (empty when every branch is in).
 */
static const char *const pending[] = {
	NULL,
};

/* "METHOD /pattern" with the pattern as the router spells it. */
static char *documented[MAX_OPS];
static size_t ndocumented;
static char *outside[MAX_OPS];   /* documented paths neither under /api/v1 nor root routes */
static size_t noutside;

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool documented_has(const char *op)
{
	size_t i;

	for (i = 0; i < ndocumented; i++)
		if (!strcmp(documented[i], op))
			return true;
	return false;
}

static bool is_debug(const char *pattern)
{
	return !strncmp(pattern, "/debug/", 7);
}

/* The router's pattern for a documented path, or NULL when it fits neither rule. */
static const char *router_pattern(const char *path)
{
	size_t n = strlen(API_BASE);

	if (!strncmp(path, API_BASE "/", n + 1))
		return path + n;
	return in_list(root_routes, path) ? path : NULL;
}

static void add_operation(const char *path, const char *method)
{
	const char *pattern = router_pattern(path);
	char op[600], upper[16];
	size_t i;

	for (i = 0; method[i] && i < sizeof(upper) - 1; i++)
		upper[i] = (char)(method[i] - 'a' + 'A');
	upper[i] = '\0';
	if (!pattern) {
		if (noutside < MAX_OPS)
			outside[noutside++] = strdup(path);
		return;
	}
	snprintf(op, sizeof(op), "%s %s", upper, pattern);
	if (ndocumented < MAX_OPS)
		documented[ndocumented++] = strdup(op);
}

static int load_document(void)
{
	static const char *const methods[] = { "get", "put", "post", "delete", "patch", "head",
		"options", "trace", NULL };
	const char *srcdir = getenv("srcdir");
	char file[1024], line[2048], path[512] = "";
	bool in_paths = false;
	FILE *f;

	snprintf(file, sizeof(file), "%s/web/openapi.yaml", srcdir ? srcdir : ".");
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", file);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] && line[0] != ' ' && line[0] != '#') {
			in_paths = !strcmp(line, "paths:");
			continue;
		}
		if (!in_paths)
			continue;
		if (!strncmp(line, "  /", 3) && line[strlen(line) - 1] == ':') {
			snprintf(path, sizeof(path), "%.*s", (int)strlen(line) - 3, line + 2);
		} else if (!strncmp(line, "    ", 4) && line[4] != ' ' && *path) {
			char key[32];

			if (sscanf(line + 4, "%31[a-z]:", key) == 1 && in_list(methods, key))
				add_operation(path, key);
		}
	}
	fclose(f);
	return 0;
}

static int release_document(void)
{
	while (ndocumented)
		free(documented[--ndocumented]);
	while (noutside)
		free(outside[--noutside]);
	return 0;
}

static void test_the_document_has_operations(void)
{
	CU_ASSERT(ndocumented >= routes_count / 2);
}

static void test_every_route_of_the_table_is_documented(void)
{
	char op[600];
	size_t i;

	for (i = 0; i < routes_count; i++) {
		if (is_debug(routes[i].pattern))
			continue;
		snprintf(op, sizeof(op), "%s %s", routes[i].method, routes[i].pattern);
		if (!documented_has(op))
			printf("\n    not in web/openapi.yaml: %s", op);
		CU_ASSERT_TRUE(documented_has(op));
	}
}

static bool table_has(const char *op)
{
	char mine[600];
	size_t i;

	for (i = 0; i < routes_count; i++) {
		snprintf(mine, sizeof(mine), "%s %s", routes[i].method, routes[i].pattern);
		if (!strcmp(mine, op))
			return true;
	}
	return false;
}

static void test_every_documented_operation_is_a_route(void)
{
	size_t i;

	for (i = 0; i < ndocumented; i++) {
		bool ok = table_has(documented[i]) || in_list(pending, documented[i]);

		if (!ok)
			printf("\n    documented but not a route: %s", documented[i]);
		CU_ASSERT_TRUE(ok);
	}
	for (i = 0; i < noutside; i++)
		printf("\n    neither under " API_BASE " nor an operations route: %s", outside[i]);
	CU_ASSERT_EQUAL(noutside, 0);
}

static void test_debug_routes_are_not_documented(void)
{
	size_t i;

	for (i = 0; i < ndocumented; i++)
		CU_ASSERT_PTR_NULL(strstr(documented[i], " /debug/"));
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "the document has operations", test_the_document_has_operations },
		{ "every route of the table is documented", test_every_route_of_the_table_is_documented },
		{ "every documented operation is a route", test_every_documented_operation_is_a_route },
		{ "debug routes are not documented", test_debug_routes_are_not_documented },
		{ NULL, NULL },
	};

	return cu_run("openapi.yaml and the route table", load_document, release_document, tests);
}
