/*
 * People end to end (SPEC §3 "People and clients", users half): list and
 * filters, create by role, read rules, updates with the admin safeguards,
 * delete or deactivate, approve/reject, certifications, hostile input, and
 * an audit row for each successful write only.
 */
#include <json-c/json.h>
#include <pthread.h>
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

static struct principal admin, admin2, manager, employee, client;

/* POST /users as p: the new user's id (-1 unless created) and the status. */
static long long create(const struct principal *p, const char *body, long *status)
{
	struct json_object *root = call_json(p, "POST", "/api/v1/users", body, status);
	long long id = *status == 201 ? int_at(root, "id") : -1;

	json_object_put(root);
	return id;
}

static void test_manager_creates_an_employee_with_audit(void)
{
	struct http_res r;
	long long id;

	http(&r, "POST", "/api/v1/users",
	     "{\"username\":\"worker1\",\"name\":\"Worker One\",\"role\":\"employee\","
	     "\"email\":\"w1@example.com\",\"password\":\"a fine password\"}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_TRUE(body_has(&r, "\"status\" : \"active\""));
	CU_ASSERT_PTR_NULL(strstr(r.body.buf, "password"));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Location"));
	id = body_int_at(&r, "id");
	http_res_release(&r);
	CU_ASSERT(id > 0);
	CU_ASSERT_EQUAL(audit_count_of("user", id, "create"), 1);
}

static void test_only_admins_create_managers_and_admins(void)
{
	long status;

	CU_ASSERT_EQUAL(create(&manager, "{\"username\":\"boss2\",\"name\":\"B\",\"role\":\"manager\"}",
			       &status), -1);
	CU_ASSERT_EQUAL(status, 403);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE username = 'boss2'"), 0);
	CU_ASSERT(create(&admin, "{\"username\":\"boss2\",\"name\":\"B\",\"role\":\"manager\"}",
			 &status) > 0);
	CU_ASSERT_EQUAL(status, 201);
}

static void test_duplicates_are_409_whatever_the_case(void)
{
	long status;

	create(&manager, "{\"username\":\"WORKER1\",\"name\":\"X\",\"role\":\"employee\"}", &status);
	CU_ASSERT_EQUAL(status, 409);
	create(&manager, "{\"username\":\"worker9\",\"name\":\"X\",\"role\":\"employee\","
			 "\"email\":\"W1@EXAMPLE.COM\"}", &status);
	CU_ASSERT_EQUAL(status, 409);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE action = 'create'"
				 " AND after->>'username' = 'worker9'"), 0);
}

static void test_client_users_need_an_existing_company(void)
{
	struct http_res r;
	char body[256];

	http(&r, "POST", "/api/v1/users", "{\"username\":\"cli1\",\"name\":\"C\",\"role\":\"client\"}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"client_company_id\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/users",
	     "{\"username\":\"cli1\",\"name\":\"C\",\"role\":\"client\",\"client_company_id\":999999}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "unknown client company"));
	http_res_release(&r);
	snprintf(body, sizeof(body), "{\"username\":\"cli1\",\"name\":\"C\",\"role\":\"client\","
		 "\"client_company_id\":%lld", sql_long("SELECT id FROM client_companies LIMIT 1"));
	strcat(body, "}");
	CU_ASSERT_EQUAL(call(&manager, "POST", "/api/v1/users", body, NULL), 201);
}

static void test_validation_names_each_field(void)
{
	struct http_res r;
	char *big = malloc(10100);

	http(&r, "POST", "/api/v1/users",
	     "{\"username\":\"a b\",\"name\":\" padded\",\"role\":\"boss\",\"email\":\"nope\"}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"username\"") && body_has(&r, "\"name\"") &&
		       body_has(&r, "\"role\"") && body_has(&r, "\"email\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/users", "{\"username\":\"ok1\",\"name\":\"N\",\"role\":\"employee\","
					  "\"shoe_size\":44}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_TRUE(body_has(&r, "\"shoe_size\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/users", "{\"username\":5,\"name\":\"N\",\"role\":\"employee\"}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_TRUE(body_has(&r, "\"wrong_type\""));
	http_res_release(&r);
	strcpy(big, "{\"username\":\"bigname\",\"role\":\"employee\",\"name\":\"");
	memset(big + strlen(big), 'x', 10000);
	strcpy(big + strlen("{\"username\":\"bigname\",\"role\":\"employee\",\"name\":\"") + 10000, "\"}");
	http(&r, "POST", "/api/v1/users", big, manager.headers);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"name\":\"too long\""));
	http_res_release(&r);
	free(big);
	http(&r, "POST", "/api/v1/users", "{\"username\":\"utf\",\"name\":\"\xc3\x28\",\"role\":\"employee\"}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 400);
	http_res_release(&r);
}

static void test_hostile_text_is_stored_and_returned_verbatim(void)
{
	static const char *const names[] = {
		"O'Brien \\\"the crane\\\"",
		"'; DROP TABLE users; --",
		"<script>alert(1)</script>",
		"Zo\xc3\xab \xf0\x9f\x8f\x97\xef\xb8\x8f \xf0\x9d\x84\x9e",
	};
	static const char *const stored[] = {
		"O'Brien \"the crane\"",
		"'; DROP TABLE users; --",
		"<script>alert(1)</script>",
		"Zo\xc3\xab \xf0\x9f\x8f\x97\xef\xb8\x8f \xf0\x9d\x84\x9e",
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		char body[512], path[64];
		struct http_res r;
		struct json_object *root, *name;
		long long id;

		snprintf(body, sizeof(body), "{\"username\":\"hostile%zu\",\"name\":\"%s\",\"role\":\"employee\"}",
			 i, names[i]);
		http(&r, "POST", "/api/v1/users", body, manager.headers);
		CU_ASSERT_EQUAL(r.status, 201);
		id = body_int_at(&r, "id");
		http_res_release(&r);
		snprintf(path, sizeof(path), "/api/v1/users/%lld", id);
		http(&r, "GET", path, NULL, manager.headers);
		root = json_tokener_parse(r.body.buf);
		CU_ASSERT_TRUE(root && json_object_object_get_ex(root, "name", &name) &&
			       !strcmp(json_object_get_string(name), stored[i]));
		json_object_put(root);
		http_res_release(&r);
	}
	CU_ASSERT(sql_long("SELECT count(*) FROM users") > 0);
}

static void test_list_filters_and_pages(void)
{
	struct http_res r;

	http(&r, "GET", "/api/v1/users?role=employee&status=active&q=WORKER%20ONE&limit=1", NULL,
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"items\""));
	CU_ASSERT_TRUE(body_has(&r, "\"username\" : \"worker1\""));
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 1"));
	http_res_release(&r);
	http(&r, "GET", "/api/v1/users?status=pending", NULL, manager.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"pending-pat\""));
	CU_ASSERT_FALSE(body_has(&r, "\"worker1\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/users?limit=501", NULL, NULL), 422);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/users?status=sleeping", NULL, NULL), 422);
	{
		char path[300];

		snprintf(path, sizeof(path), "/api/v1/users?q=%0201d", 0);
		http(&r, "GET", path, NULL, manager.headers);
		CU_ASSERT_EQUAL(r.status, 422);
		CU_ASSERT_TRUE(body_has(&r, "\"q\""));
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL(call(&employee, "GET", "/api/v1/users", NULL, NULL), 403);
}

static void test_people_read_themselves_managers_read_anyone(void)
{
	char own[64], other[64];

	snprintf(own, sizeof(own), "/api/v1/users/%lld", employee.user_id);
	snprintf(other, sizeof(other), "/api/v1/users/%lld", manager.user_id);
	CU_ASSERT_EQUAL(call(&employee, "GET", own, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&employee, "GET", other, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&client, "GET", other, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&manager, "GET", own, NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/users/abc", NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/users/999999", NULL, NULL), 404);
}

static void test_role_changes_are_for_admins_and_never_for_oneself(void)
{
	struct http_res r;
	char path[64];
	long long id = seed_user_id("worker1");

	snprintf(path, sizeof(path), "/api/v1/users/%lld", id);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"role\":\"manager\"}", NULL), 403);
	CU_ASSERT_EQUAL(audit_count_of("user", id, "update"), 0);
	http(&r, "PATCH", path, "{\"name\":\"Worker Uno\",\"email\":null}", manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"Worker Uno\"") && body_has(&r, "\"email\" : null"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("user", id, "update"), 1);
	snprintf(path, sizeof(path), "/api/v1/users/%lld", admin.user_id);
	http(&r, "PATCH", path, "{\"role\":\"manager\"}", admin.headers);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"cannot_change_own_role\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&admin, "PATCH", path, "{\"active\":false}", NULL), 409);
	/* managers do not manage admins */
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"name\":\"Renamed\"}", NULL), 403);
}

struct demote { const struct principal *by; long long target; long status; };

static void *demote_run(void *arg)
{
	struct demote *d = arg;
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/users/%lld", d->target);
	d->status = call(d->by, "PATCH", path, "{\"role\":\"manager\"}", NULL);
	return NULL;
}

static void test_two_admins_demoting_each_other_leave_one_admin(void)
{
	struct demote a = { &admin, 0, 0 }, b = { &admin2, 0, 0 };
	pthread_t ta, tb;

	a.target = admin2.user_id;
	b.target = admin.user_id;
	sql("UPDATE users SET role = 'admin', active = true WHERE username IN ('um-admin', 'um-admin2')");
	sql("UPDATE users SET role = 'manager' WHERE role = 'admin'"
	    " AND username NOT IN ('um-admin', 'um-admin2')");
	pthread_create(&ta, NULL, demote_run, &a);
	pthread_create(&tb, NULL, demote_run, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE role = 'admin' AND active"), 1);
	CU_ASSERT_TRUE((a.status == 200) != (b.status == 200));
	/* put both back for the next tests */
	sql("UPDATE users SET role = 'admin' WHERE username IN ('um-admin', 'um-admin2')");
	principal_for("um-admin", &admin);
	principal_for("um-admin2", &admin2);
}

static void test_deactivation_ends_the_users_sessions(void)
{
	struct principal victim;
	char path[64];

	CU_ASSERT_EQUAL_FATAL(principal_for("um-victim", &victim), 0);
	CU_ASSERT_EQUAL(call(&victim, "GET", "/api/v1/auth/me", NULL, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/users/%lld", victim.user_id);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"active\":false}", NULL), 200);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
				 " WHERE u.username = 'um-victim'"), 0);
	CU_ASSERT_EQUAL(call(&victim, "GET", "/api/v1/auth/me", NULL, NULL), 401);
}

static void test_delete_removes_or_deactivates_by_history(void)
{
	struct http_res r;
	long status;
	char path[64];
	long long fresh = create(&manager, "{\"username\":\"short-lived\",\"name\":\"S\",\"role\":\"employee\"}",
				 &status);
	long long veteran = seed_user_id("um-veteran");

	snprintf(path, sizeof(path), "/api/v1/users/%lld", fresh);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 204);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE username = 'short-lived'"), 0);
	CU_ASSERT_EQUAL(audit_count_of("user", fresh, "delete"), 1);

	snprintf(path, sizeof(path), "/api/v1/users/%lld", veteran);
	http(&r, "DELETE", path, NULL, manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"deactivated\":true"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE username = 'um-veteran' AND NOT active"), 1);
	CU_ASSERT_EQUAL(audit_count_of("user", veteran, "deactivate"), 1);

	snprintf(path, sizeof(path), "/api/v1/users/%lld", admin2.user_id);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 403);
	snprintf(path, sizeof(path), "/api/v1/users/%lld", manager.user_id);
	CU_ASSERT_EQUAL(call(&manager, "DELETE", path, NULL, NULL), 409);
}

static void test_pending_signups_are_approved_or_rejected_once(void)
{
	struct http_res r;
	char path[96];
	long long pat = seed_user_id("pending-pat");
	long long sam = seed_user_id("pending-sam");

	snprintf(path, sizeof(path), "/api/v1/users/%lld/approve", pat);
	http(&r, "POST", path, NULL, manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"status\" : \"active\""));
	http_res_release(&r);
	http(&r, "POST", path, NULL, manager.headers);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT_TRUE(body_has(&r, "\"not_pending\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("user", pat, "approve"), 1);

	snprintf(path, sizeof(path), "/api/v1/users/%lld/reject", sam);
	CU_ASSERT_EQUAL(call(&manager, "POST", path, NULL, NULL), 204);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE username = 'pending-sam'"), 0);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM availability a WHERE NOT EXISTS"
				 " (SELECT 1 FROM users u WHERE u.id = a.user_id)"), 0);
	CU_ASSERT_EQUAL(audit_count_of("user", sam, "reject"), 1);
	snprintf(path, sizeof(path), "/api/v1/users/%lld/reject", pat);
	CU_ASSERT_EQUAL(call(&manager, "POST", path, NULL, NULL), 409);
	CU_ASSERT_EQUAL(audit_count_of("user", pat, "reject"), 0);
}

static void test_certifications_are_replaced_whole(void)
{
	struct http_res r;
	char path[96];
	long long id = seed_user_id("worker1");

	snprintf(path, sizeof(path), "/api/v1/users/%lld/certifications", id);
	http(&r, "PUT", path, "{\"can_crew_chief\":true,\"can_forklift\":false,\"can_truck\":true}",
	     manager.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"can_crew_chief\" : true") &&
		       body_has(&r, "\"can_truck\" : true"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("user", id, "certifications"), 1);
	CU_ASSERT_EQUAL(call(&manager, "PUT", path, "{\"can_crew_chief\":true}", NULL), 422);
	http(&r, "PUT", path, "{\"can_crew_chief\":true,\"can_forklift\":false,\"can_truck\":true}",
	     employee.headers);
	CU_ASSERT_EQUAL(r.status, 403);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count_of("user", id, "certifications"), 1);
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	sql("INSERT INTO client_companies (name) VALUES ('People Test Co') ON CONFLICT DO NOTHING");
	sql("INSERT INTO users (username, name, role, active, approved) VALUES"
	    " ('um-admin', 'Admin One', 'admin', true, true),"
	    " ('um-admin2', 'Admin Two', 'admin', true, true),"
	    " ('um-manager', 'Manager', 'manager', true, true),"
	    " ('um-employee', 'Employee', 'employee', true, true),"
	    " ('um-victim', 'Victim', 'employee', true, true),"
	    " ('um-veteran', 'Veteran', 'employee', true, true),"
	    " ('pending-pat', 'Pat', 'employee', true, false),"
	    " ('pending-sam', 'Sam', 'employee', true, false)");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " SELECT 'um-client', 'Client', 'client', id, true, true FROM client_companies"
	    "  WHERE name = 'People Test Co'");
	/* history for the veteran: one assignment */
	sql("INSERT INTO jobs (client_company_id, name) SELECT id, 'People Job'"
	    " FROM client_companies WHERE name = 'People Test Co'");
	sql("INSERT INTO shifts (job_id, starts_at, ends_at) SELECT id, now(),"
	    " now() + interval '4 hours' FROM jobs WHERE name = 'People Job'");
	sql("INSERT INTO assignments (shift_id, user_id, role) SELECT s.id, u.id, 'stagehand'"
	    " FROM shifts s JOIN jobs j ON j.id = s.job_id, users u"
	    " WHERE j.name = 'People Job' AND u.username = 'um-veteran'");
	sql("INSERT INTO schedule_weeks (week_start) VALUES (date_trunc('week', now())::date)"
	    " ON CONFLICT DO NOTHING");
	sql("INSERT INTO availability (user_id, week_start, entries) SELECT id,"
	    " date_trunc('week', now())::date, '[]' FROM users WHERE username = 'pending-sam'");
	if (principal_for("um-admin", &admin) || principal_for("um-admin2", &admin2) ||
	    principal_for("um-manager", &manager) || principal_for("um-employee", &employee) ||
	    principal_for("um-client", &client))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "manager creates an employee, with audit", test_manager_creates_an_employee_with_audit },
		{ "only admins create managers and admins", test_only_admins_create_managers_and_admins },
		{ "duplicates are 409 whatever the case", test_duplicates_are_409_whatever_the_case },
		{ "client users need an existing company", test_client_users_need_an_existing_company },
		{ "validation names each field", test_validation_names_each_field },
		{ "hostile text is stored and returned verbatim", test_hostile_text_is_stored_and_returned_verbatim },
		{ "list filters and pages", test_list_filters_and_pages },
		{ "people read themselves, managers read anyone", test_people_read_themselves_managers_read_anyone },
		{ "role changes are for admins and never for oneself", test_role_changes_are_for_admins_and_never_for_oneself },
		{ "two admins demoting each other leave one admin", test_two_admins_demoting_each_other_leave_one_admin },
		{ "deactivation ends the user's sessions", test_deactivation_ends_the_users_sessions },
		{ "delete removes or deactivates by history", test_delete_removes_or_deactivates_by_history },
		{ "pending signups are approved or rejected once", test_pending_signups_are_approved_or_rejected_once },
		{ "certifications are replaced whole", test_certifications_are_replaced_whole },
		{ NULL, NULL },
	};

	return cu_run("e2e users", suite_init, e2e_done, tests);
}
