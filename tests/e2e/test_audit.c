/*
 * GET /api/v1/audit: managers read who changed what, newest first, page by
 * page with a cursor; every filter narrows; bad parameters are 422s; only
 * managers and admins may read it.
 */
#include <stdio.h>
#include <string.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal manager, admin, employee, client, anonymous;

/* A company made through the API (so audited), by p; returns its id. */
static long long company_by(const struct principal *p, const char *name)
{
	char body[160];
	long status;
	long long id;
	struct json_object *r;

	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	r = call_json(p, "POST", "/api/v1/clients", body, &status);
	CU_ASSERT_EQUAL(status, 201);
	id = r ? int_at(r, "id") : -1;
	json_object_put(r);
	return id;
}

static void test_a_change_is_listed_with_its_actor_before_and_after(void)
{
	char path[160];
	long status;
	long long id = company_by(&manager, "Audit First Name");
	struct json_object *r, *newest, *oldest;

	snprintf(path, sizeof(path), "/api/v1/clients/%lld", id);
	CU_ASSERT_EQUAL(call(&manager, "PATCH", path, "{\"name\":\"Audit Second Name\"}", NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/audit?entity=client_company&entity_id=%lld", id);
	r = call_json(&manager, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL_FATAL(status, 200);
	CU_ASSERT_EQUAL_FATAL(len_at(r, "items"), 2);
	CU_ASSERT_TRUE(null_at(r, "next_cursor"));
	newest = json_object_array_get_idx(at(r, "items"), 0);
	oldest = json_object_array_get_idx(at(r, "items"), 1);
	CU_ASSERT_STRING_EQUAL(str_at(newest, "action"), "update");
	CU_ASSERT_STRING_EQUAL(str_at(oldest, "action"), "create");
	CU_ASSERT_TRUE(int_at(newest, "id") > int_at(oldest, "id"));
	CU_ASSERT_EQUAL(int_at(newest, "actor_id"), manager.user_id);
	CU_ASSERT_STRING_EQUAL(str_at(newest, "actor_name"), "Audit Manager");
	CU_ASSERT_EQUAL(int_at(newest, "entity_id"), id);
	CU_ASSERT_STRING_EQUAL(str_at(newest, "before.name"), "Audit First Name");
	CU_ASSERT_STRING_EQUAL(str_at(newest, "after.name"), "Audit Second Name");
	CU_ASSERT_TRUE(null_at(oldest, "before"));
	CU_ASSERT_PTR_NOT_NULL(str_at(newest, "at"));
	json_object_put(r);
}

static void test_the_cursor_walks_every_row_once_newest_first(void)
{
	char path[200];
	const char *cursor = NULL;
	char next[32] = "";
	long long last = -1, ids[5];
	long status;
	int i, seen = 0, pages = 0;

	for (i = 0; i < 5; i++) {
		char name[40];

		snprintf(name, sizeof(name), "Audit Paged %d", i);
		ids[i] = company_by(&admin, name);
	}
	do {
		struct json_object *r;
		size_t k, n;

		if (cursor)
			snprintf(path, sizeof(path), "/api/v1/audit?actor_id=%lld&entity=client_company"
				 "&limit=2&cursor=%s", admin.user_id, cursor);
		else
			snprintf(path, sizeof(path), "/api/v1/audit?actor_id=%lld&entity=client_company"
				 "&limit=2", admin.user_id);
		r = call_json(&manager, "GET", path, NULL, &status);
		CU_ASSERT_EQUAL_FATAL(status, 200);
		n = (size_t)len_at(r, "items");
		CU_ASSERT_TRUE(n <= 2);
		for (k = 0; k < n; k++) {
			struct json_object *item = json_object_array_get_idx(at(r, "items"), k);

			CU_ASSERT_TRUE(last < 0 || int_at(item, "id") < last);
			last = int_at(item, "id");
			CU_ASSERT_EQUAL(int_at(item, "actor_id"), admin.user_id);
			CU_ASSERT_EQUAL(int_at(item, "entity_id"), ids[4 - seen]);
			seen++;
		}
		cursor = NULL;
		if (!null_at(r, "next_cursor")) {
			snprintf(next, sizeof(next), "%s", str_at(r, "next_cursor"));
			cursor = next;
		}
		json_object_put(r);
		pages++;
	} while (cursor && pages < 10);
	CU_ASSERT_EQUAL(seen, 5);
	CU_ASSERT_EQUAL(pages, 3);
}

static void test_time_bounds_narrow_the_list(void)
{
	char path[240];
	long status;
	long long id = company_by(&manager, "Audit Timed");
	struct json_object *r;

	/* a window an hour either side of now holds the row; one that ended before it does not */
	snprintf(path, sizeof(path), "/api/v1/audit?entity=client_company&entity_id=%lld&from=%s",
		 id, rfc3339_from_now(-3600));
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "&to=%s", rfc3339_from_now(3600));
	r = call_json(&manager, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(len_at(r, "items"), 1);
	json_object_put(r);
	snprintf(path, sizeof(path), "/api/v1/audit?entity=client_company&entity_id=%lld&to=%s", id,
		 rfc3339_from_now(-3600));
	r = call_json(&manager, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(len_at(r, "items"), 0);
	CU_ASSERT_TRUE(null_at(r, "next_cursor"));
	json_object_put(r);
}

static void expect_invalid(const char *query, const char *field)
{
	char path[200];
	long status;
	struct json_object *r;

	snprintf(path, sizeof(path), "/api/v1/audit?%s", query);
	r = call_json(&manager, "GET", path, NULL, &status);
	CU_ASSERT_EQUAL(status, 422);
	CU_ASSERT_TRUE(r && has_detail(r, field));
	if (status != 422 || !r || !has_detail(r, field))
		printf("\n    %s: %ld\n", query, status);
	json_object_put(r);
}

static void test_bad_parameters_are_422_naming_them(void)
{
	long status;
	struct json_object *r;

	expect_invalid("cursor=abc", "cursor");
	expect_invalid("cursor=0", "cursor");
	expect_invalid("cursor=99999999999999999999", "cursor");
	expect_invalid("from=yesterday", "from");
	expect_invalid("to=2026-01-01", "to");
	expect_invalid("entity_id=-3", "entity_id");
	expect_invalid("actor_id=x", "actor_id");
	expect_invalid("limit=501", "limit");
	expect_invalid("offset=10", "offset");
	/* an offset PostgreSQL cannot hold is the client's value too */
	r = call_json(&manager, "GET", "/api/v1/audit?from=2026-01-01T00:00:00%2B20:00", NULL, &status);
	CU_ASSERT_EQUAL(status, 422);
	json_object_put(r);
}

static void test_only_managers_and_admins_read_the_log(void)
{
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/audit", NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&admin, "GET", "/api/v1/audit", NULL, NULL), 200);
	CU_ASSERT_EQUAL(call(&employee, "GET", "/api/v1/audit", NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&client, "GET", "/api/v1/audit", NULL, NULL), 403);
	CU_ASSERT_EQUAL(call(&anonymous, "GET", "/api/v1/audit", NULL, NULL), 401);
}

static int suite_init(void)
{
	long long company;

	if (e2e_init())
		return 1;
	seed_user("au-manager", "Audit Manager", "manager");
	seed_user("au-admin", "Audit Admin", "admin");
	seed_user("au-employee", "Audit Employee", "employee");
	company = seed_company("Audit Client Co");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " VALUES ('au-client', 'Audit Client', 'client', %lld, true, true)"
	    " ON CONFLICT DO NOTHING", company);
	principal_anonymous(&anonymous);
	if (principal_for("au-manager", &manager) || principal_for("au-admin", &admin) ||
	    principal_for("au-employee", &employee) || principal_for("au-client", &client))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "a change is listed with its actor, before and after",
		  test_a_change_is_listed_with_its_actor_before_and_after },
		{ "the cursor walks every row once, newest first",
		  test_the_cursor_walks_every_row_once_newest_first },
		{ "time bounds narrow the list", test_time_bounds_narrow_the_list },
		{ "bad parameters are 422 naming them", test_bad_parameters_are_422_naming_them },
		{ "only managers and admins read the log", test_only_managers_and_admins_read_the_log },
		{ NULL, NULL },
	};

	return cu_run("e2e audit", suite_init, e2e_done, tests);
}
