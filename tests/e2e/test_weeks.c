/*
 * Schedule weeks and availability end to end (SPEC §3 "Shifts and
 * schedule"): who sees which week and which shifts in it, publish and
 * unpublish, the request window and availability submissions, preferences,
 * copying a week (across a daylight saving change, with the assignments
 * that still satisfy the rules), the conflicts report, week boundaries in
 * the workplace time zone, and no 500 for any path. Data is seeded with SQL;
 * each test uses its own weeks.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal admin, manager, employee, chief, other, client_a, client_b;

/* A shift of job `job` from `from` to `to` (timestamptz literals); its id. */
static long shift(const char *job, const char *from, const char *to, const char *required)
{
	return sql_long("INSERT INTO shifts (job_id, starts_at, ends_at, required)"
			" SELECT id, '%s', '%s', '%s' FROM jobs WHERE name = '%s' RETURNING id",
			from, to, required, job);
}

static void assign(long shift_id, const char *username, const char *role)
{
	sql("INSERT INTO assignments (shift_id, user_id, role)"
	    " SELECT %ld, id, '%s' FROM users WHERE username = '%s'", shift_id, role, username);
}

/* The shift with id in a week answer, or NULL. */
static struct json_object *shift_in(struct json_object *week, long id)
{
	size_t i;

	for (i = 0; i < count_at(week, "shifts"); i++) {
		struct json_object *s = json_object_array_get_idx(at(week, "shifts"), i);

		if (int_at(s, "id") == id)
			return s;
	}
	return NULL;
}

static void open_window(const char *week, long from, long to)
{
	char path[96], body[160];
	long status;

	snprintf(path, sizeof(path), "/api/v1/schedule/weeks/%s/request-window", week);
	snprintf(body, sizeof(body), "{\"opens_at\":\"%s\",\"closes_at\":\"%s\"}",
		 rfc3339_from_now(from), rfc3339_from_now(to));
	json_object_put(call_json(&manager, "PUT", path, body, &status));
	CU_ASSERT_EQUAL(status, 200);
}

/*
 * Week of 2026-06-01: S1 (company A) with employee, chief (crew chief) and
 * other; S2 (company B) with other only; S3 (company A) with employee.
 */
static long s1, s2, s3;

static void seed_visibility_week(void)
{
	s1 = shift("Weeks Job A", "2026-06-02T08:00Z", "2026-06-02T16:00Z",
		   "{\"stagehand\":3,\"crew_chief\":1}");
	s2 = shift("Weeks Job B", "2026-06-03T08:00Z", "2026-06-03T16:00Z", "{\"stagehand\":2}");
	s3 = shift("Weeks Job A", "2026-06-04T08:00Z", "2026-06-04T12:00Z", "{\"stagehand\":1}");
	assign(s1, "wk-employee", "stagehand");
	assign(s1, "wk-chief", "crew_chief");
	assign(s1, "wk-other", "stagehand");
	assign(s2, "wk-other", "stagehand");
	assign(s3, "wk-employee", "stagehand");
}

static void test_managers_see_every_shift_with_fill_and_summary(void)
{
	long status;
	struct json_object *w = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-06-03",
					  NULL, &status);
	struct json_object *s;

	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_STRING_EQUAL(str_at(w, "week_start"), "2026-06-01");
	CU_ASSERT_STRING_EQUAL(str_at(w, "week_end"), "2026-06-07");
	CU_ASSERT_FALSE(json_object_get_boolean(at(w, "published")));
	CU_ASSERT_FALSE(json_object_get_boolean(at(w, "request_window.open")));
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 3);
	s = shift_in(w, s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(count_at(s, "assignments"), 3);
	CU_ASSERT_STRING_EQUAL(str_at(s, "job.name"), "Weeks Job A");
	CU_ASSERT_STRING_EQUAL(str_at(s, "job.venue_name"), "Hall A");
	CU_ASSERT_STRING_EQUAL(str_at(s, "client.name"), "Weeks Co A");
	CU_ASSERT_EQUAL(int_at(s, "fill.stagehand.required"), 3);
	CU_ASSERT_EQUAL(int_at(s, "fill.stagehand.assigned"), 2);
	CU_ASSERT_EQUAL(int_at(s, "open_places"), 1);
	CU_ASSERT(int_at(w, "availability_summary.submitted") >= 0);
	CU_ASSERT(int_at(w, "availability_summary.missing") >= 3);
	json_object_put(w);
}

/* The manager's view is kept by each worker; every change that shows in it must show at once. */
static void test_managers_view_follows_every_change(void)
{
	static const char *const path = "/api/v1/schedule/weeks/2026-06-03";
	long status;
	struct json_object *w, *s;
	int i;

	for (i = 0; i < 6; i++)   /* every worker renders and keeps it */
		json_object_put(call_json(&manager, "GET", path, NULL, &status));
	sql("UPDATE users SET name = 'Otto Renamed' WHERE username = 'wk-other'");
	sql("UPDATE jobs SET venue_name = 'Hall A2' WHERE name = 'Weeks Job A'");
	for (i = 0; i < 6; i++) {
		w = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_EQUAL(status, 200);
		s = shift_in(w, s2);
		CU_ASSERT_PTR_NOT_NULL(s);
		CU_ASSERT_PTR_NOT_NULL(s && strstr(json_object_to_json_string(s), "Otto Renamed"));
		CU_ASSERT_STRING_EQUAL(str_at(shift_in(w, s1), "job.venue_name"), "Hall A2");
		json_object_put(w);
	}
	sql("DELETE FROM assignments WHERE shift_id = %lld AND role = 'stagehand'"
	    " AND user_id = (SELECT id FROM users WHERE username = 'wk-other')", (long long)s2);
	for (i = 0; i < 6; i++) {
		w = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_EQUAL(count_at(shift_in(w, s2), "assignments"), 0);
		json_object_put(w);
	}
	assign(s2, "wk-other", "stagehand");
	sql("UPDATE users SET name = 'Otto Other' WHERE username = 'wk-other'");
	sql("UPDATE jobs SET venue_name = 'Hall A' WHERE name = 'Weeks Job A'");
	for (i = 0; i < 6; i++) {
		w = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_EQUAL(count_at(shift_in(w, s2), "assignments"), 1);
		json_object_put(w);
	}
}

/* The kept view says whether the request window is open: it must follow the clock too. */
static void test_managers_view_follows_the_request_window_opening(void)
{
	static const char *const path = "/api/v1/schedule/weeks/2026-06-03";
	long status;
	struct json_object *w;
	int i;

	sql("INSERT INTO schedule_weeks (week_start, request_opens_at, request_closes_at)"
	    " VALUES ('2026-06-01', now() + interval '2 seconds', now() + interval '1 day')"
	    " ON CONFLICT (week_start) DO UPDATE SET request_opens_at = excluded.request_opens_at,"
	    "   request_closes_at = excluded.request_closes_at");
	for (i = 0; i < 6; i++) {
		w = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_FALSE(json_object_get_boolean(at(w, "request_window.open")));
		json_object_put(w);
	}
	sleep_ms(2500);
	for (i = 0; i < 6; i++) {
		w = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_TRUE(json_object_get_boolean(at(w, "request_window.open")));
		json_object_put(w);
	}
	sql("UPDATE schedule_weeks SET request_opens_at = NULL, request_closes_at = NULL"
	    " WHERE week_start = '2026-06-01'");
}

static void test_fill_is_es_shift_fill(void)
{
	long status;
	struct json_object *w = call_json(&admin, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL,
					  &status);
	size_t i;

	CU_ASSERT_EQUAL(status, 200);
	for (i = 0; i < count_at(w, "shifts"); i++) {
		struct json_object *s = json_object_array_get_idx(at(w, "shifts"), i), *expected;

		expected = json_tokener_parse(sql_text("SELECT es_shift_fill(%lld)",
						       int_at(s, "id")));
		CU_ASSERT_TRUE(json_object_equal(at(s, "fill"), expected));
		json_object_put(expected);
	}
	json_object_put(w);
}

static void test_unpublished_week_is_invisible_to_workers_and_clients(void)
{
	long status;

	seed_week("2026-06-01", false);
	json_object_put(call_json(&employee, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 404);
	json_object_put(call_json(&chief, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 404);
	json_object_put(call_json(&client_a, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 404);
	json_object_put(call_json(NULL, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL, &status));
	CU_ASSERT_EQUAL(status, 401);
}

static void test_publish_and_unpublish_are_audited(void)
{
	static const char *const audited = "SELECT count(*) FROM audit_log WHERE entity = 'schedule_week'"
					   " AND entity_id = 20260601";
	long status, before = sql_long(audited);
	struct json_object *w;

	seed_week("2026-06-01", false);
	w = call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-07/publish", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_TRUE(json_object_get_boolean(at(w, "published")));
	CU_ASSERT_STRING_EQUAL(str_at(w, "week_start"), "2026-06-01");
	CU_ASSERT(strlen(str_at(w, "published_at")) > 0);
	json_object_put(w);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'schedule_week'"
				 " AND entity_id = 20260601 AND action = 'publish'"
				 " AND before->>'published' = 'false' AND after->>'published' = 'true'"), 1);
	json_object_put(call_json(&employee, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 200);
	w = call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-07/unpublish", NULL,
		      &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_FALSE(json_object_get_boolean(at(w, "published")));
	CU_ASSERT_TRUE(json_object_is_type(at(w, "published_at"), json_type_null));
	json_object_put(w);
	json_object_put(call_json(&employee, "GET", "/api/v1/schedule/weeks/2026-06-02", NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 404);
	json_object_put(call_json(&employee, "POST", "/api/v1/schedule/weeks/2026-06-07/publish",
				  NULL,
				  &status));
	CU_ASSERT_EQUAL(status, 403);
	w = call_json(&admin, "POST", "/api/v1/schedule/weeks/2026-06-01/publish", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	json_object_put(w);
	CU_ASSERT_EQUAL(sql_long(audited), before + 3);
}

static void test_an_employee_sees_only_their_shifts_and_assignments(void)
{
	long status;
	struct json_object *w, *s;

	seed_week("2026-06-01", true);
	w = call_json(&employee, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 2);
	CU_ASSERT_PTR_NULL(shift_in(w, s2));
	s = shift_in(w, s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(count_at(s, "assignments"), 1);
	CU_ASSERT_EQUAL(int_at(json_object_array_get_idx(at(s, "assignments"), 0), "user_id"),
			employee.user_id);
	CU_ASSERT_EQUAL(int_at(s, "fill.stagehand.assigned"), 2);
	CU_ASSERT_TRUE(json_object_is_type(at(w, "availability_summary"), json_type_null));
	json_object_put(w);
}

static void test_a_crew_chief_also_sees_their_crew(void)
{
	long status;
	struct json_object *w, *s;

	seed_week("2026-06-01", true);
	w = call_json(&chief, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 1);
	s = shift_in(w, s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(count_at(s, "assignments"), 3);
	json_object_put(w);
	/* other works S1 under the chief: they see only themselves there */
	w = call_json(&other, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL, &status);
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 2);
	CU_ASSERT_EQUAL(count_at(shift_in(w, s1), "assignments"), 1);
	json_object_put(w);
}

static void test_clients_see_their_companys_shifts_of_published_weeks(void)
{
	long status;
	struct json_object *w;

	seed_week("2026-06-01", true);
	w = call_json(&client_a, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 2);
	CU_ASSERT_PTR_NOT_NULL(shift_in(w, s1));
	CU_ASSERT_PTR_NOT_NULL(shift_in(w, s3));
	CU_ASSERT_EQUAL(count_at(shift_in(w, s1), "assignments"), 3);
	json_object_put(w);
	w = call_json(&client_b, "GET", "/api/v1/schedule/weeks/2026-06-01", NULL, &status);
	CU_ASSERT_EQUAL(count_at(w, "shifts"), 1);
	CU_ASSERT_PTR_NOT_NULL(shift_in(w, s2));
	json_object_put(w);
}

static void test_request_window_is_validated_and_audited(void)
{
	static const char *const path = "/api/v1/schedule/weeks/2026-07-08/request-window";
	long status;
	struct json_object *w;

	w = call_json(&manager, "PUT", path,
		      "{\"opens_at\":\"2026-07-01 08:00\",\"closes_at\":\"2026-13-01T00:00:00Z\"}",
		      &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_TRUE(has_detail(w, "opens_at"));
	CU_ASSERT_TRUE(has_detail(w, "closes_at"));
	json_object_put(w);
	w = call_json(&manager, "PUT", path, "{\"opens_at\":\"2026-07-01T10:00:00+02:00\","
					"\"closes_at\":\"2026-07-01T08:00:00Z\"}", &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_STRING_EQUAL(detail_at(w, "closes_at"), "must be after opens_at");
	json_object_put(w);
	w = call_json(&manager, "PUT", path, "{\"opens_at\":\"2026-07-01T08:00:00Z\"}", &status);
	CU_ASSERT_EQUAL(status, 422);
	json_object_put(w);
	w = call_json(&manager, "PUT", path, "{\"opens_at\":\"2026-07-01T08:00:00Z\",\"closes_at\":"
					"\"2026-07-03T08:00:00Z\",\"open\":true}", &status);
	CU_ASSERT_EQUAL(status, 400);
	json_object_put(w);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity_id = 20260706"), 0);
	w = call_json(&manager, "PUT", path, "{\"opens_at\":\"2026-07-01T10:00:00+02:00\","
					"\"closes_at\":\"2026-07-03T08:00:00.5Z\"}", &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_STRING_EQUAL(str_at(w, "week_start"), "2026-07-06");
	CU_ASSERT_FALSE(json_object_get_boolean(at(w, "request_window.open")));
	json_object_put(w);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM schedule_weeks WHERE week_start = '2026-07-06'"
				 " AND request_opens_at = '2026-07-01T08:00:00Z'"
				 " AND request_closes_at = '2026-07-03T08:00:00.5Z'"), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'schedule_week'"
				 " AND entity_id = 20260706 AND action = 'request_window'"), 1);
}

static void test_availability_needs_an_open_window(void)
{
	static const char *const path = "/api/v1/me/availability/2026-08-19";
	static const char *const body =
		"{\"entries\":[{\"date\":\"2026-08-18\",\"part\":\"morning\",\"state\":\"available\"}]}";
	long status;
	struct json_object *r;

	/* no window set: closed */
	r = call_json(&employee, "PUT", path, body, &status);
	CU_ASSERT_EQUAL(status, 409);
	CU_ASSERT_STRING_EQUAL(str_at(r, "error.code"), "request_window_closed");
	CU_ASSERT_STRING_EQUAL(detail_at(r, "rule"), "request_window_closed");
	json_object_put(r);
	/* a window that has closed */
	open_window("2026-08-17", -7200, -3600);
	r = call_json(&employee, "PUT", path, body, &status);
	CU_ASSERT_EQUAL(status, 409);
	CU_ASSERT(strlen(detail_at(r, "closes_at")) > 0);
	json_object_put(r);
	/* a window that has not opened yet */
	open_window("2026-08-17", 3600, 7200);
	json_object_put(call_json(&employee, "PUT", path, body, &status));
	CU_ASSERT_EQUAL(status, 409);
	/* open now */
	open_window("2026-08-17", -3600, 3600);
	r = call_json(&employee, "PUT", path, body, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_TRUE(json_object_get_boolean(at(r, "request_window.open")));
	CU_ASSERT_EQUAL(count_at(r, "entries"), 1);
	json_object_put(r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM availability a JOIN users u ON u.id = a.user_id"
				 " WHERE u.username = 'wk-employee' AND a.week_start = '2026-08-17'"), 1);
}

static void test_availability_is_replaced_read_back_and_audited(void)
{
	static const char *const path = "/api/v1/me/availability/2026-09-23";
	long status;
	struct json_object *r;

	open_window("2026-09-21", -3600, 3600);
	r = call_json(&chief, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(r, "entries"), 0);
	CU_ASSERT_TRUE(json_object_is_type(at(r, "submitted_at"), json_type_null));
	CU_ASSERT_TRUE(json_object_get_boolean(at(r, "request_window.open")));
	json_object_put(r);
	json_object_put(call_json(&chief, "PUT", path,
				  "{\"entries\":[{\"date\":\"2026-09-27\",\"part\":\"evening\",\"state\":\"preferred\"},"
				  "{\"date\":\"2026-09-21\",\"part\":\"noon\",\"state\":\"unavailable\"},"
				  "{\"date\":\"2026-09-21\",\"part\":\"morning\",\"state\":\"available\"}],"
				  "\"note\":\"O'Brien \\\"the crane\\\" <b>\"}", &status));
	CU_ASSERT_EQUAL(status, 200);
	r = call_json(&chief, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(count_at(r, "entries"), 3);
	/* kept in day and part order */
	CU_ASSERT_STRING_EQUAL(str_at(json_object_array_get_idx(at(r, "entries"), 0), "part"), "morning");
	CU_ASSERT_STRING_EQUAL(str_at(json_object_array_get_idx(at(r, "entries"), 2), "date"),
			       "2026-09-27");
	CU_ASSERT_STRING_EQUAL(str_at(r, "note"), "O'Brien \"the crane\" <b>");
	json_object_put(r);
	r = call_json(&chief, "PUT", path, "{\"entries\":[],\"note\":\"away\"}", &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(r, "entries"), 0);
	CU_ASSERT_STRING_EQUAL(str_at(r, "note"), "away");
	json_object_put(r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'availability'"
				 " AND action = 'submit' AND entity_id = %lld"
				 " AND after->>'week_start' = '2026-09-21'", chief.user_id), 2);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'availability'"
				 " AND entity_id = %lld AND before IS NOT NULL"
				 " AND jsonb_array_length(before->'entries') = 3", chief.user_id), 1);
	/* someone else's submission is untouched and unseen */
	r = call_json(&employee, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(count_at(r, "entries"), 0);
	json_object_put(r);
	json_object_put(call_json(&client_a, "GET", path, NULL, &status));
	CU_ASSERT_EQUAL(status, 403);
}

static void test_availability_entries_are_validated_per_index(void)
{
	static const char *const path = "/api/v1/me/availability/2026-10-07";
	long status;
	struct json_object *r;

	open_window("2026-10-05", -3600, 3600);
	r = call_json(&employee, "PUT", path,
		      "{\"entries\":["
		      "{\"date\":\"2026-10-05\",\"part\":\"morning\",\"state\":\"available\"},"
		      "{\"date\":\"2026-10-05\",\"part\":\"night\",\"state\":\"available\"},"
		      "{\"date\":\"2026-10-05\",\"part\":\"morning\",\"state\":\"preferred\"},"
		      "{\"date\":\"2026-02-30\",\"part\":\"noon\",\"state\":\"available\"},"
		      "{\"date\":\"2026-10-06\",\"part\":\"noon\",\"state\":\"maybe\"},"
		      "{\"date\":\"2026-10-06\",\"part\":\"noon\",\"state\":\"available\",\"extra\":1},"
		      "\"2026-10-06\","
		      "{\"date\":\"2026-10-06\",\"part\":\"noon\",\"state\":\"available\"}]}", &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_FALSE(has_detail(r, "entries[0]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[1]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[2]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[3]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[4]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[5]"));
	CU_ASSERT_TRUE(has_detail(r, "entries[6]"));
	CU_ASSERT_FALSE(has_detail(r, "entries[7]"));
	json_object_put(r);
	r = call_json(&employee, "PUT", path,
		      "{\"entries\":[{\"date\":\"2026-10-11\",\"part\":\"noon\",\"state\":\"available\"},"
		      "{\"date\":\"2026-10-12\",\"part\":\"noon\",\"state\":\"available\"}]}", &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_FALSE(has_detail(r, "entries[0]"));
	CU_ASSERT_STRING_EQUAL(detail_at(r, "entries[1]"), "date outside the week");
	json_object_put(r);
	json_object_put(call_json(&employee, "PUT", path, "{\"entries\":{}}", &status));
	CU_ASSERT_EQUAL(status, 400);
	json_object_put(call_json(&employee, "PUT", path, "{\"note\":\"no entries\"}", &status));
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM availability WHERE week_start = '2026-10-05'"), 0);
}

static void test_managers_read_everyones_availability(void)
{
	long status;
	struct json_object *r;
	size_t i;
	bool employee_listed = false, chief_missing = false, pending_listed = false;

	open_window("2027-02-01", -3600, 3600);
	json_object_put(call_json(&employee, "PUT", "/api/v1/me/availability/2027-02-03",
				  "{\"entries\":[{\"date\":\"2027-02-02\",\"part\":\"noon\",\"state\":\"preferred\"}],"
				  "\"note\":\"mornings are hard\"}", &status));
	CU_ASSERT_EQUAL(status, 200);
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2027-02-07/availability", NULL,
		      &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_STRING_EQUAL(str_at(r, "week_start"), "2027-02-01");
	for (i = 0; i < count_at(r, "items"); i++) {
		struct json_object *it = json_object_array_get_idx(at(r, "items"), i);

		if (int_at(it, "user_id") == employee.user_id)
			employee_listed = count_at(it, "availability.entries") == 1 &&
					  !strcmp(str_at(it, "availability.note"), "mornings are hard");
		else if (int_at(it, "user_id") == chief.user_id)
			CU_ASSERT_TRUE(json_object_is_type(at(it, "availability"), json_type_null));
		if (!strcmp(str_at(it, "name"), "Pending Pat"))
			pending_listed = true;
	}
	for (i = 0; i < count_at(r, "missing"); i++)
		if (int_at(json_object_array_get_idx(at(r, "missing"), i), "user_id") == chief.user_id)
			chief_missing = true;
	CU_ASSERT_TRUE(employee_listed);
	CU_ASSERT_TRUE(chief_missing);
	CU_ASSERT_FALSE(pending_listed);
	CU_ASSERT_EQUAL(count_at(r, "items"), (size_t)sql_long("SELECT count(*) FROM users WHERE"
							 " role = 'employee' AND active AND approved"));
	CU_ASSERT_EQUAL(count_at(r, "missing"), len_at(r, "items") - 1);
	json_object_put(r);
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2027-02-01", NULL, &status);
	CU_ASSERT_EQUAL(int_at(r, "availability_summary.submitted"), 1);
	CU_ASSERT_EQUAL(int_at(r, "availability_summary.missing"),
			sql_long("SELECT count(*) - 1 FROM users"
				 " WHERE role = 'employee' AND active AND approved"));
	json_object_put(r);
	json_object_put(call_json(&employee, "GET",
				  "/api/v1/schedule/weeks/2027-02-01/availability", NULL, &status));
	CU_ASSERT_EQUAL(status, 403);
}

static void test_preferences_are_validated_then_replaced(void)
{
	static const char *const path = "/api/v1/schedule/weeks/2026-11-02/preferences";
	long status;
	struct json_object *r;

	r = call_json(&manager, "PUT", path,
		      "{\"closed_days\":[\"sunday\",\"funday\",\"sunday\",5],"
		      "\"default_parts\":{\"sunday\":[\"morning\"],\"monday\":[\"night\",\"noon\",\"noon\"],"
		      "\"moonday\":[],\"tuesday\":\"morning\"}}", &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_TRUE(has_detail(r, "closed_days[1]"));
	CU_ASSERT_STRING_EQUAL(detail_at(r, "closed_days[2]"), "named twice");
	CU_ASSERT_TRUE(has_detail(r, "closed_days[3]"));
	CU_ASSERT_STRING_EQUAL(detail_at(r, "default_parts.sunday"), "the day is closed");
	json_object_put(r);
	r = call_json(&manager, "PUT", path,
		      "{\"default_parts\":{\"monday\":[\"night\",\"noon\",\"noon\"],"
					"\"moonday\":[],\"tuesday\":\"morning\"}}", &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_TRUE(has_detail(r, "default_parts.monday[0]"));
	CU_ASSERT_FALSE(has_detail(r, "default_parts.monday[1]"));
	CU_ASSERT_STRING_EQUAL(detail_at(r, "default_parts.monday[2]"), "named twice");
	CU_ASSERT_TRUE(has_detail(r, "default_parts.moonday"));
	CU_ASSERT_TRUE(has_detail(r, "default_parts.tuesday"));
	json_object_put(r);
	json_object_put(call_json(&manager, "PUT", path, "{\"closed\":[]}", &status));
	CU_ASSERT_EQUAL(status, 400);
	r = call_json(&manager, "PUT", path, "{\"closed_days\":[\"sunday\"],"
					"\"default_parts\":{\"monday\":[\"morning\",\"noon\"]}}", &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(count_at(r, "preferences.closed_days"), 1);
	CU_ASSERT_EQUAL(count_at(r, "preferences.default_parts.monday"), 2);
	json_object_put(r);
	r = call_json(&manager, "PUT", path, "{\"closed_days\":[\"saturday\",\"sunday\"]}",
		      &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_PTR_NULL(at(r, "preferences.default_parts"));
	json_object_put(r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'schedule_week'"
				 " AND entity_id = 20261102 AND action = 'preferences'"), 2);
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-11-08", NULL, &status);
	CU_ASSERT_EQUAL(count_at(r, "preferences.closed_days"), 2);
	json_object_put(r);
}

static void test_copy_keeps_local_times_across_a_dst_change(void)
{
	long status, early;
	struct json_object *r;

	seed_settings("{\"time_zone\": \"America/New_York\"}");
	/* Tuesday 08:00 EST, and Sunday 23:30 EST (already Monday in UTC) */
	early = shift("Weeks Job A", "2026-03-03T08:00:00-05:00", "2026-03-03T16:00:00-05:00",
		      "{\"stagehand\":1}");
	shift("Weeks Job A", "2026-03-08T23:30:00-04:00", "2026-03-09T03:30:00-04:00",
	      "{\"stagehand\":1}");
	assign(early, "wk-employee", "stagehand");
	r = call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-03-04/copy",
		      "{\"to\":\"2026-03-12\"}",
		      &status);
	CU_ASSERT_EQUAL(status, 201);
	CU_ASSERT_STRING_EQUAL(str_at(r, "from_week_start"), "2026-03-02");
	CU_ASSERT_STRING_EQUAL(str_at(r, "to_week_start"), "2026-03-09");
	CU_ASSERT_EQUAL(int_at(r, "shifts_copied"), 2);
	CU_ASSERT_EQUAL(int_at(r, "assignments_copied"), 0);
	json_object_put(r);
	/* the same copy again (a double click) copies nothing */
	r = call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-03-04/copy",
		      "{\"to\":\"2026-03-12\"}",
		      &status);
	CU_ASSERT_EQUAL(status, 201);
	CU_ASSERT_EQUAL(int_at(r, "shifts_copied"), 0);
	json_object_put(r);
	/* 08:00 local both weeks: 13:00Z in winter time, 12:00Z in summer time */
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts WHERE starts_at = '2026-03-10T12:00:00Z'"
				 " AND ends_at = '2026-03-10T20:00:00Z'"), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts WHERE starts_at = '2026-03-15T23:30:00-04:00'"), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM assignments a JOIN shifts s ON s.id = a.shift_id"
				 " WHERE s.starts_at = '2026-03-10T12:00:00Z'"), 0);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'schedule_week'"
				 " AND entity_id = 20260309 AND action = 'copy'"), 2);   /* both copies */
	seed_settings("{\"time_zone\": \"UTC\"}");
}

static void test_week_boundaries_are_in_the_workplace_zone(void)
{
	long status, sunday_night;
	struct json_object *r;

	seed_settings("{\"time_zone\": \"America/New_York\"}");
	/* Sunday 23:30 in New York, already Monday in UTC */
	sunday_night = shift("Weeks Job A", "2026-03-22T23:30:00-04:00", "2026-03-23T03:30:00-04:00",
			     "{\"stagehand\":1}");
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-03-16", NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_PTR_NOT_NULL(shift_in(r, sunday_night));
	json_object_put(r);
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-03-23", NULL, &status);
	CU_ASSERT_PTR_NULL(shift_in(r, sunday_night));
	json_object_put(r);
	seed_settings("{\"time_zone\": \"UTC\"}");
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-03-23", NULL, &status);
	CU_ASSERT_PTR_NOT_NULL(shift_in(r, sunday_night));
	json_object_put(r);
	/* weeks starting on sunday */
	seed_settings("{\"week_start\": \"sunday\"}");
	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2026-03-25", NULL, &status);
	CU_ASSERT_STRING_EQUAL(str_at(r, "week_start"), "2026-03-22");
	CU_ASSERT_STRING_EQUAL(str_at(r, "week_end"), "2026-03-28");
	CU_ASSERT_PTR_NOT_NULL(shift_in(r, sunday_night));
	json_object_put(r);
	seed_settings("{\"week_start\": \"monday\"}");
}

static void test_copy_refuses_the_same_week_and_bad_targets(void)
{
	long status;
	struct json_object *r;

	r = call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-01/copy",
		      "{\"to\":\"2026-06-07\"}",
		      &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_STRING_EQUAL(detail_at(r, "to"), "must be another week");
	json_object_put(r);
	json_object_put(call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-01/copy",
				  "{\"to\":\"next week\"}", &status));
	CU_ASSERT_EQUAL(status, 422);
	json_object_put(call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-01/copy", "{}",
				  &status));
	CU_ASSERT_EQUAL(status, 422);
	json_object_put(call_json(&manager, "POST", "/api/v1/schedule/weeks/2026-06-01/copy",
				  "{\"to\":\"2026-06-08\",\"assignments\":\"yes\"}", &status));
	CU_ASSERT_EQUAL(status, 400);
	json_object_put(call_json(&employee, "POST", "/api/v1/schedule/weeks/2026-06-01/copy",
				  "{\"to\":\"2026-06-08\"}", &status));
	CU_ASSERT_EQUAL(status, 403);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts WHERE starts_at >= '2026-06-08'"
				 " AND starts_at < '2026-06-15'"), 0);
}

static void test_copy_with_assignments_skips_those_that_break_rules(void)
{
	long status, src, blocker, idle;
	struct json_object *r, *skipped;
	size_t i;
	bool overlap = false, certification = false;

	src = shift("Weeks Job A", "2031-12-02T08:00Z", "2031-12-02T16:00Z",
		    "{\"stagehand\":2,\"crew_chief\":1}");
	idle = shift("Weeks Job Closed", "2031-12-03T08:00Z", "2031-12-03T16:00Z", "{\"stagehand\":1}");
	assign(src, "wk-employee", "stagehand");
	assign(src, "wk-other", "stagehand");
	assign(src, "wk-chief2", "crew_chief");
	/* in the target week other already works an overlapping shift */
	blocker = shift("Weeks Job B", "2031-12-09T06:00Z", "2031-12-09T10:00Z", "{\"stagehand\":1}");
	assign(blocker, "wk-other", "stagehand");
	/* and chief2 lost the certification since */
	sql("UPDATE certifications SET can_crew_chief = false"
	    " WHERE user_id = (SELECT id FROM users WHERE username = 'wk-chief2')");
	r = call_json(&manager, "POST", "/api/v1/schedule/weeks/2031-12-02/copy",
		      "{\"to\":\"2031-12-09\",\"assignments\":true}", &status);
	CU_ASSERT_EQUAL(status, 201);
	CU_ASSERT_EQUAL(int_at(r, "shifts_copied"), 1);
	CU_ASSERT_EQUAL(int_at(r, "assignments_copied"), 1);
	CU_ASSERT_EQUAL(count_at(r, "skipped_shifts"), 1);
	CU_ASSERT_EQUAL(int_at(json_object_array_get_idx(at(r, "skipped_shifts"), 0), "source_id"), idle);
	skipped = at(r, "skipped_assignments");
	CU_ASSERT_EQUAL(count_at(r, "skipped_assignments"), 2);
	for (i = 0; i < count_at(r, "skipped_assignments"); i++) {
		struct json_object *s = json_object_array_get_idx(skipped, i);
		const char *rule = str_at(json_object_array_get_idx(at(s, "rules"), 0), "rule");

		CU_ASSERT_EQUAL(int_at(s, "source_shift_id"), src);
		if (int_at(s, "user_id") == other.user_id)
			overlap = !strcmp(rule, "overlap");
		else
			certification = !strcmp(rule, "certification_missing") &&
					!strcmp(str_at(s, "role"), "crew_chief");
	}
	CU_ASSERT_TRUE(overlap);
	CU_ASSERT_TRUE(certification);
	json_object_put(r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM assignments a JOIN shifts s ON s.id = a.shift_id"
				 " WHERE s.starts_at = '2031-12-09T08:00Z'"), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT a.user_id FROM assignments a JOIN shifts s ON s.id = a.shift_id"
				 " WHERE s.starts_at = '2031-12-09T08:00Z'"), employee.user_id);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM shifts WHERE starts_at = '2031-12-10T08:00Z'"), 0);
}

static void test_conflicts_list_every_broken_rule(void)
{
	long status, c1, c2, c3, c4, c5, c6;
	struct json_object *r;
	size_t i;
	bool overlap = false, rest = false, full = false, cert = false, clean = true;

	c1 = shift("Weeks Job A", "2027-01-05T08:00Z", "2027-01-05T16:00Z", "{\"stagehand\":1}");
	c2 = shift("Weeks Job B", "2027-01-05T12:00Z", "2027-01-05T20:00Z", "{\"stagehand\":1}");
	assign(c1, "wk-employee", "stagehand");
	assign(c2, "wk-employee", "stagehand");
	c3 = shift("Weeks Job A", "2027-01-06T08:00Z", "2027-01-06T16:00Z", "{\"stagehand\":1}");
	c4 = shift("Weeks Job A", "2027-01-06T20:00Z", "2027-01-07T02:00Z", "{\"stagehand\":1}");
	assign(c3, "wk-other", "stagehand");
	assign(c4, "wk-other", "stagehand");
	c5 = shift("Weeks Job A", "2027-01-08T08:00Z", "2027-01-08T12:00Z", "{\"stagehand\":1}");
	assign(c5, "wk-chief", "stagehand");
	assign(c5, "wk-extra", "stagehand");
	c6 = shift("Weeks Job A", "2027-01-09T08:00Z", "2027-01-09T12:00Z", "{\"forklift_operator\":1}");
	assign(c6, "wk-chief", "forklift_operator");
	/* a clean assignment is not listed */
	assign(shift("Weeks Job A", "2027-01-10T08:00Z", "2027-01-10T12:00Z", "{\"stagehand\":1}"),
	       "wk-clean", "stagehand");

	r = call_json(&manager, "GET", "/api/v1/schedule/weeks/2027-01-06/conflicts", NULL,
		      &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_STRING_EQUAL(str_at(r, "week_start"), "2027-01-04");
	for (i = 0; i < count_at(r, "items"); i++) {
		struct json_object *it = json_object_array_get_idx(at(r, "items"), i);
		long long sid = int_at(it, "shift_id");
		size_t j;

		if (!strcmp(str_at(it, "name"), "Clean Carl"))
			clean = false;
		for (j = 0; j < count_at(it, "rules"); j++) {
			struct json_object *rule = json_object_array_get_idx(at(it, "rules"), j);
			const char *name = str_at(rule, "rule");
			bool soft = json_object_get_boolean(at(rule, "soft"));

			if ((sid == c1 || sid == c2) && !strcmp(name, "overlap") && !soft)
				overlap = true;
			if ((sid == c3 || sid == c4) && !strcmp(name, "rest_period") && soft)
				rest = true;
			if (sid == c5 && !strcmp(name, "role_full") && soft &&
			    int_at(rule, "detail.assigned") == 2)
				full = true;
			if (sid == c6 && !strcmp(name, "certification_missing") && !soft)
				cert = true;
		}
	}
	CU_ASSERT_TRUE(overlap);
	CU_ASSERT_TRUE(rest);
	CU_ASSERT_TRUE(full);
	CU_ASSERT_TRUE(cert);
	CU_ASSERT_TRUE(clean);
	CU_ASSERT_EQUAL(count_at(r, "items"), 7);
	json_object_put(r);
	json_object_put(call_json(&chief, "GET", "/api/v1/schedule/weeks/2027-01-06/conflicts",
				  NULL, &status));
	CU_ASSERT_EQUAL(status, 403);
}

static void test_no_path_or_body_makes_a_500(void)
{
	static const char *const paths[] = {
		"/api/v1/schedule/weeks/2026-02-30", "/api/v1/schedule/weeks/abc",
		"/api/v1/schedule/weeks/999999", "/api/v1/schedule/weeks/2026-6-1",
		"/api/v1/schedule/weeks/%2026-06-01", "/api/v1/schedule/weeks/2026-06-01%00",
		"/api/v1/schedule/weeks/-2026-06-01", "/api/v1/schedule/weeks/1899-12-31",
		"/api/v1/me/availability/2026-06-01x", "/api/v1/schedule/weeks/0000-01-01/conflicts",
	};
	static const char *const edges[] = {
		"/api/v1/schedule/weeks/9999-12-31", "/api/v1/schedule/weeks/1900-01-01",
		"/api/v1/schedule/weeks/9999-12-31/conflicts", "/api/v1/schedule/weeks/9999-12-31/availability",
		"/api/v1/me/availability/9999-12-31",
	};
	static const char *const bodies[] = {
		"{\"opens_at\":\"9999-12-31T23:59:59+23:59\",\"closes_at\":\"9999-12-31T23:59:60Z\"}",
		"{\"opens_at\":\"1900-01-01T00:00:00-23:59\",\"closes_at\":\"2026-01-01T00:00:00.123456789Z\"}",
	};
	long status;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		json_object_put(call_json(&manager, "GET", paths[i], NULL, &status));
		if (status != 404)
			fprintf(stderr, "%s: %ld\n", paths[i], status);
		CU_ASSERT(status == 404 || status == 400);
	}
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		json_object_put(call_json(&manager, "GET", edges[i], NULL, &status));
		if (status != 200)
			fprintf(stderr, "%s: %ld\n", edges[i], status);
		CU_ASSERT_EQUAL(status, 200);
	}
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct json_object *r = call_json(&manager, "PUT",
						  "/api/v1/schedule/weeks/2030-01-01/request-window",
						  bodies[i], &status);

		CU_ASSERT_EQUAL(status, 422);
		CU_ASSERT_TRUE(has_detail(r, "opens_at"));
		CU_ASSERT_FALSE(has_detail(r, "closes_at"));
		json_object_put(r);
	}
	json_object_put(call_json(&manager, "PUT",
				  "/api/v1/schedule/weeks/2030-01-01/request-window",
				  "{\"opens_at\":\"1900-01-01T00:00:00-14:00\","
				  "\"closes_at\":\"9999-12-31T23:59:59.123456789Z\"}", &status));
	CU_ASSERT_EQUAL(status, 200);
	json_object_put(call_json(&manager, "PUT",
				  "/api/v1/schedule/weeks/2030-01-01/request-window",
				  "{\"opens_at\":\"2026-06-30T23:59:60Z\","
				  "\"closes_at\":\"2026-06-30T23:59:60.5Z\"}", &status));
	CU_ASSERT_EQUAL(status, 422);
	json_object_put(call_json(&manager, "POST", "/api/v1/schedule/weeks/9999-12-31/copy",
				  "{\"to\":\"1900-01-01\",\"assignments\":true}", &status));
	CU_ASSERT_EQUAL(status, 201);
	json_object_put(call_json(&manager, "PUT", "/api/v1/schedule/weeks/2026-06-01/preferences",
				  "[]",
				  &status));
	CU_ASSERT_EQUAL(status, 400);
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	sql("INSERT INTO client_companies (name) VALUES ('Weeks Co A'), ('Weeks Co B')");
	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('wk-admin', 'Admin', 'admin', true, true),"
	    " ('wk-manager', 'Manager', 'manager', true, true),"
	    " ('wk-employee', 'Emma Employee', 'employee', true, true),"
	    " ('wk-chief', 'Chris Chief', 'employee', true, true),"
	    " ('wk-chief2', 'Cora Chief', 'employee', true, true),"
	    " ('wk-other', 'Otto Other', 'employee', true, true),"
	    " ('wk-extra', 'Ed Extra', 'employee', true, true),"
	    " ('wk-clean', 'Clean Carl', 'employee', true, true),"
	    " ('wk-pending', 'Pending Pat', 'employee', true, false)");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " SELECT 'wk-client-' || right(name, 1), 'Client ' || right(name, 1), 'client', id,"
	    "        true, true FROM client_companies WHERE name LIKE 'Weeks Co %%'");
	sql("INSERT INTO certifications (user_id, can_crew_chief)"
	    " SELECT id, username IN ('wk-chief', 'wk-chief2') FROM users"
	    "  WHERE username LIKE 'wk-%%' AND role <> 'client'");
	sql("INSERT INTO jobs (client_company_id, name, venue_name, active)"
	    " SELECT id, 'Weeks Job ' || right(name, 1), 'Hall ' || right(name, 1), true"
	    "   FROM client_companies WHERE name LIKE 'Weeks Co %%'");
	sql("INSERT INTO jobs (client_company_id, name, active)"
	    " SELECT id, 'Weeks Job Closed', false FROM client_companies WHERE name = 'Weeks Co A'");
	seed_visibility_week();
	if (principal_for("wk-admin", &admin) || principal_for("wk-manager", &manager) ||
	    principal_for("wk-employee", &employee) || principal_for("wk-chief", &chief) ||
	    principal_for("wk-other", &other) || principal_for("wk-client-A", &client_a) ||
	    principal_for("wk-client-B", &client_b))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "managers see every shift with fill and summary", test_managers_see_every_shift_with_fill_and_summary },
		{ "the manager's view follows every change", test_managers_view_follows_every_change },
		{ "the manager's view follows the window opening", test_managers_view_follows_the_request_window_opening },
		{ "fill is es_shift_fill", test_fill_is_es_shift_fill },
		{ "unpublished week is invisible to workers and clients", test_unpublished_week_is_invisible_to_workers_and_clients },
		{ "publish and unpublish are audited", test_publish_and_unpublish_are_audited },
		{ "an employee sees only their shifts and assignments", test_an_employee_sees_only_their_shifts_and_assignments },
		{ "a crew chief also sees their crew", test_a_crew_chief_also_sees_their_crew },
		{ "clients see their company's shifts of published weeks", test_clients_see_their_companys_shifts_of_published_weeks },
		{ "request window is validated and audited", test_request_window_is_validated_and_audited },
		{ "availability needs an open window", test_availability_needs_an_open_window },
		{ "availability is replaced, read back and audited", test_availability_is_replaced_read_back_and_audited },
		{ "availability entries are validated per index", test_availability_entries_are_validated_per_index },
		{ "managers read everyone's availability", test_managers_read_everyones_availability },
		{ "preferences are validated, then replaced", test_preferences_are_validated_then_replaced },
		{ "copy keeps local times across a DST change", test_copy_keeps_local_times_across_a_dst_change },
		{ "week boundaries are in the workplace zone", test_week_boundaries_are_in_the_workplace_zone },
		{ "copy refuses the same week and bad targets", test_copy_refuses_the_same_week_and_bad_targets },
		{ "copy with assignments skips those that break rules", test_copy_with_assignments_skips_those_that_break_rules },
		{ "conflicts list every broken rule", test_conflicts_list_every_broken_rule },
		{ "no path or body makes a 500", test_no_path_or_body_makes_a_500 },
		{ NULL, NULL },
	};

	return cu_run("e2e weeks", suite_init, e2e_done, tests);
}
