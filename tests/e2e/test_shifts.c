/*
 * Shifts and assignments end to end: each scheduling rule on its own with
 * details.rule checked, force and crew-chief scope, visibility per role,
 * the two assignment races through nginx, bulk all-or-nothing, and shift
 * parts in a workplace across a DST change.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal manager, chief, worker, client, other_client;
static long long job_id, other_job_id;

/* A shift of the test job; times as RFC 3339. */
static long long shift(const char *starts, const char *ends, const char *required)
{
	char body[512];
	struct http_res r;
	long long id;

	snprintf(body, sizeof(body), "{\"job_id\":%lld,\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		 "\"required\":%s}", job_id, starts, ends, required);
	CU_ASSERT_EQUAL(call(&manager, "POST", "/api/v1/shifts", body, &r), 201);
	id = body_int_at(&r, "id");
	http_res_release(&r);
	return id;
}

static long assign(const struct principal *by, long long shift_id, long long uid, const char *role,
		   bool force, struct http_res *keep)
{
	char path[96], body[160];

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/assignments", shift_id);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"%s\"%s}", uid, role,
		 force ? ",\"force\":true" : "");
	return call(by, "POST", path, body, keep);
}

static void expect_rule(long long shift_id, long long uid, const char *role, const char *rule)
{
	struct http_res r;
	char needle[96];

	CU_ASSERT_EQUAL(assign(&manager, shift_id, uid, role, false, &r), 409);
	snprintf(needle, sizeof(needle), "\"rule\":\"%s\"", rule);
	if (!body_has(&r, needle))
		fprintf(stderr, "expected rule %s, got %s\n", rule, r.body.buf);
	CU_ASSERT_TRUE(body_has(&r, needle));
	http_res_release(&r);
}

/* An employee named "Worker <username>" with the given certifications. */
static long long new_worker(const char *username, bool crew_chief, bool forklift)
{
	char name[96];
	long long id;

	snprintf(name, sizeof(name), "Worker %s", username);
	id = seed_user(username, name, "employee");
	sql("INSERT INTO certifications (user_id, can_crew_chief, can_forklift)"
	    " VALUES (%lld, %s, %s)", id, crew_chief ? "true" : "false", forklift ? "true" : "false");
	return id;
}

static void test_certification_is_required_for_skilled_roles(void)
{
	long long s = shift("2030-01-07T08:00:00Z", "2030-01-07T12:00:00Z", "{\"forklift_operator\":2}");
	long long plain = new_worker("cert-plain", false, false);
	long long driver = new_worker("cert-forklift", false, true);

	expect_rule(s, plain, "forklift_operator", "certification_missing");
	CU_ASSERT_EQUAL(assign(&manager, s, driver, "pilot", false, NULL), 422);
	CU_ASSERT_EQUAL(assign(&manager, s, 999999, "stagehand", false, NULL), 422);
	CU_ASSERT_EQUAL(assign(&manager, s, driver, "forklift_operator", false, NULL), 201);
	/* a hard rule: force does not override it */
	CU_ASSERT_EQUAL(assign(&manager, s, plain, "forklift_operator", true, NULL), 409);
}

static void test_overlap_is_refused_but_touching_shifts_are_fine(void)
{
	long long a = shift("2030-01-08T08:00:00Z", "2030-01-08T12:00:00Z", "{\"stagehand\":5}");
	long long b = shift("2030-01-08T11:00:00Z", "2030-01-08T15:00:00Z", "{\"stagehand\":5}");
	long long c = shift("2030-01-08T12:00:00Z", "2030-01-08T16:00:00Z", "{\"stagehand\":5}");
	long long w = new_worker("overlap-w", false, false);

	CU_ASSERT_EQUAL(assign(&manager, a, w, "stagehand", false, NULL), 201);
	expect_rule(b, w, "stagehand", "overlap");
	CU_ASSERT_EQUAL(assign(&manager, b, w, "stagehand", true, NULL), 409);   /* hard */
	CU_ASSERT_EQUAL(assign(&manager, c, w, "stagehand", false, NULL), 201);  /* end-to-start */
}

static void test_rest_period_is_soft(void)
{
	long long a = shift("2030-01-09T08:00:00Z", "2030-01-09T12:00:00Z", "{\"stagehand\":5}");
	long long b = shift("2030-01-09T15:00:00Z", "2030-01-09T19:00:00Z", "{\"stagehand\":5}");
	long long c = shift("2030-01-10T03:00:00Z", "2030-01-10T07:00:00Z", "{\"stagehand\":5}");
	long long w = new_worker("rest-w", false, false);

	CU_ASSERT_EQUAL(assign(&manager, a, w, "stagehand", false, NULL), 201);
	expect_rule(b, w, "stagehand", "rest_period");       /* 3 h after the first */
	CU_ASSERT_EQUAL(assign(&manager, c, w, "stagehand", false, NULL), 201);  /* 15 h after */
	CU_ASSERT_EQUAL(assign(&manager, b, w, "stagehand", true, NULL), 201);   /* forced */
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE action = 'assign_forced'"), 1);
}

static void test_role_fill_is_soft(void)
{
	long long s = shift("2030-01-11T08:00:00Z", "2030-01-11T12:00:00Z", "{\"stagehand\":1}");
	long long w1 = new_worker("fill-1", false, false), w2 = new_worker("fill-2", false, false);
	long long w3 = new_worker("fill-3", false, false);

	CU_ASSERT_EQUAL(assign(&manager, s, w1, "stagehand", false, NULL), 201);
	expect_rule(s, w2, "stagehand", "role_full");
	expect_rule(s, w3, "general", "role_full");   /* a role the shift does not need */
	CU_ASSERT_EQUAL(assign(&manager, s, w2, "stagehand", true, NULL), 201);
	CU_ASSERT_EQUAL(assign(&manager, s, w1, "stagehand", false, NULL), 409);  /* already */
}

static void test_pending_and_inactive_workers_cannot_be_assigned(void)
{
	long long s = shift("2030-01-12T08:00:00Z", "2030-01-12T12:00:00Z", "{\"stagehand\":3}");

	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('sh-pending', 'P', 'employee', true, false), ('sh-inactive', 'I', 'employee', false, true)");
	expect_rule(s, seed_user_id("sh-pending"), "stagehand", "worker_not_eligible");
	expect_rule(s, seed_user_id("sh-inactive"), "stagehand", "worker_not_eligible");
	expect_rule(s, manager.user_id, "stagehand", "worker_not_eligible");
	CU_ASSERT_EQUAL(assign(&manager, s, seed_user_id("sh-pending"), "stagehand", true, NULL), 409);
}

static void test_crew_chief_assigns_on_their_shift_only_and_never_forces(void)
{
	long long s = shift("2030-01-13T08:00:00Z", "2030-01-13T12:00:00Z",
			    "{\"crew_chief\":1,\"stagehand\":1}");
	long long other = shift("2030-01-13T14:00:00Z", "2030-01-13T18:00:00Z", "{\"stagehand\":2}");
	long long w1 = new_worker("crew-1", false, false), w2 = new_worker("crew-2", false, false);
	char path[128];

	CU_ASSERT_EQUAL(assign(&manager, s, chief.user_id, "crew_chief", false, NULL), 201);
	/* a crew chief's powers start when the week is published */
	CU_ASSERT_EQUAL(assign(&chief, s, w1, "stagehand", false, NULL), 403);
	seed_week("2030-01-07", true);
	CU_ASSERT_EQUAL(assign(&chief, s, w1, "stagehand", false, NULL), 201);
	CU_ASSERT_EQUAL(assign(&chief, s, w2, "crew_chief", false, NULL), 403);   /* managers name chiefs */
	CU_ASSERT_EQUAL(assign(&chief, other, w2, "stagehand", false, NULL), 403);
	CU_ASSERT_EQUAL(assign(&chief, s, w2, "stagehand", true, NULL), 403);   /* force */
	CU_ASSERT_EQUAL(assign(&worker, s, w2, "stagehand", false, NULL), 403); /* not the chief */
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/assignments/%lld/stagehand", s, w1);
	CU_ASSERT_EQUAL(call(&worker, "DELETE", path, NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&chief, "DELETE", path, NULL, NULL), 204);
	CU_ASSERT_EQUAL(call(&chief, "DELETE", path, NULL, NULL), 404);
}

static void test_unpublished_weeks_are_invisible_to_workers_and_clients(void)
{
	long long s = shift("2030-02-05T08:00:00Z", "2030-02-05T12:00:00Z", "{\"stagehand\":2}");
	char path[64];
	struct http_res r;

	CU_ASSERT_EQUAL(assign(&manager, s, worker.user_id, "stagehand", false, NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", s);
	CU_ASSERT_EQUAL(call(&worker, "GET", path, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&client, "GET", path, NULL, NULL), 404);
	http(&r, "GET", "/api/v1/me/shifts?from=2030-02-01T00:00:00Z&to=2030-02-10T00:00:00Z", NULL,
	     worker.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 0"));
	http_res_release(&r);

	seed_week("2030-02-04", true);
	CU_ASSERT_EQUAL(call(&worker, "GET", path, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&client, "GET", path, NULL, NULL), 200);
	http(&r, "GET", path, NULL, other_client.headers);
	CU_ASSERT_EQUAL(r.status, 404);   /* another company's shift: not even confirmed */
	http_res_release(&r);
	http(&r, "GET", "/api/v1/me/shifts?from=2030-02-01T00:00:00Z&to=2030-02-10T00:00:00Z", NULL,
	     worker.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 1"));
	http_res_release(&r);
}

static void test_a_worker_sees_only_themselves_a_chief_sees_the_crew(void)
{
	long long s = shift("2030-02-06T08:00:00Z", "2030-02-06T12:00:00Z",
			    "{\"crew_chief\":1,\"stagehand\":3}");
	long long mate = new_worker("crewmate", false, false);
	char path[64];
	struct http_res r;

	CU_ASSERT_EQUAL(assign(&manager, s, chief.user_id, "crew_chief", false, NULL), 201);
	CU_ASSERT_EQUAL(assign(&manager, s, worker.user_id, "stagehand", false, NULL), 201);
	CU_ASSERT_EQUAL(assign(&manager, s, mate, "stagehand", false, NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", s);
	http(&r, "GET", path, NULL, worker.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FALSE(body_has(&r, "Worker crewmate"));
	http_res_release(&r);
	http(&r, "GET", path, NULL, chief.headers);
	CU_ASSERT_TRUE(body_has(&r, "Worker crewmate"));
	http_res_release(&r);
}

struct racer { long long shift_id, user_id; long status; };

static void *race_one(void *arg)
{
	struct racer *r = arg;

	r->status = assign(&manager, r->shift_id, r->user_id, "stagehand", false, NULL);
	return NULL;
}

static int run_race(struct racer *r, int n)
{
	pthread_t t[32];
	int i, won = 0;

	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, race_one, &r[i]);
	for (i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		won += r[i].status == 201;
		CU_ASSERT(r[i].status == 201 || r[i].status == 409);
	}
	return won;
}

static void test_racing_for_the_last_place_one_wins(void)
{
	long long s = shift("2030-03-05T08:00:00Z", "2030-03-05T12:00:00Z", "{\"stagehand\":1}");
	struct racer r[24];
	char name[32];
	int i;

	for (i = 0; i < 24; i++) {
		snprintf(name, sizeof(name), "racer-%d", i);
		r[i].shift_id = s;
		r[i].user_id = new_worker(name, false, false);
	}
	CU_ASSERT_EQUAL(run_race(r, 24), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM assignments WHERE shift_id = %lld", s), 1);
}

static void test_one_worker_on_overlapping_shifts_at_once_one_wins(void)
{
	long long w = new_worker("double-booked", false, false);
	struct racer r[24];
	int i;

	for (i = 0; i < 24; i++) {
		r[i].shift_id = shift("2030-03-06T08:00:00Z", "2030-03-06T12:00:00Z", "{\"stagehand\":1}");
		r[i].user_id = w;
	}
	CU_ASSERT_EQUAL(run_race(r, 24), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM assignments WHERE user_id = %lld", w), 1);
}

static char *bulk_body(int n, int bad_index)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	strbuf_addstr(&sb, "{\"shifts\":[");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s{\"job_id\":%lld,\"starts_at\":\"2031-01-%02dT%02d:00:00Z\","
			    "\"ends_at\":\"2031-01-%02dT%02d:30:00Z\",\"required\":{\"stagehand\":%d}}",
			    i ? "," : "", i == bad_index ? 999999 : job_id, 1 + i % 28, i % 20,
			    1 + i % 28, i % 20 + 1, i % 5);
	strbuf_addstr(&sb, "]}");
	return strbuf_detach(&sb, NULL);
}

static void test_bulk_is_all_or_nothing(void)
{
	char *body = bulk_body(500, 317);
	struct http_res r;
	long before = sql_long("SELECT count(*) FROM shifts");

	http(&r, "POST", "/api/v1/shifts/bulk", body, manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"index\":317"));
	http_res_release(&r);
	free(body);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts"), before);

	body = bulk_body(500, -1);
	http(&r, "POST", "/api/v1/shifts/bulk", body, manager.headers);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_TRUE(body_has(&r, "\"count\":500"));
	http_res_release(&r);
	free(body);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts"), before + 500);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'shift' AND action = 'create'"
				 " AND entity_id > 0") >= 500, 1);

	http(&r, "POST", "/api/v1/shifts/bulk",
	     "{\"shifts\":[{\"job_id\":1,\"date\":\"2031-02-30\",\"part\":\"morning\"}]}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"index\":0") && body_has(&r, "\"date\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/shifts/bulk", "{\"shifts\":[{\"job_id\":1,\"colour\":\"red\"}]}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 400);
	http_res_release(&r);
}

static void test_shift_parts_follow_the_workplace_zone_across_dst(void)
{
	char body[256];
	struct http_res r;

	seed_settings("{\"time_zone\": \"America/New_York\"}");
	/* 2027-03-14 is the US change to daylight time: 08:00 EST = 13:00Z, 08:00 EDT = 12:00Z */
	snprintf(body, sizeof(body), "{\"job_id\":%lld,\"date\":\"2027-03-13\",\"part\":\"morning\"}", job_id);
	http(&r, "POST", "/api/v1/shifts", body, manager.headers);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_TRUE(body_has(&r, "\"starts_at\":\"2027-03-13T13:00:00+00:00\""));
	CU_ASSERT_TRUE(body_has(&r, "\"week_start\":\"2027-03-08\""));
	http_res_release(&r);
	snprintf(body, sizeof(body), "{\"job_id\":%lld,\"date\":\"2027-03-15\",\"part\":\"evening\"}", job_id);
	http(&r, "POST", "/api/v1/shifts", body, manager.headers);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_TRUE(body_has(&r, "\"starts_at\":\"2027-03-15T21:00:00+00:00\""));
	CU_ASSERT_TRUE(body_has(&r, "\"ends_at\":\"2027-03-16T02:00:00+00:00\""));
	http_res_release(&r);
	/* late Sunday local time is still the week that began on Monday the 8th */
	snprintf(body, sizeof(body), "{\"job_id\":%lld,\"starts_at\":\"2027-03-14T23:30:00-04:00\","
		 "\"ends_at\":\"2027-03-15T03:30:00-04:00\"}", job_id);
	http(&r, "POST", "/api/v1/shifts", body, manager.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"week_start\":\"2027-03-08\""));
	http_res_release(&r);
	seed_settings("{\"time_zone\": \"UTC\"}");
}

static void test_moving_a_shift_reports_new_conflicts(void)
{
	long long a = shift("2030-04-01T08:00:00Z", "2030-04-01T12:00:00Z", "{\"stagehand\":1}");
	long long b = shift("2030-04-01T13:00:00Z", "2030-04-01T17:00:00Z", "{\"stagehand\":1}");
	long long w = new_worker("mover", false, false);
	char path[64];
	struct http_res r;

	CU_ASSERT_EQUAL(assign(&manager, a, w, "stagehand", false, NULL), 201);
	CU_ASSERT_EQUAL(assign(&manager, b, w, "stagehand", true, NULL), 201);   /* rest forced */
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", b);
	http(&r, "PATCH", path, "{\"starts_at\":\"2030-04-01T10:00:00Z\"}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"conflicts\":[{"));
	CU_ASSERT_TRUE(body_has(&r, "\"overlap\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"ends_at\":\"2030-04-01T09:00:00Z\"}",
			     NULL), 422);
}

static void test_shifts_with_recorded_time_are_not_deleted(void)
{
	long long s = shift("2030-04-02T08:00:00Z", "2030-04-02T12:00:00Z", "{\"stagehand\":1}");
	long long w = new_worker("timed", false, false);
	char path[64];
	struct http_res r;

	CU_ASSERT_EQUAL(assign(&manager, s, w, "stagehand", false, NULL), 201);
	sql("INSERT INTO time_entries (assignment_id, status)"
	    " SELECT id, 'clocked_in' FROM assignments WHERE shift_id = %lld", s);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", s);
	http(&r, "DELETE", path, NULL, manager.headers);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"time_recorded\""));
	http_res_release(&r);
	http(&r, "PATCH", path, "{\"starts_at\":\"2030-04-02T09:00:00Z\"}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 409);   /* nor moved */
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"time_recorded\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"description\":\"still editable\"}", NULL),
			200);
	s = shift("2030-04-03T08:00:00Z", "2030-04-03T12:00:00Z", "{\"stagehand\":1}");
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", s);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 204);
}

/*
 * +20:00 reads as RFC 3339, but PostgreSQL holds offsets up to 15:59 and
 * refuses it with a data exception (22009): the client's value, not a bug.
 */
static void test_an_offset_postgresql_cannot_hold_is_422_not_500(void)
{
	struct http_res r;

	http(&r, "GET", "/api/v1/shifts?from=2026-01-01T00:00:00%2B20:00&to=2026-01-02T00:00:00Z",
	     NULL, worker.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"validation_failed\""));
	http_res_release(&r);
	http(&r, "GET", "/api/v1/me/shifts?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00-20:00",
	     NULL, worker.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	http_res_release(&r);
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	sql("INSERT INTO client_companies (name) VALUES ('Shift Co'), ('Other Shift Co')");
	sql("INSERT INTO jobs (client_company_id, name) SELECT id, name || ' job'"
	    " FROM client_companies WHERE name IN ('Shift Co', 'Other Shift Co')");
	job_id = sql_long("SELECT id FROM jobs WHERE name = 'Shift Co job'");
	other_job_id = sql_long("SELECT id FROM jobs WHERE name = 'Other Shift Co job'");
	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('sh-manager', 'Manager', 'manager', true, true),"
	    " ('sh-chief', 'Chief', 'employee', true, true),"
	    " ('sh-worker', 'Plain Worker', 'employee', true, true)");
	sql("INSERT INTO certifications (user_id, can_crew_chief) SELECT id, username = 'sh-chief'"
	    " FROM users WHERE username IN ('sh-chief', 'sh-worker')");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " SELECT CASE name WHEN 'Shift Co' THEN 'sh-client' ELSE 'sh-other-client' END,"
	    "        'Client', 'client', id, true, true"
	    "   FROM client_companies WHERE name IN ('Shift Co', 'Other Shift Co')");
	if (principal_for("sh-manager", &manager) || principal_for("sh-chief", &chief) ||
	    principal_for("sh-worker", &worker) || principal_for("sh-client", &client) ||
	    principal_for("sh-other-client", &other_client))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "certification is required for skilled roles", test_certification_is_required_for_skilled_roles },
		{ "overlap is refused, touching shifts are fine", test_overlap_is_refused_but_touching_shifts_are_fine },
		{ "rest period is soft", test_rest_period_is_soft },
		{ "role fill is soft", test_role_fill_is_soft },
		{ "pending and inactive workers cannot be assigned", test_pending_and_inactive_workers_cannot_be_assigned },
		{ "crew chief assigns on their shift only, never forces", test_crew_chief_assigns_on_their_shift_only_and_never_forces },
		{ "unpublished weeks are invisible to workers and clients", test_unpublished_weeks_are_invisible_to_workers_and_clients },
		{ "a worker sees only themselves, a chief the crew", test_a_worker_sees_only_themselves_a_chief_sees_the_crew },
		{ "racing for the last place: one wins", test_racing_for_the_last_place_one_wins },
		{ "one worker on overlapping shifts at once: one wins", test_one_worker_on_overlapping_shifts_at_once_one_wins },
		{ "bulk is all or nothing", test_bulk_is_all_or_nothing },
		{ "shift parts follow the workplace zone across DST", test_shift_parts_follow_the_workplace_zone_across_dst },
		{ "moving a shift reports new conflicts", test_moving_a_shift_reports_new_conflicts },
		{ "shifts with recorded time are not deleted", test_shifts_with_recorded_time_are_not_deleted },
		{ "an offset PostgreSQL cannot hold is 422, not 500", test_an_offset_postgresql_cannot_hold_is_422_not_500 },
		{ NULL, NULL },
	};

	return cu_run("e2e shifts", suite_init, e2e_done, tests);
}
