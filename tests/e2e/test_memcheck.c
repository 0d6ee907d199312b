/*
 * The server under valgrind: the same kinds of requests as the runtime suite
 * (good, refused, malformed, database work, rollbacks), the sign-in paths and
 * the client directory, then a graceful stop;
 * the master's and every worker's valgrind report must show no invalid
 * access and no leaked block.
 */
#include <dirent.h>
#include <sodium.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static char vgdir[1024];

static int suite_init(void)
{
	static char wrapper[3072];
	const char *run = getenv("ES_E2E_RUN");

	if (!run || strlen(run) > 900)
		return 1;
	snprintf(vgdir, sizeof(vgdir), "%s/valgrind", run);
	if (mkdir(vgdir, 0755) && errno != EEXIST)
		return 1;
	snprintf(wrapper, sizeof(wrapper),
		 "valgrind --leak-check=full --show-leak-kinds=definite,indirect "
		 "--num-callers=30 --log-file='%s/vg.%%p.log'", vgdir);
	setenv("ES_E2E_WRAPPER", wrapper, 1);
	if (sodium_init() < 0 || e2e_init() || fake_google_start() < 0)
		return 1;
	{
		char hash[PASSWORD_HASH_MAX];
		const char *p[1] = { hash };

		password_hash("vg password 1", hash);
		PQclear(PQexecParams(sql_conn(), "INSERT INTO users (username, name, role, password_hash,"
				     " active, approved) VALUES ('vg-user', 'VG', 'employee', $1, true, true)",
				     1, NULL, p, NULL, NULL, 0));
		sql("INSERT INTO users (username, name, role, google_sub, active, approved)"
		    " VALUES ('vg-google', 'VG Google', 'employee', 'vg-sub', true, true)");
		sql("INSERT INTO users (username, name, role, active, approved)"
		    " VALUES ('vg-manager', 'VG Manager', 'manager', true, true)");
		sql("INSERT INTO users (username, name, role, google_sub, active, approved)"
		    " VALUES ('vg-google-1', 'VG Google 1', 'employee', 'google-sub-1', true, true)"
		    " ON CONFLICT DO NOTHING");
	}
	return 0;
}

static void exercise(void)
{
	static const char *const text_ct[] = { "Content-Type: text/plain", NULL };
	struct http_res r;
	int i;

	for (i = 0; i < 3; i++) {
		http_get(&r, "/healthz");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http_get(&r, "/readyz");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http_get(&r, "/status?format=prometheus");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{\"a\":[1,{\"b\":\"\xc3\xa9\"}]}", json_ct);
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{\"a\":", json_ct);
		CU_ASSERT_EQUAL(r.status, 400);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{}", text_ct);
		CU_ASSERT_EQUAL(r.status, 415);
		http_res_release(&r);
		http_get(&r, "/api/v1/nowhere?x=%41%42");
		CU_ASSERT_EQUAL(r.status, 404);
		http_res_release(&r);
		http(&r, "PUT", "/readyz", NULL, NULL);
		CU_ASSERT_EQUAL(r.status, 405);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"commit\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 201);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"refuse\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 409);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"fail\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 422);
		http_res_release(&r);
		http_get(&r, "/api/v1/debug/sleep?ms=10");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
	}
}

/* Sign-in paths: password login, me, logout, a refused login, the Google button and code flow. */
static void exercise_auth(void)
{
	char body[16500], url[4200], state_cookie[200];
	struct principal user;
	const char *h[3] = { user.cookie, user.csrf, NULL };
	struct http_res r;

	CU_ASSERT_EQUAL(principal_login(&user, "vg-user", "vg password 1", NULL), 200);
	http(&r, "GET", "/api/v1/auth/me", NULL, h);
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/logout", NULL, h);
	CU_ASSERT_EQUAL(r.status, 204);
	http_res_release(&r);
	CU_ASSERT_EQUAL(principal_login(NULL, "vg-user", "wrong", NULL), 401);
	http(&r, "POST", "/api/v1/auth/signup", "{\"username\":\"x\",\"nope\":1}", json_ct);
	CU_ASSERT_EQUAL(r.status, 400);
	http_res_release(&r);

	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}", fake_google_mint("sub=vg-sub"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/google", "{\"credential\":\"a.b.c\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 401);
	http_res_release(&r);

	http_get(&r, "/api/v1/auth/google/start?next=/me.html");
	CU_ASSERT_EQUAL(r.status, 302);
	snprintf(url, sizeof(url), "%s", http_header(&r, "Location") ? http_header(&r, "Location") : "");
	snprintf(state_cookie, sizeof(state_cookie), "Cookie: es_oauth_state=%s",
		 http_set_cookie(&r, "es_oauth_state") ? http_set_cookie(&r, "es_oauth_state") : "");
	http_res_release(&r);
	http_url(&r, "GET", url, NULL, NULL);
	snprintf(url, sizeof(url), "%s", http_header(&r, "Location") ? http_header(&r, "Location") : "");
	http_res_release(&r);
	h[0] = state_cookie;
	h[1] = NULL;
	http_url(&r, "GET", url, NULL, h);
	CU_ASSERT_EQUAL(r.status, 302);
	http_res_release(&r);
}

/*
 * Client directory and jobs as a manager (a session written into the table):
 * created, refused (validation, duplicate, unknown client), read, changed,
 * deleted.
 */
static void exercise_clients(void)
{
	static const struct {
		const char *method, *path, *body;
		long status;
	} calls[] = {
		{ "POST", "/clients", "{\"name\":\" VG Client \",\"contact_email\":\"vg@x.example\"}", 201 },
		{ "POST", "/clients", "{\"name\":\"vg client\"}", 409 },
		{ "POST", "/clients", "{\"name\":\"\",\"contact_email\":\"no\"}", 422 },
		{ "GET", "/clients?q=vg&limit=5", NULL, 200 },
		{ "GET", "/clients/analytics", NULL, 200 },
		{ "GET", "/clients/analytics?from=2031-01-02&to=2031-01-01", NULL, 422 },
		{ "POST", "/jobs", "{\"client_company_id\":999999,\"name\":\"VG\"}", 422 },
		{ "POST", "/jobs", "{\"client_company_id\":0,\"name\":\"\",\"active\":null}", 422 },
		{ "GET", "/jobs?active=true&q=vg", NULL, 200 },
	};
	char path[128], body[256];
	struct principal m;
	long long client;
	size_t i;

	principal_bearer_for("vg-manager", &m);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1%s", calls[i].path);
		CU_ASSERT_EQUAL(call(&m, calls[i].method, path, calls[i].body, NULL), calls[i].status);
	}
	client = sql_long("SELECT id FROM client_companies WHERE name = 'VG Client'");
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", client);
	CU_ASSERT_EQUAL(call(&m, "GET", path, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&m, "PATCH", path, "{\"contact_email\":null,\"contact_phone\":\"1\"}", NULL),
			200);
	snprintf(body, sizeof(body), "{\"client_company_id\":%lld,\"name\":\"VG job\","
		 "\"estimated_start\":\"2031-01-01\"}", client);
	CU_ASSERT_EQUAL(call(&m, "POST", "/api/v1/jobs", body, NULL), 201);
	CU_ASSERT_EQUAL(call(&m, "DELETE", path, NULL, NULL), 204);   /* takes the job along */
}

/*
 * Schedule weeks: the week view, every write with its refusals, a copy that
 * skips an assignment (the JSON built in C), conflicts, availability.
 */
static void exercise_weeks(void)
{
	static const struct { const char *method, *path, *body; long status; } calls[] = {
		{ "GET", "/api/v1/schedule/weeks/2026-05-06", NULL, 200 },
		{ "POST", "/api/v1/schedule/weeks/2026-05-06/publish", NULL, 200 },
		{ "PUT", "/api/v1/schedule/weeks/2026-05-06/request-window",
		  "{\"opens_at\":\"2026-05-01T08:00:00Z\",\"closes_at\":\"2026-05-01T07:00:00Z\"}", 422 },
		{ "PUT", "/api/v1/schedule/weeks/2026-05-06/request-window",
		  "{\"opens_at\":\"2000-01-01T00:00:00Z\",\"closes_at\":\"2100-01-01T00:00:00+01:00\"}", 200 },
		{ "PUT", "/api/v1/schedule/weeks/2026-05-06/preferences",
		  "{\"closed_days\":[\"sunday\",\"x\"],\"default_parts\":{\"sunday\":[\"noon\"]}}", 422 },
		{ "PUT", "/api/v1/schedule/weeks/2026-05-06/preferences",
		  "{\"closed_days\":[\"sunday\"],\"default_parts\":{\"monday\":[\"noon\"]}}", 200 },
		{ "POST", "/api/v1/schedule/weeks/2026-05-06/copy", "{\"to\":\"2026-05-04\"}", 422 },
		{ "POST", "/api/v1/schedule/weeks/2026-05-06/copy",
		  "{\"to\":\"2026-05-13\",\"assignments\":true}", 201 },
		{ "GET", "/api/v1/schedule/weeks/2026-05-13/conflicts", NULL, 200 },
		{ "GET", "/api/v1/schedule/weeks/2026-05-06/availability", NULL, 200 },
		{ "PUT", "/api/v1/me/availability/2026-05-06",
		  "{\"entries\":[{\"date\":\"2026-05-04\",\"part\":\"noon\",\"state\":\"available\"},"
		  "{\"date\":\"2026-05-04\",\"part\":\"noon\",\"state\":\"preferred\"}]}", 422 },
		{ "PUT", "/api/v1/me/availability/2026-05-06",
		  "{\"entries\":[{\"date\":\"2026-05-11\",\"part\":\"noon\",\"state\":\"available\"}]}", 422 },
		{ "PUT", "/api/v1/me/availability/2026-05-06",
		  "{\"entries\":[{\"date\":\"2026-05-04\",\"part\":\"noon\",\"state\":\"available\"}],"
		  "\"note\":\"n\"}", 200 },
		{ "PUT", "/api/v1/me/availability/2026-05-13", "{\"entries\":[]}", 409 },
		{ "GET", "/api/v1/me/availability/2026-05-06", NULL, 200 },
		{ "GET", "/api/v1/schedule/weeks/2026-02-30", NULL, 404 },
	};
	struct principal manager;
	size_t i;

	sql("INSERT INTO client_companies (name) VALUES ('VG Co')");
	sql("INSERT INTO jobs (client_company_id, name) SELECT id, 'VG Job' FROM client_companies"
	    " WHERE name = 'VG Co'");
	sql("INSERT INTO users (username, name, role, active, approved)"
	    " VALUES ('vg-manager', 'VG Manager', 'manager', true, true)");
	sql("INSERT INTO shifts (job_id, starts_at, ends_at, required)"
	    " SELECT id, '2026-05-05T08:00Z', '2026-05-05T16:00Z', '{\"stagehand\":1,\"crew_chief\":1}'"
	    "   FROM jobs WHERE name = 'VG Job'");
	/* vg-user copies cleanly; vg-google lacks the crew chief certification */
	sql("INSERT INTO assignments (shift_id, user_id, role)"
	    " SELECT s.id, u.id, CASE u.username WHEN 'vg-user' THEN 'stagehand' ELSE 'crew_chief' END"
	    "   FROM shifts s JOIN jobs j ON j.id = s.job_id, users u"
	    "  WHERE j.name = 'VG Job' AND u.username IN ('vg-user', 'vg-google')");
	CU_ASSERT_FATAL(principal_for("vg-manager", &manager) == 0);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long status = call(&manager, calls[i].method, calls[i].path, calls[i].body, NULL);

		if (status != calls[i].status)
			fprintf(stderr, "%s %s: %ld\n", calls[i].method, calls[i].path, status);
		CU_ASSERT_EQUAL(status, calls[i].status);
	}
}

/* Time sheets and settings: the sheet with `can`, clocking, refusals with details, CSV. */
static void exercise_time(void)
{
	const char *csv[5] = { NULL, NULL, NULL, "Accept: text/csv", NULL };
	struct principal m;
	long long s, w;
	char path[128], body[256];

	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('vgt-manager', 'VGT Manager', 'manager', true, true),"
	    " ('vgt-worker', 'VGT Worker', 'employee', true, true)");
	sql("INSERT INTO client_companies (name) VALUES ('VGT Co')");
	sql("INSERT INTO jobs (client_company_id, name) SELECT id, 'VGT job' FROM client_companies"
	    " WHERE name = 'VGT Co'");
	s = sql_long("INSERT INTO shifts (job_id, starts_at, ends_at) SELECT id, now() - interval '2 hours',"
		     " now() + interval '6 hours' FROM jobs WHERE name = 'VGT job' RETURNING id");
	w = seed_user_id("vgt-worker");
	seed_assign(s, w, "stagehand");
	CU_ASSERT_FATAL(principal_for("vgt-manager", &m) == 0);
	memcpy(csv, m.headers, 3 * sizeof(char *));

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/clock", s);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\",\"action\":\"in\"}", w);
	CU_ASSERT_EQUAL(call(&m, "POST", path, body, NULL), 200);
	CU_ASSERT_EQUAL(call(&m, "POST", path, body, NULL), 409);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/submit", s);
	CU_ASSERT_EQUAL(call(&m, "POST", path, NULL, NULL), 409);
	CU_ASSERT_EQUAL(call(&m, "POST", path, "{\"user_ids\":[999999]}", NULL), 422);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/end", s);
	CU_ASSERT_EQUAL(call(&m, "POST", path, NULL, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/%lld/stagehand", s, w);
	CU_ASSERT_EQUAL(call(&m, "PUT", path, "{\"pairs\":[{\"in\":\"2001-01-01T00:00:00Z\","
			     "\"out\":\"2000-01-01T00:00:00Z\"}]}", NULL), 422);
	CU_ASSERT_EQUAL(call(&m, "PUT", path, "{\"pairs\":[{\"in\":\"x\"},{}]}", NULL), 422);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/submit", s);
	CU_ASSERT_EQUAL(call(&m, "POST", path, NULL, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", s);
	CU_ASSERT_EQUAL(call(&m, "GET", path, NULL, NULL), 200);
	{
		struct http_res r;

		http(&r, "GET", "/api/v1/timesheets?status=submitted", NULL, csv);
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL(call(&m, "GET", "/api/v1/timesheets", NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&m, "PUT", "/api/v1/settings",
			     "{\"time_zone\":\"Nowhere/Land\",\"overtime\":{\"daily\":[1],\"weekly\":[]}}",
			     NULL), 422);
	CU_ASSERT_EQUAL(call(&m, "PUT", "/api/v1/settings", "{\"time_zone\":\"Nowhere/Land\"}", NULL),
			422);
	CU_ASSERT_EQUAL(call(&m, "PUT", "/api/v1/settings", "{\"min_rest_hours\":9}", NULL), 200);
	CU_ASSERT_EQUAL(call(&m, "GET", "/api/v1/settings", NULL, NULL), 200);
}

/* Returns how many reports were read; adds their error and leak totals. */
static int read_reports(long *errors, long *lost)
{
	DIR *d = opendir(vgdir);
	struct dirent *de;
	int n = 0;

	*errors = *lost = 0;
	while (d && (de = readdir(d))) {
		char path[2048], line[1024];
		FILE *f;

		if (strncmp(de->d_name, "vg.", 3))
			continue;
		snprintf(path, sizeof(path), "%s/%s", vgdir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n++;
		while (fgets(line, sizeof(line), f)) {
			char *p;

			if ((p = strstr(line, "ERROR SUMMARY: ")))
				*errors += atol(p + strlen("ERROR SUMMARY: "));
			if ((p = strstr(line, "definitely lost: ")))
				*lost += atol(p + strlen("definitely lost: "));
			if ((p = strstr(line, "indirectly lost: ")))
				*lost += atol(p + strlen("indirectly lost: "));
		}
		fclose(f);
		if (*errors || *lost)
			fprintf(stderr, "valgrind report with findings: %s\n", path);
	}
	if (d)
		closedir(d);
	return n;
}

static void test_worker_and_master_are_clean_under_valgrind(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=2",
		"EASYSHIFTS_POOL_SIZE=2", "EASYSHIFTS_POOL_TIMEOUT_MS=20000", NULL };
	long errors, lost;

	const char *const *google = fake_google_env();
	const char *all[16];
	int n = 0, i;

	for (i = 0; env[i]; i++)
		all[n++] = env[i];
	for (i = 0; google[i]; i++)
		all[n++] = google[i];
	all[n] = NULL;
	CU_ASSERT_FATAL(serve_start(all) > 0);
	exercise();
	exercise_auth();
	exercise_clients();
	exercise_weeks();
	exercise_time();
	CU_ASSERT_EQUAL(serve_stop(), 0);
	CU_ASSERT(read_reports(&errors, &lost) >= 2);   /* the master and the worker */
	CU_ASSERT_EQUAL(errors, 0);
	CU_ASSERT_EQUAL(lost, 0);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "worker and master are clean under valgrind", test_worker_and_master_are_clean_under_valgrind },
		{ NULL, NULL },
	};

	return cu_run("e2e memcheck", suite_init, e2e_done, tests);
}
