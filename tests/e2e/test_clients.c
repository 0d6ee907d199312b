/*
 * Client directory and jobs end to end, through nginx: each route's happy
 * path, validation per field, 404s, duplicates, the delete and deactivate
 * rules, who may see which company, hostile text kept verbatim, and an
 * audit row for every write that succeeded (none for a refused one).
 * Users and sessions are written straight into the tables; requests carry
 * a Bearer token.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/audit.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal anon, manager, admin, employee, client_a;
static long long company_a, company_b;

/* ---- requests and responses ---- */

/* Asserts a refusal: its status, error code and, when given, the detail naming a field. */
static void assert_refused(const struct http_res *r, long status, const char *code,
			   const char *detail)
{
	struct json_object *root = body_json(r);
	char path[128];

	CU_ASSERT_EQUAL(r->status, status);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.code"), code);
	if (detail) {
		snprintf(path, sizeof(path), "error.details.%s", detail);
		CU_ASSERT_PTR_NOT_NULL(at(root, path));
	}
	if (r->status != status)
		fprintf(stderr, "unexpected answer %ld: %s\n", r->status, r->body.buf);
	json_object_put(root);
}

/* ---- the database, for fixtures and for checking what was written ---- */

/* A shift of job starting at starts (an SQL timestamp expression), lasting hours. */
static long long new_shift(long long job, const char *starts, double hours)
{
	char ends[256];

	snprintf(ends, sizeof(ends), "(%s)::timestamptz + make_interval(secs => %f * 3600)", starts,
		 hours);
	return seed_shift(job, starts, ends, NULL);
}

/* Creates a client through the API as a manager; returns its id (-1 on failure). */
static long long api_company(const char *body)
{
	struct http_res r;
	struct json_object *root;
	long long id;

	call(&manager, "POST", "/api/v1/clients", body, &r);
	root = body_json(&r);
	id = r.status == 201 ? int_at(root, "id") : -1;
	if (r.status != 201)
		fprintf(stderr, "api_company(%s): %ld %s\n", body, r.status, r.body.buf);
	json_object_put(root);
	http_res_release(&r);
	return id;
}

/* ---- client companies ---- */

static void test_create_client_returns_the_trimmed_company_and_audits_it(void)
{
	struct http_res r;
	struct json_object *root;
	long long id;

	call(&manager, "POST", "/api/v1/clients",
	     "{\"name\":\"  Harbor Lights  \",\"contact_name\":\"Rita Moreno\","
	     "\"contact_email\":\"rita@harbor.example\",\"contact_phone\":\"+1 555 0199\"}", &r);
	CU_ASSERT_EQUAL(r.status, 201);
	root = body_json(&r);
	id = int_at(root, "id");
	CU_ASSERT(id > 0);
	CU_ASSERT_STRING_EQUAL(str_at(root, "name"), "Harbor Lights");
	CU_ASSERT_STRING_EQUAL(str_at(root, "contact_name"), "Rita Moreno");
	CU_ASSERT_STRING_EQUAL(str_at(root, "contact_email"), "rita@harbor.example");
	CU_ASSERT_STRING_EQUAL(str_at(root, "contact_phone"), "+1 555 0199");
	CU_ASSERT_PTR_NOT_NULL(at(root, "created_at"));
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("client_company", id, "create"), 1);
	CU_ASSERT_EQUAL(sql_long("SELECT actor_id FROM audit_log WHERE entity = 'client_company'"
				 " AND entity_id = %lld", id), manager.user_id);
}

static void test_create_client_without_contacts_stores_nulls(void)
{
	struct http_res r;
	struct json_object *root;

	call(&admin, "POST", "/api/v1/clients",
	     "{\"name\":\"Bare Minimum\",\"contact_phone\":\"  \"}", &r);
	CU_ASSERT_EQUAL(r.status, 201);
	root = body_json(&r);
	CU_ASSERT_TRUE(null_at(root, "contact_name"));
	CU_ASSERT_TRUE(null_at(root, "contact_email"));
	CU_ASSERT_TRUE(null_at(root, "contact_phone"));
	json_object_put(root);
	http_res_release(&r);
}

static void test_create_client_reports_every_bad_field(void)
{
	struct http_res r;
	struct json_object *root;
	long before = audit_total();
	char body[1024], long_name[300], long_phone[60];

	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	memset(long_phone, '5', 51);
	long_phone[51] = '\0';
	call(&manager, "POST", "/api/v1/clients",
	     "{\"name\":\"   \",\"contact_email\":\"not an email\"}", &r);
	assert_refused(&r, 422, "validation_failed", "name");
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.name"), "must not be empty");
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.contact_email"), "not an email address");
	json_object_put(root);
	http_res_release(&r);

	snprintf(body, sizeof(body), "{\"name\":\"ok\",\"contact_name\":\"%s\",\"contact_phone\":\"%s\"}",
		 long_name, long_phone);
	call(&manager, "POST", "/api/v1/clients", body, &r);
	assert_refused(&r, 422, "validation_failed", "contact_name");
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.contact_name"), "too long");
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.contact_phone"), "too long");
	json_object_put(root);
	http_res_release(&r);

	call(&manager, "POST", "/api/v1/clients", "{\"contact_name\":\"No Name\"}", &r);
	assert_refused(&r, 422, "validation_failed", "name");
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_total(), before);
}

static void test_create_client_refuses_unknown_fields_and_wrong_types(void)
{
	struct http_res r;

	call(&manager, "POST", "/api/v1/clients", "{\"name\":\"X\",\"vip\":true}", &r);
	assert_refused(&r, 400, "unknown_field", "field");
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/clients", "{\"name\":42}", &r);
	assert_refused(&r, 400, "wrong_type", "field");
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/clients", "[\"name\"]", &r);
	assert_refused(&r, 400, "body_not_object", NULL);
	http_res_release(&r);
}

static void test_client_names_are_unique_regardless_of_case(void)
{
	struct http_res r;
	long before;

	CU_ASSERT(api_company("{\"name\":\"Unique Venue Group\"}") > 0);
	before = audit_total();
	call(&manager, "POST", "/api/v1/clients", "{\"name\":\"UNIQUE venue group\"}", &r);
	assert_refused(&r, 409, "client_name_taken", "rule");
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/clients", "{\"name\":\" Unique Venue Group \"}", &r);
	assert_refused(&r, 409, "client_name_taken", NULL);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_total(), before);
}

static void test_a_name_is_limited_to_200_characters(void)
{
	char *body = malloc(10100), name[201 * 4 + 1];
	struct http_res r;
	struct json_object *root;
	size_t i;

	strcpy(body, "{\"name\":\"");
	memset(body + 9, 'x', 10000);
	strcpy(body + 10009, "\"}");
	call(&manager, "POST", "/api/v1/clients", body, &r);
	assert_refused(&r, 422, "validation_failed", "name");
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.name"), "too long");
	json_object_put(root);
	http_res_release(&r);

	/* 200 characters of four bytes each: the limit counts characters */
	for (i = 0; i < 200; i++)
		memcpy(name + 4 * i, "\xf0\x9f\x8e\xad", 4);
	name[800] = '\0';
	snprintf(body, 10100, "{\"name\":\"%s\"}", name);
	CU_ASSERT(api_company(body) > 0);
	snprintf(body, 10100, "{\"name\":\"%s\xf0\x9f\x8e\xad\"}", name);
	CU_ASSERT_EQUAL(call(&manager, "POST", "/api/v1/clients", body, NULL), 422);
	free(body);
}

static void test_invalid_utf8_and_nul_are_refused(void)
{
	struct http_res r;

	call(&manager, "POST", "/api/v1/clients", "{\"name\":\"Caf\xc3\x28\"}", &r);
	assert_refused(&r, 400, "invalid_utf8", NULL);
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/clients", "{\"name\":\"Null\\u0000Byte\"}", &r);
	assert_refused(&r, 422, "validation_failed", "name");
	http_res_release(&r);
	call(&manager, "GET", "/api/v1/clients?q=%C3%28", NULL, &r);
	assert_refused(&r, 400, "invalid_utf8", "parameter");
	http_res_release(&r);
}

static void test_hostile_text_is_stored_and_returned_verbatim(void)
{
	static const char *const names[] = {
		"'; DROP TABLE users; --",
		"<script>alert(1)</script>",
		"O'Brien \"The Hammer\" & Sons \\ Co",
		"Caf\xc3\xa9 \xf0\x9f\x8e\xad\xf0\x9f\x98\x80 \xe6\x9d\xb1\xe4\xba\xac",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct json_object *body = json_object_new_object(), *root;
		struct http_res r;
		char path[64];
		long long id;

		json_object_object_add(body, "name", json_object_new_string(names[i]));
		json_object_object_add(body, "contact_name", json_object_new_string(names[i]));
		id = api_company(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
		json_object_put(body);
		CU_ASSERT_FATAL(id > 0);
		snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
		call(&manager, "GET", path, NULL, &r);
		CU_ASSERT_EQUAL(r.status, 200);
		root = body_json(&r);
		CU_ASSERT_STRING_EQUAL(str_at(root, "name"), names[i]);
		CU_ASSERT_STRING_EQUAL(str_at(root, "contact_name"), names[i]);
		json_object_put(root);
		http_res_release(&r);
	}
	CU_ASSERT(sql_long("SELECT count(*) FROM users") > 0);   /* still there */
}

static void test_list_clients_searches_names_and_pages(void)
{
	struct http_res r;
	struct json_object *root;

	seed_company("Zephyr Listing Bravo");
	seed_company("zephyr listing alpha");
	seed_company("Zephyr Listing Charlie");
	seed_company("Unrelated Listing");
	call(&manager, "GET", "/api/v1/clients?q=ZEPHYR%20listing", NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 3);
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.0.name"), "zephyr listing alpha");
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.1.name"), "Zephyr Listing Bravo");
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.2.name"), "Zephyr Listing Charlie");
	json_object_put(root);
	http_res_release(&r);

	call(&manager, "GET", "/api/v1/clients?q=zephyr&limit=1&offset=1", NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 3);
	CU_ASSERT_EQUAL(len_at(root, "items"), 1);
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.0.name"), "Zephyr Listing Bravo");
	json_object_put(root);
	http_res_release(&r);

	/* % and _ are plain characters, not patterns */
	call(&manager, "GET", "/api/v1/clients?q=%25", NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 0);
	json_object_put(root);
	http_res_release(&r);
}

static void test_list_clients_refuses_bad_paging(void)
{
	struct http_res r;

	call(&manager, "GET", "/api/v1/clients?limit=501", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "limit");
	http_res_release(&r);
	call(&manager, "GET", "/api/v1/clients?offset=-1", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "offset");
	http_res_release(&r);
}

static void test_client_details_show_users_jobs_and_the_last_30_days(void)
{
	struct http_res r;
	struct json_object *root;
	long long c = seed_company("Details Arena"), job, old_job, recent, entry;
	char path[64];

	sql("INSERT INTO users (username, name, email, role, client_company_id, active, approved)"
	    " VALUES ('cd-details-user', 'Dee Tails', 'dee@arena.example', 'client', %lld,"
	    " true, true)", c);
	job = seed_job(c, "Season opener");
	old_job = seed_job(c, "Last season");
	sql("UPDATE jobs SET active = false WHERE id = %lld", old_job);
	recent = new_shift(job, "now() - interval '2 days'", 8);
	new_shift(job, "now() - interval '40 days'", 5);    /* before the window */
	new_shift(job, "now() + interval '2 days'", 6);     /* not yet worked */
	/* approved: 7 h + 30 min; the other entry is not approved yet */
	entry = sql_long("WITH a AS (INSERT INTO assignments (shift_id, user_id, role)"
			 "           SELECT %lld, id, 'stagehand' FROM users WHERE username = 'cd-employee'"
			 "           RETURNING id)"
			 " INSERT INTO time_entries (assignment_id, status, submitted_at, approved_at)"
			 " SELECT id, 'clocked_out', now(), now() FROM a RETURNING id", recent);
	sql("INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in, clock_out) VALUES"
	    " (%lld, 1, now() - interval '2 days', now() - interval '2 days' + interval '7 hours'),"
	    " (%lld, 2, now() - interval '1 day', now() - interval '1 day' + interval '30 minutes')",
	    entry, entry);
	entry = sql_long("WITH a AS (INSERT INTO assignments (shift_id, user_id, role)"
			 "           SELECT %lld, id, 'general' FROM users WHERE username = 'cd-employee'"
			 "           RETURNING id)"
			 " INSERT INTO time_entries (assignment_id, status) SELECT id, 'clocked_out' FROM a"
			 " RETURNING id", recent);
	sql("INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in, clock_out) VALUES"
	    " (%lld, 1, now() - interval '2 days', now() - interval '2 days' + interval '3 hours')",
	    entry);

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", c);
	call(&manager, "GET", path, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "id"), c);
	CU_ASSERT_STRING_EQUAL(str_at(root, "name"), "Details Arena");
	CU_ASSERT_EQUAL(len_at(root, "users"), 1);
	CU_ASSERT_STRING_EQUAL(str_at(root, "users.0.username"), "cd-details-user");
	CU_ASSERT_STRING_EQUAL(str_at(root, "users.0.name"), "Dee Tails");
	CU_ASSERT_STRING_EQUAL(str_at(root, "users.0.email"), "dee@arena.example");
	CU_ASSERT_TRUE(json_object_get_boolean(at(root, "users.0.active")));
	CU_ASSERT_PTR_NULL(at(root, "users.0.password_hash"));
	CU_ASSERT_EQUAL(int_at(root, "jobs.active"), 1);
	CU_ASSERT_EQUAL(int_at(root, "jobs.total"), 2);
	CU_ASSERT_EQUAL(int_at(root, "last_30_days.shifts"), 1);
	CU_ASSERT_DOUBLE_EQUAL(num_at(root, "last_30_days.shift_hours"), 8.0, 0.001);
	CU_ASSERT_DOUBLE_EQUAL(num_at(root, "last_30_days.approved_hours"), 7.5, 0.001);
	CU_ASSERT_PTR_NOT_NULL(at(root, "last_30_days.from"));
	json_object_put(root);
	http_res_release(&r);
}

static void test_client_details_of_an_unknown_company_are_404(void)
{
	struct http_res r;

	call(&manager, "GET", "/api/v1/clients/999999", NULL, &r);
	assert_refused(&r, 404, "not_found", NULL);
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/clients/abc", NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/clients/0", NULL, NULL), 404);
}

static void test_a_client_user_reads_only_their_own_company(void)
{
	char own[64], other[64];

	snprintf(own, sizeof(own), "/api/v1/clients/%lld", company_a);
	snprintf(other, sizeof(other), "/api/v1/clients/%lld", company_b);
	CU_ASSERT_EQUAL(call(&client_a, "GET", own, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&client_a, "GET", other, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&client_a, "GET", "/api/v1/clients", NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&client_a, "PATCH", own, "{\"name\":\"Mine Now\"}", NULL), 403);
	CU_ASSERT_EQUAL(call(&client_a, "GET", "/api/v1/clients/analytics", NULL, NULL), 403);
}

static void test_employees_read_no_clients_and_no_jobs(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", company_a);
	CU_ASSERT_EQUAL(call(&employee, "GET", path, NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&employee, "GET", "/api/v1/clients", NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&employee, "GET", "/api/v1/jobs", NULL, NULL), 403);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", seed_job(company_a, "Employee probe"));
	CU_ASSERT_EQUAL(call(&employee, "GET", path, NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&anon, "GET", "/api/v1/jobs", NULL, NULL), 401);
}

static void test_update_client_changes_the_given_fields_and_audits_before_and_after(void)
{
	struct http_res r;
	struct json_object *root;
	long long id = api_company("{\"name\":\"Patchable\",\"contact_name\":\"Pat\","
				   "\"contact_email\":\"pat@p.example\",\"contact_phone\":\"1\"}");
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	call(&manager, "PATCH", path, "{\"contact_name\":\" Patricia \",\"contact_email\":null}",
	     &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "name"), "Patchable");
	CU_ASSERT_STRING_EQUAL(str_at(root, "contact_name"), "Patricia");
	CU_ASSERT_TRUE(null_at(root, "contact_email"));
	CU_ASSERT_STRING_EQUAL(str_at(root, "contact_phone"), "1");
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("client_company", id, "update"), 1);
	CU_ASSERT_STRING_EQUAL(sql_text("SELECT before->>'contact_name' || '>' || (after->>'contact_name')"
					" FROM audit_log WHERE entity = 'client_company' AND entity_id = %lld"
					" AND action = 'update'", id), "Pat>Patricia");

	/* a different case of its own name is not a duplicate */
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"name\":\"PATCHABLE\"}", NULL), 200);
}

static void test_update_client_refusals(void)
{
	struct http_res r;
	long long id = seed_company("Refused Renames");
	long before;
	char path[64];

	seed_company("Taken Name Inc");
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	before = audit_total();
	call(&manager, "PATCH", path, "{\"name\":\"taken name INC\"}", &r);
	assert_refused(&r, 409, "client_name_taken", "rule");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{\"name\":null}", &r);
	assert_refused(&r, 422, "validation_failed", "name");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{\"contact_email\":\"two@@example\"}", &r);
	assert_refused(&r, 422, "validation_failed", "contact_email");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{}", &r);
	assert_refused(&r, 422, "validation_failed", "body");
	http_res_release(&r);
	call(&manager, "PATCH", "/api/v1/clients/999999", "{\"name\":\"Ghost\"}", &r);
	assert_refused(&r, 404, "not_found", NULL);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_total(), before);
	CU_ASSERT_STRING_EQUAL(sql_text("SELECT name FROM client_companies WHERE name = 'Refused Renames'"),
			       "Refused Renames");
}

static void test_delete_client_without_jobs(void)
{
	long long id = seed_company("Short Lived");
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 204);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM client_companies WHERE id = %lld", id), 0);
	CU_ASSERT_EQUAL(audit_count_of("client_company", id, "delete"), 1);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 404);
}

static void test_delete_client_takes_its_jobs_without_history_along(void)
{
	long long id = seed_company("Planned Only"), j1 = seed_job(id, "Plan A");
	long long j2 = seed_job(id, "Plan B");
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, "{}", NULL), 204);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM jobs WHERE client_company_id = %lld", id), 0);
	CU_ASSERT_EQUAL(audit_count_of("client_company", id, "delete"), 1);
	CU_ASSERT_EQUAL(audit_count_of("job", j1, "delete"), 1);
	CU_ASSERT_EQUAL(audit_count_of("job", j2, "delete"), 1);
}

static void test_delete_client_with_shifts_is_refused(void)
{
	struct http_res r;
	long long id = seed_company("Has History"), job = seed_job(id, "Worked job");
	long before;
	char path[64];

	seed_job(id, "Unworked job");
	new_shift(job, "now() - interval '3 days'", 4);
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	before = audit_total();
	call(&manager, "DELETE", path, NULL, &r);
	assert_refused(&r, 409, "client_has_jobs", "rule");
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM jobs WHERE client_company_id = %lld", id), 2);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM client_companies WHERE id = %lld", id), 1);
	CU_ASSERT_EQUAL(audit_total(), before);
}

static void test_delete_client_with_user_accounts_is_refused(void)
{
	struct http_res r;
	long long id = seed_company("Has Users");
	long before;
	char path[64];

	seed_job(id, "Only planned");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " VALUES ('cd-has-users', 'Hugo', 'client', %lld, true, true)", id);
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	before = audit_total();
	call(&admin, "DELETE", path, NULL, &r);
	assert_refused(&r, 409, "client_has_users", "users");
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM jobs WHERE client_company_id = %lld", id), 1);
	CU_ASSERT_EQUAL(audit_total(), before);
}

/* ---- analytics ---- */

static void test_analytics_ranks_clients_by_jobs_shifts_and_hours_in_the_range(void)
{
	struct http_res r;
	struct json_object *root;
	long long one = seed_company("Analytics One"), two = seed_company("Analytics Two"),
		  three = seed_company("Analytics Three");
	long long j1 = seed_job(one, "One"), j2a = seed_job(two, "Two A"), j2b = seed_job(two, "Two B"),
		  j3 = seed_job(three, "Three");

	new_shift(j1, "'2031-03-10 08:00+00'", 2);
	new_shift(j1, "'2031-03-11 08:00+00'", 2);
	new_shift(j1, "'2031-03-12 08:00+00'", 2);
	new_shift(j2a, "'2031-03-01 00:00+00'", 10);
	new_shift(j2b, "'2031-03-20 08:00+00'", 10);
	new_shift(j3, "'2031-03-31 23:00+00'", 1);     /* the last day counts whole */
	new_shift(j3, "'2031-04-01 00:00+00'", 50);    /* the day after does not */
	new_shift(j3, "'2031-02-28 23:59+00'", 50);    /* nor the day before */

	call(&manager, "GET", "/api/v1/clients/analytics?from=2031-03-01&to=2031-03-31", NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "from"), "2031-03-01");
	CU_ASSERT_STRING_EQUAL(str_at(root, "to"), "2031-03-31");
	CU_ASSERT_EQUAL(len_at(root, "by_jobs"), 3);
	CU_ASSERT_EQUAL(int_at(root, "by_jobs.0.id"), two);
	CU_ASSERT_EQUAL(int_at(root, "by_jobs.0.value"), 2);
	CU_ASSERT_STRING_EQUAL(str_at(root, "by_jobs.1.name"), "Analytics One");   /* ties by name */
	CU_ASSERT_STRING_EQUAL(str_at(root, "by_jobs.2.name"), "Analytics Three");
	CU_ASSERT_EQUAL(int_at(root, "by_shifts.0.id"), one);
	CU_ASSERT_EQUAL(int_at(root, "by_shifts.0.value"), 3);
	CU_ASSERT_EQUAL(int_at(root, "by_shifts.1.value"), 2);
	CU_ASSERT_EQUAL(int_at(root, "by_shifts.2.id"), three);
	CU_ASSERT_EQUAL(int_at(root, "by_shifts.2.value"), 1);
	CU_ASSERT_EQUAL(int_at(root, "by_hours.0.id"), two);
	CU_ASSERT_DOUBLE_EQUAL(num_at(root, "by_hours.0.value"), 20.0, 0.001);
	CU_ASSERT_DOUBLE_EQUAL(num_at(root, "by_hours.1.value"), 6.0, 0.001);
	CU_ASSERT_DOUBLE_EQUAL(num_at(root, "by_hours.2.value"), 1.0, 0.001);
	json_object_put(root);
	http_res_release(&r);
}

static void test_analytics_keeps_the_top_ten(void)
{
	struct http_res r;
	struct json_object *root;
	char name[64];
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "Top Ten %02d", i);
		new_shift(seed_job(seed_company(name), "Job"), "'2032-06-15 08:00+00'", 1 + i);
	}
	call(&manager, "GET", "/api/v1/clients/analytics?from=2032-06-01&to=2032-06-30", NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(len_at(root, "by_hours"), 10);
	CU_ASSERT_STRING_EQUAL(str_at(root, "by_hours.0.name"), "Top Ten 11");
	CU_ASSERT_STRING_EQUAL(str_at(root, "by_hours.9.name"), "Top Ten 02");
	CU_ASSERT_EQUAL(len_at(root, "by_shifts"), 10);
	json_object_put(root);
	http_res_release(&r);
}

static void test_analytics_defaults_to_the_last_30_days(void)
{
	struct http_res r;
	struct json_object *root;
	char today[16], first[16];

	snprintf(today, sizeof(today), "%s", sql_text("SELECT es_iso_date((now() AT TIME ZONE 'UTC')::date)"));
	snprintf(first, sizeof(first), "%s",
		 sql_text("SELECT es_iso_date((now() AT TIME ZONE 'UTC')::date - 29)"));
	call(&manager, "GET", "/api/v1/clients/analytics", NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "from"), first);
	CU_ASSERT_STRING_EQUAL(str_at(root, "to"), today);
	CU_ASSERT_PTR_NOT_NULL(at(root, "by_jobs"));
	json_object_put(root);
	http_res_release(&r);
}

static void test_analytics_refuses_a_reversed_or_malformed_range(void)
{
	struct http_res r;

	call(&manager, "GET", "/api/v1/clients/analytics?from=2031-03-02&to=2031-03-01", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "from");
	http_res_release(&r);
	call(&manager, "GET", "/api/v1/clients/analytics?from=2999-01-01", NULL,
	     &r);   /* after today */
	assert_refused(&r, 422, "validation_failed", "from");
	http_res_release(&r);
	call(&manager, "GET", "/api/v1/clients/analytics?to=2031-02-30", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "to");
	http_res_release(&r);
}

/* ---- jobs ---- */

static void test_create_job_returns_the_job_created_by_the_caller(void)
{
	struct http_res r;
	struct json_object *root;
	char body[512];
	long long id;

	snprintf(body, sizeof(body),
		 "{\"client_company_id\":%lld,\"name\":\" Spring Expo \",\"description\":\"Booths\","
		 "\"venue_name\":\"Hall B\",\"venue_address\":\"50 Expo Blvd\",\"venue_contact\":\"Lee\","
		 "\"estimated_start\":\"2031-05-01\",\"estimated_end\":\"2031-05-03\"}", company_a);
	call(&manager, "POST", "/api/v1/jobs", body, &r);
	CU_ASSERT_EQUAL(r.status, 201);
	root = body_json(&r);
	id = int_at(root, "id");
	CU_ASSERT(id > 0);
	CU_ASSERT_EQUAL(int_at(root, "client_company_id"), company_a);
	CU_ASSERT_STRING_EQUAL(str_at(root, "client_name"), "CD Alpha");
	CU_ASSERT_STRING_EQUAL(str_at(root, "name"), "Spring Expo");
	CU_ASSERT_STRING_EQUAL(str_at(root, "venue_name"), "Hall B");
	CU_ASSERT_STRING_EQUAL(str_at(root, "estimated_start"), "2031-05-01");
	CU_ASSERT_STRING_EQUAL(str_at(root, "estimated_end"), "2031-05-03");
	CU_ASSERT_TRUE(json_object_get_boolean(at(root, "active")));
	CU_ASSERT_EQUAL(int_at(root, "created_by"), manager.user_id);
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "create"), 1);
}

static void test_create_job_validates_each_field(void)
{
	struct http_res r;
	struct json_object *root;
	char body[512];
	long before = audit_total();

	call(&manager, "POST", "/api/v1/jobs",
	     "{\"client_company_id\":999999,\"name\":\"Nowhere\"}", &r);
	assert_refused(&r, 422, "validation_failed", "client_company_id");
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.client_company_id"), "unknown client");
	json_object_put(root);
	http_res_release(&r);

	snprintf(body, sizeof(body),
		 "{\"client_company_id\":%lld,\"name\":\"\",\"estimated_start\":\"2031-05-03\","
		 "\"estimated_end\":\"2031-05-01\"}", company_a);
	call(&manager, "POST", "/api/v1/jobs", body, &r);
	assert_refused(&r, 422, "validation_failed", "estimated_end");
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "error.details.estimated_end"),
			       "must not be before estimated_start");
	CU_ASSERT_PTR_NOT_NULL(at(root, "error.details.name"));
	json_object_put(root);
	http_res_release(&r);

	snprintf(body, sizeof(body),
		 "{\"client_company_id\":%lld,\"name\":\"Dates\",\"estimated_start\":\"01/05/2031\"}",
		 company_a);
	call(&manager, "POST", "/api/v1/jobs", body, &r);
	assert_refused(&r, 422, "validation_failed", "estimated_start");
	http_res_release(&r);

	call(&manager, "POST", "/api/v1/jobs", "{\"name\":\"No client\"}", &r);
	assert_refused(&r, 422, "validation_failed", "client_company_id");
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/jobs", "{\"client_company_id\":0,\"name\":\"Zero\"}", &r);
	assert_refused(&r, 422, "validation_failed", "client_company_id");
	http_res_release(&r);
	call(&manager, "POST", "/api/v1/jobs", "{\"client_company_id\":\"1\",\"name\":\"Text id\"}",
	     &r);
	assert_refused(&r, 400, "wrong_type", "field");
	http_res_release(&r);
	snprintf(body, sizeof(body), "{\"client_company_id\":%lld,\"name\":\"Active?\",\"active\":\"yes\"}",
		 company_a);
	call(&manager, "POST", "/api/v1/jobs", body, &r);
	assert_refused(&r, 400, "wrong_type", "field");
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_total(), before);
}

static void test_hostile_job_text_is_stored_verbatim(void)
{
	struct json_object *body = json_object_new_object(), *root;
	struct http_res r;
	const char *text = "'); DELETE FROM jobs; -- <img src=x onerror=alert(1)> \xf0\x9f\x9a\x9a";

	json_object_object_add(body, "client_company_id", json_object_new_int64(company_a));
	json_object_object_add(body, "name", json_object_new_string("Hostile"));
	json_object_object_add(body, "description", json_object_new_string(text));
	call(&manager, "POST", "/api/v1/jobs", json_object_to_json_string(body), &r);
	json_object_put(body);
	CU_ASSERT_EQUAL(r.status, 201);
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "description"), text);
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT(sql_long("SELECT count(*) FROM jobs") > 1);
}

static void test_list_jobs_filters_by_client_state_and_text(void)
{
	struct http_res r;
	struct json_object *root;
	long long c = seed_company("Filter Co"), gone;
	char path[160];

	seed_job(c, "Filter Stage Build");
	seed_job(c, "Filter Load Out");
	gone = seed_job(c, "Filter Stage Strike");
	sql("UPDATE jobs SET active = false, venue_name = 'North Stage' WHERE id = %lld", gone);
	snprintf(path, sizeof(path), "/api/v1/jobs?client_id=%lld", c);
	call(&manager, "GET", path, NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 3);
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.0.name"), "Filter Load Out");
	json_object_put(root);
	http_res_release(&r);

	snprintf(path, sizeof(path), "/api/v1/jobs?client_id=%lld&active=true&q=STAGE", c);
	call(&manager, "GET", path, NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 1);
	CU_ASSERT_STRING_EQUAL(str_at(root, "items.0.name"), "Filter Stage Build");
	json_object_put(root);
	http_res_release(&r);

	snprintf(path, sizeof(path), "/api/v1/jobs?client_id=%lld&active=false&q=north", c);
	call(&manager, "GET", path, NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "total"), 1);
	CU_ASSERT_EQUAL(int_at(root, "items.0.id"), gone);
	json_object_put(root);
	http_res_release(&r);

	call(&manager, "GET", "/api/v1/jobs?active=maybe", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "active");
	http_res_release(&r);
	call(&manager, "GET", "/api/v1/jobs?client_id=x", NULL, &r);
	assert_refused(&r, 422, "validation_failed", "client_id");
	http_res_release(&r);
}

static void test_a_client_user_lists_only_their_company_jobs(void)
{
	struct http_res r;
	struct json_object *root;
	char path[64];
	long i, n;

	seed_job(company_a, "Alpha visible");
	seed_job(company_b, "Beta hidden");
	call(&client_a, "GET", "/api/v1/jobs?limit=500", NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	n = len_at(root, "items");
	CU_ASSERT(n > 0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "items.%ld.client_company_id", i);
		CU_ASSERT_EQUAL(int_at(root, path), company_a);
	}
	json_object_put(root);
	http_res_release(&r);

	/* another company's filter matches nothing */
	snprintf(path, sizeof(path), "/api/v1/jobs?client_id=%lld", company_b);
	call(&client_a, "GET", path, NULL, &r);
	root = body_json(&r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(int_at(root, "total"), 0);
	json_object_put(root);
	http_res_release(&r);
}

static void test_get_job_for_managers_and_its_own_client_only(void)
{
	char own[64], other[64];

	snprintf(own, sizeof(own), "/api/v1/jobs/%lld", seed_job(company_a, "Alpha job"));
	snprintf(other, sizeof(other), "/api/v1/jobs/%lld", seed_job(company_b, "Beta job"));
	CU_ASSERT_EQUAL(call(&manager, "GET", own, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&manager, "GET", other, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&client_a, "GET", own, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&client_a, "GET", other, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/jobs/999999", NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&client_a, "PATCH", own, "{\"name\":\"Mine\"}", NULL), 403);
	CU_ASSERT_EQUAL(call(&client_a, "DELETE", own, NULL, NULL), 403);
}

static void test_update_job_changes_the_given_fields_and_audits_them(void)
{
	struct http_res r;
	struct json_object *root;
	long long id = seed_job(company_a, "Editable");
	char path[64], body[256];

	sql("UPDATE jobs SET description = 'old', estimated_start = '2031-01-01' WHERE id = %lld", id);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", id);
	snprintf(body, sizeof(body), "{\"client_company_id\":%lld,\"description\":\"\","
		 "\"estimated_end\":\"2031-01-05\",\"active\":false}", company_b);
	call(&manager, "PATCH", path, body, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_EQUAL(int_at(root, "client_company_id"), company_b);
	CU_ASSERT_STRING_EQUAL(str_at(root, "client_name"), "CD Beta");
	CU_ASSERT_STRING_EQUAL(str_at(root, "name"), "Editable");
	CU_ASSERT_TRUE(null_at(root, "description"));
	CU_ASSERT_STRING_EQUAL(str_at(root, "estimated_start"), "2031-01-01");
	CU_ASSERT_STRING_EQUAL(str_at(root, "estimated_end"), "2031-01-05");
	CU_ASSERT_FALSE(json_object_get_boolean(at(root, "active")));
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "update"), 1);
}

static void test_update_job_refusals(void)
{
	struct http_res r;
	long long id = seed_job(company_a, "Strict");
	long before;
	char path[64];

	sql("UPDATE jobs SET estimated_start = '2031-01-10' WHERE id = %lld", id);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", id);
	before = audit_total();
	/* the stored start and the new end disagree: the schema's check answers */
	call(&manager, "PATCH", path, "{\"estimated_end\":\"2031-01-09\"}", &r);
	assert_refused(&r, 422, "validation_failed", "estimated_end");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{\"client_company_id\":999999}", &r);
	assert_refused(&r, 422, "validation_failed", "client_company_id");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{\"active\":null,\"name\":\"  \"}", &r);
	assert_refused(&r, 422, "validation_failed", "active");
	http_res_release(&r);
	call(&manager, "PATCH", path, "{\"shifts\":[]}", &r);
	assert_refused(&r, 400, "unknown_field", "field");
	http_res_release(&r);
	call(&manager, "PATCH", "/api/v1/jobs/999999", "{\"name\":\"Ghost\"}", &r);
	assert_refused(&r, 404, "not_found", NULL);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_total(), before);
}

static void test_a_job_with_shifts_stays_with_its_client(void)
{
	struct http_res r;
	long long id = seed_job(company_a, "Worked for Alpha");
	char path[64], body[128];

	new_shift(id, "now() - interval '1 day'", 6);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", id);
	snprintf(body, sizeof(body), "{\"client_company_id\":%lld}", company_b);
	call(&manager, "PATCH", path, body, &r);
	assert_refused(&r, 409, "job_has_shifts", "rule");
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT client_company_id FROM jobs WHERE id = %lld", id), company_a);
	/* naming the same client is no move */
	snprintf(body, sizeof(body), "{\"client_company_id\":%lld,\"name\":\"Still Alpha\"}", company_a);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, body, NULL), 200);
}

static void test_delete_job_with_shifts_deactivates_it(void)
{
	struct http_res r;
	struct json_object *root;
	long long id = seed_job(company_a, "Keeps history");
	char path[64];

	new_shift(id, "now() - interval '5 days'", 3);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", id);
	call(&manager, "DELETE", path, NULL, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_TRUE(json_object_get_boolean(at(root, "deactivated")));
	CU_ASSERT_EQUAL(int_at(root, "job.id"), id);
	CU_ASSERT_FALSE(json_object_get_boolean(at(root, "job.active")));
	json_object_put(root);
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM jobs WHERE id = %lld AND NOT active", id), 1);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "deactivate"), 1);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "delete"), 0);
}

static void test_delete_job_without_shifts(void)
{
	long long id = seed_job(company_a, "Never worked");
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", id);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 204);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM jobs WHERE id = %lld", id), 0);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "delete"), 1);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 404);
	CU_ASSERT_EQUAL(audit_count_of("job", id, "delete"), 1);
}

/* ---- suite ---- */

static int seed(void)
{
	company_a = seed_company("CD Alpha");
	company_b = seed_company("CD Beta");
	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('cd-manager', 'Mona Manager', 'manager', true, true),"
	    " ('cd-admin', 'Ada Admin', 'admin', true, true),"
	    " ('cd-employee', 'Eli Employee', 'employee', true, true)");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " VALUES ('cd-client-a', 'Cal Client', 'client', %lld, true, true)", company_a);
	principal_anonymous(&anon);
	return company_a > 0 && !principal_bearer_for("cd-manager", &manager) &&
	       !principal_bearer_for("cd-admin", &admin) &&
	       !principal_bearer_for("cd-employee", &employee) &&
	       !principal_bearer_for("cd-client-a", &client_a) ? 0 : -1;
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
		{ "create client returns the trimmed company and audits it", test_create_client_returns_the_trimmed_company_and_audits_it },
		{ "create client without contacts stores nulls", test_create_client_without_contacts_stores_nulls },
		{ "create client reports every bad field", test_create_client_reports_every_bad_field },
		{ "create client refuses unknown fields and wrong types", test_create_client_refuses_unknown_fields_and_wrong_types },
		{ "client names are unique regardless of case", test_client_names_are_unique_regardless_of_case },
		{ "a name is limited to 200 characters", test_a_name_is_limited_to_200_characters },
		{ "invalid UTF-8 and NUL are refused", test_invalid_utf8_and_nul_are_refused },
		{ "hostile text is stored and returned verbatim", test_hostile_text_is_stored_and_returned_verbatim },
		{ "list clients searches names and pages", test_list_clients_searches_names_and_pages },
		{ "list clients refuses bad paging", test_list_clients_refuses_bad_paging },
		{ "client details show users, jobs and the last 30 days", test_client_details_show_users_jobs_and_the_last_30_days },
		{ "client details of an unknown company are 404", test_client_details_of_an_unknown_company_are_404 },
		{ "a client user reads only their own company", test_a_client_user_reads_only_their_own_company },
		{ "employees read no clients and no jobs", test_employees_read_no_clients_and_no_jobs },
		{ "update client changes the given fields and audits before and after", test_update_client_changes_the_given_fields_and_audits_before_and_after },
		{ "update client refusals", test_update_client_refusals },
		{ "delete client without jobs", test_delete_client_without_jobs },
		{ "delete client takes its jobs without history along", test_delete_client_takes_its_jobs_without_history_along },
		{ "delete client with shifts is refused", test_delete_client_with_shifts_is_refused },
		{ "delete client with user accounts is refused", test_delete_client_with_user_accounts_is_refused },
		{ "analytics ranks clients by jobs, shifts and hours in the range", test_analytics_ranks_clients_by_jobs_shifts_and_hours_in_the_range },
		{ "analytics keeps the top ten", test_analytics_keeps_the_top_ten },
		{ "analytics defaults to the last 30 days", test_analytics_defaults_to_the_last_30_days },
		{ "analytics refuses a reversed or malformed range", test_analytics_refuses_a_reversed_or_malformed_range },
		{ "create job returns the job created by the caller", test_create_job_returns_the_job_created_by_the_caller },
		{ "create job validates each field", test_create_job_validates_each_field },
		{ "hostile job text is stored verbatim", test_hostile_job_text_is_stored_verbatim },
		{ "list jobs filters by client, state and text", test_list_jobs_filters_by_client_state_and_text },
		{ "a client user lists only their company's jobs", test_a_client_user_lists_only_their_company_jobs },
		{ "get job for managers and its own client only", test_get_job_for_managers_and_its_own_client_only },
		{ "update job changes the given fields and audits them", test_update_job_changes_the_given_fields_and_audits_them },
		{ "update job refusals", test_update_job_refusals },
		{ "a job with shifts stays with its client", test_a_job_with_shifts_stays_with_its_client },
		{ "delete job with shifts deactivates it", test_delete_job_with_shifts_deactivates_it },
		{ "delete job without shifts", test_delete_job_without_shifts },
		{ NULL, NULL },
	};

	return cu_run("e2e client directory and jobs", suite_init, e2e_done, tests);
}
