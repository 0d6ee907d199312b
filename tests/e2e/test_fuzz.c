/*
 * Hostile requests to every route of the router's own table, as an admin
 * (who gets furthest into every handler): odd captures, query strings and
 * bodies of every wrong shape. Whatever a client sends, the answer is a
 * 2xx/4xx with the error envelope, never a 5xx.
 */
#include <stdio.h>
#include <string.h>

#include "handlers/routes.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/principal.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal admin;

static const char *const captures[] = { "0", "-1", "1", "99999999999999999999", "abc", "%C3%A9",
					"2026-02-30", "1e3", "%27%3B--" };
static const char *const queries[] = {
	"", "?limit=-1", "?limit=abc&offset=999999999999", "?from=yesterday&to=2026-13-01",
	"?status=%00", "?q=%25%25%25", "?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
	"?user_id=0&client_id=-5&job_id=x", "?format=xml", "?next=//evil.example",
};
static const char *const bodies[] = {
	"{}", "[]", "null", "\"text\"", "42",
	"{\"user_id\":\"1\",\"role\":5,\"name\":[],\"email\":{},\"active\":\"yes\"}",
	"{\"user_id\":-1,\"role\":\"crew_chief\",\"action\":\"sideways\",\"force\":1}",
	"{\"user_id\":99999999999999999999,\"role\":\"stagehand\",\"action\":\"in\"}",
	"{\"starts_at\":\"2026-01-01T25:00:00Z\",\"ends_at\":\"not a time\",\"job_id\":1,\"required\":{\"boss\":1}}",
	"{\"pairs\":[{\"in\":\"2026-01-01T08:00:00Z\",\"out\":\"2026-01-01T07:00:00Z\"},{}],\"notes\":\"\\u0000\"}",
	"{\"entries\":[{\"date\":\"x\",\"part\":\"night\",\"state\":\"maybe\"}],\"note\":null}",
	"{\"shifts\":[{\"job_id\":1,\"date\":\"2026-02-29\",\"part\":\"morning\"},7]}",
	"{\"opens_at\":\"2026-01-01T00:00:00+99:99\",\"closes_at\":\"2026-01-01T00:00:00Z\"}",
	"{\"to\":\"0000-00-00\",\"assignments\":\"yes\"}",
	"{\"time_zone\":\"Nowhere/Else\",\"week_start\":\"funday\",\"max_clock_pairs\":1000,"
	"\"overtime\":{\"daily\":[{\"after_hours\":-1,\"multiplier\":0}]}}",
	"{\"credential\":\"a.b.c\",\"g_csrf_token\":\"\"}",
	"{\"username\":\"\",\"password\":\"\",\"bearer\":\"true\"}",
	"{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":[[[[[[[[1]]]]]]]]}}}}}}}}",
};

/* The pattern with every {capture} replaced by value. */
static void concrete(const char *pattern, const char *value, const char *query, char *out,
		     size_t cap)
{
	size_t o = (size_t)snprintf(out, cap, "/api/v1");

	for (const char *p = pattern; *p && o + 64 < cap; p++) {
		if (*p == '{') {
			const char *end = strchr(p, '}');

			o += (size_t)snprintf(out + o, cap - o, "%s", value);
			p = end ? end : p;
		} else {
			out[o++] = *p;
			out[o] = '\0';
		}
	}
	snprintf(out + o, cap - o, "%s", query);
}

static void test_no_request_to_any_route_gets_a_5xx(void)
{
	size_t i, c, q, b;
	int checked = 0;

	for (i = 0; i < routes_count; i++) {
		bool has_body = strcmp(routes[i].method, "GET") != 0;

		if (!strncmp(routes[i].pattern, "/debug/", 7))
			continue;
		for (c = 0; c < sizeof(captures) / sizeof(captures[0]); c++) {
			if (c > 0 && !strchr(routes[i].pattern, '{'))
				break;
			for (q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
				size_t nbodies = has_body ? sizeof(bodies) / sizeof(bodies[0]) : 1;

				for (b = 0; b < nbodies; b++) {
					char path[512];
					struct http_res r;

					if (has_body && q > 1 && b > 0)
						break;   /* every body once, with two query strings */
					concrete(routes[i].pattern, captures[c], queries[q], path, sizeof(path));
					http(&r, routes[i].method, path, has_body ? bodies[b] : NULL,
					     admin.headers);
					if (r.status >= 500 || r.status == 0)
						fprintf(stderr, "fuzz: %s %s %s -> %ld\n", routes[i].method, path,
							has_body ? bodies[b] : "", r.status);
					CU_ASSERT(r.status >= 200 && r.status < 500);
					http_res_release(&r);
					checked++;
				}
			}
		}
	}
	CU_ASSERT(checked > 1000);
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	sql("INSERT INTO users (username, name, role, active, approved)"
	    " VALUES ('fz-admin', 'Fuzz Admin', 'admin', true, true)");
	if (principal_for("fz-admin", &admin))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "no request to any route gets a 5xx", test_no_request_to_any_route_gets_a_5xx },
		{ NULL, NULL },
	};

	return cu_run("e2e hostile requests", suite_init, e2e_done, tests);
}
