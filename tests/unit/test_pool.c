#include <string.h>
#include <time.h>

#include "base/errors.h"
#include "pool/pool.h"
#include "pool/sqlstate.h"
#include "tests/lib/cu.h"

static void test_sqlstates_are_classified(void)
{
	CU_ASSERT_EQUAL(sqlstate_classify("08006", false), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("08001", false), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("57P01", false), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("57P02", false), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("57P03", false), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify(NULL, true), DB_FAIL_CONNECTION);
	CU_ASSERT_EQUAL(sqlstate_classify("40001", false), DB_FAIL_RETRY);
	CU_ASSERT_EQUAL(sqlstate_classify("40P01", false), DB_FAIL_RETRY);
	CU_ASSERT_EQUAL(sqlstate_classify("23505", false), DB_FAIL_UNIQUE);
	CU_ASSERT_EQUAL(sqlstate_classify("23503", false), DB_FAIL_FOREIGN_KEY);
	CU_ASSERT_EQUAL(sqlstate_classify("23514", false), DB_FAIL_CHECK);
	CU_ASSERT_EQUAL(sqlstate_classify("22P02", false), DB_FAIL_CHECK);
	CU_ASSERT_EQUAL(sqlstate_classify("57014", false), DB_FAIL_TIMEOUT);
	CU_ASSERT_EQUAL(sqlstate_classify("42P01", false), DB_FAIL_OTHER);
	CU_ASSERT_EQUAL(sqlstate_classify(NULL, false), DB_FAIL_OTHER);
	CU_ASSERT_EQUAL(sqlstate_classify("4000", false), DB_FAIL_OTHER);
}

static struct pool_settings unreachable(void)
{
	struct pool_settings s = {
		.conninfo = "host=/nonexistent-es-socket-dir port=1 dbname=x connect_timeout=1",
		.size = 2,
		.max_overflow = 1,
		.timeout_ms = 2000,
		.recycle_s = 3600,
		.preping_idle_s = 30,
		.connect_timeout_s = 1,
		.statement_timeout_ms = 1000,
		.named_statements = true,
	};
	return s;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_unreachable_database_tries_three_times_then_fails(void)
{
	struct pool_settings s = unreachable();
	struct pool pool;
	struct pool_conn *c = NULL;

	pool_init(&pool, &s, NULL);
	CU_ASSERT_EQUAL(pool_acquire(&pool, &c), ES_EUNAVAIL);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(pool.stats->connect_failures, 3);
	CU_ASSERT_EQUAL(pool.stats->connects, 0);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	CU_ASSERT_TRUE(pool_database_down(&pool));
	pool_release(&pool);
}

static void test_known_down_database_fails_fast_without_connecting(void)
{
	struct pool_settings s = unreachable();
	struct pool pool;
	struct pool_conn *c = NULL;
	double t0;
	int i;

	pool_init(&pool, &s, NULL);
	CU_ASSERT_EQUAL(pool_acquire(&pool, &c), ES_EUNAVAIL);
	t0 = now_s();
	for (i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(pool_acquire(&pool, &c), ES_EUNAVAIL);
	CU_ASSERT_EQUAL(pool.stats->connect_failures, 3);
	CU_ASSERT(now_s() - t0 < 0.5);
	CU_ASSERT_EQUAL(pool.stats->acquires, 101);
	pool_release(&pool);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "sqlstates are classified", test_sqlstates_are_classified },
		{ "unreachable database: three tries, then 503", test_unreachable_database_tries_three_times_then_fails },
		{ "known-down database fails fast", test_known_down_database_fails_fast_without_connecting },
		{ NULL, NULL },
	};

	return cu_run("pool", NULL, NULL, tests);
}
