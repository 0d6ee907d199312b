/*
 * pool/sqlstate.c: the one place a SQLSTATE gets its meaning, for the
 * transaction scope (discard the connection, run the scope again) and for
 * the answer http/dispatch.c gives when a handler did not map the failure.
 */
#include <stddef.h>

#include "pool/sqlstate.h"
#include "tests/lib/cu.h"

static void expect_all(const char *const *states, enum db_failure want)
{
	size_t i;

	for (i = 0; states[i]; i++) {
		enum db_failure got = sqlstate_classify(states[i], false);

		if (got != want)
			printf("\n    %s: %d, want %d", states[i], (int)got, (int)want);
		CU_ASSERT_EQUAL(got, want);
	}
}

static void test_every_data_exception_is_a_refused_value(void)
{
	static const char *const class22[] = {
		"22000", "22001", "22003", "22004", "22007", "22008", "22009", "2200D", "22012",
		"22021", "22023", "2201E", "22P02", "22P05", NULL,
	};

	expect_all(class22, DB_FAIL_CHECK);
}

static void test_check_and_not_null_violations_are_refused_values(void)
{
	static const char *const states[] = { "23514", "23502", NULL };

	expect_all(states, DB_FAIL_CHECK);
}

static void test_unique_and_foreign_key_violations_are_told_apart(void)
{
	CU_ASSERT_EQUAL(sqlstate_classify("23505", false), DB_FAIL_UNIQUE);
	CU_ASSERT_EQUAL(sqlstate_classify("23503", false), DB_FAIL_FOREIGN_KEY);
}

static void test_serialization_failures_and_deadlocks_are_retried(void)
{
	static const char *const states[] = { "40001", "40P01", NULL };

	expect_all(states, DB_FAIL_RETRY);
}

static void test_a_cancelled_statement_is_a_timeout(void)
{
	CU_ASSERT_EQUAL(sqlstate_classify("57014", false), DB_FAIL_TIMEOUT);
}

static void test_connection_failures_discard_the_connection(void)
{
	static const char *const states[] = { "08000", "08003", "08006", "08P01", "57P01", "57P02",
					      "57P03", NULL };

	expect_all(states, DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify(NULL, true), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("22009", true), DB_FAIL_CONNECTION);
}

static void test_anything_else_is_other(void)
{
	static const char *const states[] = { "42703", "42P01", "25006", "XX000", "40000", "", "2200",
					      "220090", NULL };

	expect_all(states, DB_FAIL_OTHER);
	CU_ASSERT_EQUAL(sqlstate_classify(NULL, false), DB_FAIL_OTHER);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every data exception (22xxx) is a refused value", test_every_data_exception_is_a_refused_value },
		{ "check and not-null violations are refused values", test_check_and_not_null_violations_are_refused_values },
		{ "unique and foreign-key violations are told apart", test_unique_and_foreign_key_violations_are_told_apart },
		{ "serialization failures and deadlocks are retried", test_serialization_failures_and_deadlocks_are_retried },
		{ "a cancelled statement is a timeout", test_a_cancelled_statement_is_a_timeout },
		{ "connection failures discard the connection", test_connection_failures_discard_the_connection },
		{ "anything else is other", test_anything_else_is_other },
		{ NULL, NULL },
	};

	return cu_run("sqlstate", NULL, NULL, tests);
}
