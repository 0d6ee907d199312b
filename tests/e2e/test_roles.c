/*
 * The role matrix: every route of the router's own table, called by each
 * kind of principal, must answer the expected class of status. A route
 * without a row here fails the suite, so no route is added without saying
 * who may call it. Expectations per principal, in this order:
 *   anonymous, employee, crew chief, client, manager, admin
 * with  a = allowed (anything but 401/403), u = 401, f = 403.
 */
#include <stdio.h>
#include <string.h>

#include "handlers/routes.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/principal.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

struct expectation {
	const char *method;
	const char *pattern;
	const char *classes;
};

static const struct expectation expected[] = {
	{ "GET", "/healthz", "aaaaaa" },
	{ "GET", "/readyz", "aaaaaa" },
	{ "GET", "/status", "aaaaaa" },        /* local only: nginx and the app refuse other hosts */
	{ "POST", "/auth/login", "aaaaaa" },
	{ "POST", "/auth/logout", "uaaaaa" },
	{ "GET", "/auth/me", "uaaaaa" },
	{ "POST", "/auth/signup", "aaaaaa" },
	{ "POST", "/auth/google", "aaaaaa" },
	{ "GET", "/auth/google/start", "aaaaaa" },
	{ "GET", "/auth/google/callback", "aaaaaa" },
	{ "POST", "/auth/google/link", "uaaaaa" },
	{ "GET", "/users", "ufffaa" },
	{ "POST", "/users", "ufffaa" },
	{ "GET", "/users/{id}", "uaaaaa" },      /* anyone else's id is a 404: handler rule */
	{ "PATCH", "/users/{id}", "ufffaa" },
	{ "DELETE", "/users/{id}", "ufffaa" },
	{ "POST", "/users/{id}/approve", "ufffaa" },
	{ "POST", "/users/{id}/reject", "ufffaa" },
	{ "PUT", "/users/{id}/certifications", "ufffaa" },
	{ "GET", "/shifts", "uaaaaa" },             /* each sees what their role allows */
	{ "POST", "/shifts", "ufffaa" },
	{ "POST", "/shifts/bulk", "ufffaa" },
	{ "GET", "/shifts/{id}", "uaaaaa" },
	{ "PATCH", "/shifts/{id}", "ufffaa" },
	{ "DELETE", "/shifts/{id}", "ufffaa" },
	{ "POST", "/shifts/{id}/assignments", "uaafaa" },   /* a 404 for an unknown shift; chiefs' rule is per shift */
	{ "DELETE", "/shifts/{id}/assignments/{user_id}/{role}", "uaafaa" },
	{ "GET", "/me/shifts", "uaafaa" },
	{ "GET", "/clients", "ufffaa" },
	{ "POST", "/clients", "ufffaa" },
	{ "GET", "/clients/analytics", "ufffaa" },
	{ "GET", "/clients/{id}", "uffaaa" },      /* a client asking for another company: 404 */
	{ "PATCH", "/clients/{id}", "ufffaa" },
	{ "DELETE", "/clients/{id}", "ufffaa" },
	{ "GET", "/jobs", "uffaaa" },              /* a client sees their company's jobs */
	{ "POST", "/jobs", "ufffaa" },
	{ "GET", "/jobs/{id}", "uffaaa" },
	{ "PATCH", "/jobs/{id}", "ufffaa" },
	{ "DELETE", "/jobs/{id}", "ufffaa" },
	{ "GET", "/schedule/weeks/{date}", "uaaaaa" },   /* what each sees of a week: handler rule */
	{ "POST", "/schedule/weeks/{date}/publish", "ufffaa" },
	{ "POST", "/schedule/weeks/{date}/unpublish", "ufffaa" },
	{ "PUT", "/schedule/weeks/{date}/request-window", "ufffaa" },
	{ "PUT", "/schedule/weeks/{date}/preferences", "ufffaa" },
	{ "POST", "/schedule/weeks/{date}/copy", "ufffaa" },
	{ "GET", "/schedule/weeks/{date}/conflicts", "ufffaa" },
	{ "GET", "/schedule/weeks/{date}/availability", "ufffaa" },
	{ "GET", "/me/availability/{date}", "uaafaa" },
	{ "PUT", "/me/availability/{date}", "uaafaa" },
	{ "GET", "/shifts/{id}/timesheet", "uaaaaa" },        /* who sees which entries: handler rule */
	{ "POST", "/shifts/{id}/clock", "uaafaa" },           /* the chief's powers are per shift */
	{ "POST", "/shifts/{id}/absent", "uaafaa" },
	{ "POST", "/shifts/{id}/end", "uaafaa" },
	{ "PUT", "/shifts/{id}/timesheet/{user_id}/{role}", "uaafaa" },   /* a worker their own entry */
	{ "POST", "/shifts/{id}/timesheet/submit", "uaafaa" },
	{ "POST", "/shifts/{id}/timesheet/approve", "ufffaa" },
	{ "POST", "/shifts/{id}/timesheet/reject", "ufffaa" },
	{ "GET", "/timesheets", "uaaaaa" },                    /* each sees their own part */
	{ "GET", "/settings", "uaaaaa" },
	{ "PUT", "/settings", "ufffaa" },
	{ "GET", "/audit", "ufffaa" },
	{ "POST", "/debug/echo", "aaaaaa" },   /* debug_routes is on in the suites, off in production */
	{ "GET", "/debug/sleep", "aaaaaa" },
	{ "GET", "/debug/backend", "aaaaaa" },
	{ "POST", "/debug/tx", "aaaaaa" },
};

enum { ANON, EMPLOYEE, CREW_CHIEF, CLIENT, MANAGER, ADMIN, NPRINCIPALS };
static const char *const principal_names[NPRINCIPALS] = {
	"anonymous", "employee", "crew chief", "client", "manager", "admin",
};
static const char *const usernames[NPRINCIPALS] = {
	NULL, "rm-employee", "rm-chief", "rm-client", "rm-manager", "rm-admin",
};
static struct principal principals[NPRINCIPALS];

/* Every principal's session, written again before each request (some requests end sessions). */
static void reset_sessions(void)
{
	int p;

	sql("DELETE FROM sessions");
	for (p = 0; p < NPRINCIPALS; p++)
		if (usernames[p])
			principal_renew(&principals[p]);
}

static int seed(void)
{
	int p;

	sql("INSERT INTO client_companies (name) VALUES ('Role Matrix Co')");
	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('rm-employee', 'Emp', 'employee', true, true),"
	    " ('rm-chief', 'Chief', 'employee', true, true),"
	    " ('rm-manager', 'Man', 'manager', true, true),"
	    " ('rm-admin', 'Adm', 'admin', true, true)");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " SELECT 'rm-client', 'Cli', 'client', id, true, true FROM client_companies"
	    "  WHERE name = 'Role Matrix Co'");
	sql("INSERT INTO certifications (user_id, can_crew_chief)"
	    " SELECT id, username = 'rm-chief' FROM users WHERE username LIKE 'rm-%%'"
	    " ON CONFLICT (user_id) DO NOTHING");
	sql("INSERT INTO jobs (client_company_id, name)"
	    " SELECT id, 'Role Matrix Job' FROM client_companies WHERE name = 'Role Matrix Co'");
	sql("INSERT INTO shifts (job_id, starts_at, ends_at, required)"
	    " SELECT id, now() + interval '1 day', now() + interval '1 day 8 hours',"
	    "        '{\"crew_chief\": 1, \"stagehand\": 2}' FROM jobs WHERE name = 'Role Matrix Job'");
	sql("INSERT INTO assignments (shift_id, user_id, role)"
	    " SELECT s.id, u.id, 'crew_chief' FROM shifts s, users u"
	    "  WHERE u.username = 'rm-chief'");
	for (p = 0; p < NPRINCIPALS; p++) {
		if (!usernames[p])
			principal_anonymous(&principals[p]);
		else if (principal_for(usernames[p], &principals[p]))
			return -1;
	}
	return 0;
}

/* The pattern with every {capture} replaced by a value no row has. */
static void concrete_path(const char *pattern, char *out, size_t cap)
{
	size_t o = 0;

	o += (size_t)snprintf(out, cap, "/api/v1");
	for (const char *p = pattern; *p && o + 16 < cap; p++) {
		if (*p == '{') {
			const char *end = strchr(p, '}');

			o += (size_t)snprintf(out + o, cap - o, "999999");
			p = end ? end : p;
		} else {
			out[o++] = *p;
			out[o] = '\0';
		}
	}
}

static const struct expectation *find_expectation(const struct route *r)
{
	size_t i;

	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!strcmp(expected[i].method, r->method) && !strcmp(expected[i].pattern, r->pattern))
			return &expected[i];
	return NULL;
}

static char classify(long status)
{
	return status == 401 ? 'u' : status == 403 ? 'f' : 'a';
}

static void test_every_route_has_an_expectation(void)
{
	size_t i;

	for (i = 0; i < routes_count; i++) {
		if (!find_expectation(&routes[i]))
			fprintf(stderr, "role matrix: no row for %s %s\n", routes[i].method,
				routes[i].pattern);
		CU_ASSERT_PTR_NOT_NULL(find_expectation(&routes[i]));
	}
}

static void test_every_route_answers_each_role_as_expected(void)
{
	size_t i;
	int p;

	for (i = 0; i < routes_count; i++) {
		const struct expectation *e = find_expectation(&routes[i]);
		char path[512];

		if (!e)
			continue;
		concrete_path(routes[i].pattern, path, sizeof(path));
		for (p = 0; p < NPRINCIPALS; p++) {
			bool unsafe = strcmp(routes[i].method, "GET") != 0;
			struct http_res r;
			char got;

			reset_sessions();
			http(&r, routes[i].method, path, unsafe ? "{}" : NULL, principals[p].headers);
			got = classify(r.status);
			if (got != e->classes[p] || r.status >= 500)
				fprintf(stderr, "role matrix: %s %s as %s: status %ld, expected class %c\n",
					routes[i].method, routes[i].pattern, principal_names[p], r.status,
					e->classes[p]);
			CU_ASSERT_EQUAL(got, e->classes[p]);
			CU_ASSERT(r.status < 500);
			http_res_release(&r);
		}
	}
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	return !seed() && serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every route has an expectation", test_every_route_has_an_expectation },
		{ "every route answers each role as expected", test_every_route_answers_each_role_as_expected },
		{ NULL, NULL },
	};

	return cu_run("e2e role matrix", suite_init, e2e_done, tests);
}
