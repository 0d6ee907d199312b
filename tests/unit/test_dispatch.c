/*
 * http/dispatch.c around the handler: the session check the program plugs
 * in, a handler's answer (0: answered; an error code: a failure dispatch
 * answers), and the answer to a database failure: the refusal of a
 * constraint the table names, else pool/sqlstate.c's classification of
 * the SQLSTATE.
 */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "pool/sqlstate.h"
#include "tests/lib/cu.h"

static struct config cfg;
static struct request req;

/* What the next statement fails with: a SQLSTATE, or NULL for a lost connection. */
static const char *failing_sqlstate;
static enum access checked_access;
static int check_result;
static bool handler_ran;

/* Leaves the request as a failed transaction scope leaves it (pool/db.c). */
static int h_statement_fails(struct request *r)
{
	handler_ran = true;
	r->db.err = ES_EDB;
	r->db.failure = sqlstate_classify(failing_sqlstate, failing_sqlstate == NULL);
	snprintf(r->db.sqlstate, sizeof(r->db.sqlstate), "%s",
		 failing_sqlstate ? failing_sqlstate : "");
	snprintf(r->db.constraint, sizeof(r->db.constraint), "things_rule");
	return r->db.err;
}

static int h_maps_its_own_conflict(struct request *r)
{
	h_statement_fails(r);
	return resp_error(r, 409, "name_taken", "That name is taken", NULL);   /* answered: 0 */
}

/* A statement fails on a constraint the table names. */
static int h_name_taken(struct request *r)
{
	r->db.err = ES_EDB;
	r->db.failure = DB_FAIL_UNIQUE;
	snprintf(r->db.sqlstate, sizeof(r->db.sqlstate), "23505");
	snprintf(r->db.constraint, sizeof(r->db.constraint), "things_name_key");
	return r->db.err;
}

/* A handler that answered and still returns an error: the error is what counts. */
static int h_answers_and_fails(struct request *r)
{
	h_statement_fails(r);
	resp_error(r, 409, "name_taken", "That name is taken", NULL);
	return r->db.err;
}

static int session_check(struct request *r, enum access access)
{
	checked_access = access;
	if (check_result)
		resp_error(r, 401, "not_authenticated", "Sign in first", NULL);
	return check_result;
}

static const struct route routes[] = {
	{ "GET", "/fails", ACCESS_PUBLIC, h_statement_fails },
	{ "GET", "/mapped", ACCESS_PUBLIC, h_maps_its_own_conflict },
	{ "GET", "/both", ACCESS_PUBLIC, h_answers_and_fails },
	{ "GET", "/managers", ACCESS_MANAGER, h_statement_fails },
	{ "GET", "/named", ACCESS_PUBLIC, h_name_taken },
};
static const struct constraint_refusal constraints[] = {
	{ "things_name_key", { .status = 409, .code = "name_taken", .message = "That name is taken",
			       .field = "name", .rule = "unique_name" } },
	{ NULL, { 0 } },
};
static const struct dispatch_table table = { routes, sizeof(routes) / sizeof(routes[0]),
					     session_check, constraints };
static const struct dispatch_table unchecked = { routes, sizeof(routes) / sizeof(routes[0]),
						 NULL, NULL };

static int setup(void)
{
	config_defaults(&cfg);
	req_init(&req, &cfg);
	return 0;
}

static int teardown(void)
{
	req_release(&req);
	config_release(&cfg);
	return 0;
}

static void run(const struct dispatch_table *t, const char *path)
{
	char uri[128];
	char *env[] = { "REQUEST_METHOD=GET", uri, "REMOTE_ADDR=127.0.0.1", NULL };

	snprintf(uri, sizeof(uri), "REQUEST_URI=/api/v1%s", path);
	req_reset(&req);
	handler_ran = false;
	dispatch(&req, env, t);
}

static bool body_has(const char *needle)
{
	return req.resp.body.buf && strstr(req.resp.body.buf, needle);
}

static bool retry_after(void)
{
	return req.resp.headers.buf && strstr(req.resp.headers.buf, "Retry-After: 1\r\n");
}

/* Runs /fails with each state and checks status and error code. */
static void expect_answer(const char *const *states, int status, const char *code)
{
	size_t i;

	for (i = 0; states[i]; i++) {
		failing_sqlstate = states[i];
		run(&table, "/fails");
		if (req.resp.status != status || !body_has(code))
			printf("\n    %s: %d %s", states[i], req.resp.status, req.resp.body.buf);
		CU_ASSERT_EQUAL(req.resp.status, status);
		CU_ASSERT_TRUE(body_has(code));
	}
}

static void test_a_data_exception_is_422_validation_failed(void)
{
	static const char *const states[] = { "22009", "22008", "22007", "22P02", "22001", "22003",
					      "22012", "22023", "22P05", "22021", "2201E", NULL };

	expect_answer(states, 422, "\"validation_failed\"");
}

static void test_a_check_or_not_null_violation_is_422_naming_the_constraint(void)
{
	static const char *const states[] = { "23514", "23502", NULL };

	expect_answer(states, 422, "\"validation_failed\"");
	CU_ASSERT_TRUE(body_has("\"constraint\":\"things_rule\""));
}

static void test_an_unmapped_unique_or_foreign_key_violation_is_409_conflict(void)
{
	static const char *const states[] = { "23505", "23503", NULL };

	expect_answer(states, 409, "\"conflict\"");
	CU_ASSERT_TRUE(body_has("\"constraint\":\"things_rule\""));
}

static void test_a_timeout_serialization_failure_or_deadlock_is_503_with_retry_after(void)
{
	static const char *const states[] = { "57014", "40001", "40P01", NULL };
	size_t i;

	expect_answer(states, 503, "\"database_busy\"");
	for (i = 0; states[i]; i++) {
		failing_sqlstate = states[i];
		run(&table, "/fails");
		CU_ASSERT_TRUE(retry_after());
	}
}

static void test_a_lost_connection_is_503_database_unavailable(void)
{
	static const char *const states[] = { "08006", "57P01", NULL };

	expect_answer(states, 503, "\"database_unavailable\"");
	CU_ASSERT_TRUE(retry_after());
	failing_sqlstate = NULL;
	run(&table, "/fails");
	CU_ASSERT_EQUAL(req.resp.status, 503);
	CU_ASSERT_TRUE(retry_after());
}

static void test_any_other_database_error_is_500(void)
{
	static const char *const states[] = { "42703", "42P01", "25006", "XX000", "", NULL };

	expect_answer(states, 500, "\"internal_error\"");
	CU_ASSERT_FALSE(retry_after());
}

static void test_a_failure_the_handler_mapped_keeps_its_answer(void)
{
	failing_sqlstate = "23505";
	run(&table, "/mapped");
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_TRUE(body_has("\"name_taken\""));
}

static void test_a_constraint_the_table_names_is_answered_with_its_refusal(void)
{
	run(&table, "/named");
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_TRUE(body_has("\"name_taken\""));
	CU_ASSERT_TRUE(body_has("\"field\":\"name\""));
	CU_ASSERT_TRUE(body_has("\"rule\":\"unique_name\""));
	run(&unchecked, "/named");
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_TRUE(body_has("\"conflict\""));
}

static void test_an_error_a_handler_returns_is_answered_whatever_it_set(void)
{
	failing_sqlstate = "23505";
	run(&table, "/both");
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_TRUE(body_has("\"conflict\""));
	CU_ASSERT_FALSE(body_has("name_taken"));
	failing_sqlstate = "42703";
	run(&table, "/both");
	CU_ASSERT_EQUAL(req.resp.status, 500);
}

static void test_a_role_route_runs_the_session_check_first(void)
{
	failing_sqlstate = "22009";
	check_result = ES_ENOTFOUND;
	run(&table, "/managers");
	CU_ASSERT_EQUAL(checked_access, ACCESS_MANAGER);
	CU_ASSERT_EQUAL(req.resp.status, 401);
	CU_ASSERT_FALSE(handler_ran);
	check_result = 0;
	run(&table, "/managers");
	CU_ASSERT_TRUE(handler_ran);
	CU_ASSERT_EQUAL(req.resp.status, 422);
}

static void test_a_public_route_skips_the_session_check(void)
{
	checked_access = ACCESS_PUBLIC;
	check_result = ES_ENOTFOUND;
	failing_sqlstate = "22009";
	run(&table, "/fails");
	CU_ASSERT_EQUAL(checked_access, ACCESS_PUBLIC);
	CU_ASSERT_TRUE(handler_ran);
	check_result = 0;
}

static void test_a_role_route_without_a_session_check_is_refused(void)
{
	run(&unchecked, "/managers");
	CU_ASSERT_EQUAL(req.resp.status, 500);
	CU_ASSERT_FALSE(handler_ran);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "a data exception (22xxx) is 422 validation_failed", test_a_data_exception_is_422_validation_failed },
		{ "a check or not-null violation is 422 naming the constraint", test_a_check_or_not_null_violation_is_422_naming_the_constraint },
		{ "an unmapped unique or foreign-key violation is 409", test_an_unmapped_unique_or_foreign_key_violation_is_409_conflict },
		{ "a timeout, serialization failure or deadlock is 503", test_a_timeout_serialization_failure_or_deadlock_is_503_with_retry_after },
		{ "a lost connection is 503 database_unavailable", test_a_lost_connection_is_503_database_unavailable },
		{ "any other database error is 500", test_any_other_database_error_is_500 },
		{ "a failure the handler mapped keeps its answer", test_a_failure_the_handler_mapped_keeps_its_answer },
		{ "a constraint the table names is answered with its refusal",
		  test_a_constraint_the_table_names_is_answered_with_its_refusal },
		{ "an error a handler returns is answered, whatever it set",
		  test_an_error_a_handler_returns_is_answered_whatever_it_set },
		{ "a role route runs the session check first", test_a_role_route_runs_the_session_check_first },
		{ "a public route skips the session check", test_a_public_route_skips_the_session_check },
		{ "a role route without a session check is refused", test_a_role_route_without_a_session_check_is_refused },
		{ NULL, NULL },
	};

	return cu_run("dispatch", setup, teardown, tests);
}
