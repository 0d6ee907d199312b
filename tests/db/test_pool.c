/*
 * The pool under steady load against a real PostgreSQL (ES_TEST_DATABASE):
 * more threads than regular connections keep their overflow connections
 * open instead of connecting per request, and the overflow goes once idle.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "pool/pool.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

#define ACQUIRERS 6   /* pool_size 2 + overflow 4: every acquirer gets a connection */

static struct config cfg;

struct load {
	struct pool *pool;
	double until;
	int failures;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *acquire_loop(void *arg)
{
	struct load *load = arg;

	while (now_s() < load->until) {
		struct pool_conn *c;
		PGresult *r;

		if (pool_acquire(load->pool, &c)) {
			__atomic_add_fetch(&load->failures, 1, __ATOMIC_RELAXED);
			continue;
		}
		r = PQexec(c->pg, "SELECT pg_sleep(0.002)");
		if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
			__atomic_add_fetch(&load->failures, 1, __ATOMIC_RELAXED);
		PQclear(r);
		pool_put(load->pool, c);
	}
	return NULL;
}

/* Runs ACQUIRERS threads against pool for seconds. */
static int run_load(struct pool *pool, double seconds)
{
	struct load load = { pool, now_s() + seconds, 0 };
	pthread_t t[ACQUIRERS];
	int i;

	for (i = 0; i < ACQUIRERS; i++)
		pthread_create(&t[i], NULL, acquire_loop, &load);
	for (i = 0; i < ACQUIRERS; i++)
		pthread_join(t[i], NULL);
	return load.failures;
}

static int pool_open(struct pool *pool, int overflow_idle_s)
{
	struct pool_settings ps;

	cfg.pool_size = 2;
	cfg.pool_max_overflow = ACQUIRERS - 2;
	cfg.pool_overflow_idle_s = overflow_idle_s;
	cfg.pool_timeout_ms = 5000;
	pool_settings_from_config(&ps, &cfg);
	return pool_init(pool, &ps, NULL);
}

static int setup(void)
{
	const char *url = getenv("ES_TEST_DATABASE");

	if (!url)
		return 1;
	config_defaults(&cfg);
	free(cfg.database);
	cfg.database = strdup(url);
	return 0;
}

static int teardown(void)
{
	config_release(&cfg);
	sql_close();
	return 0;
}

static void test_steady_load_opens_no_connection_after_the_first_wave(void)
{
	struct pool pool;
	uint64_t after_first_wave;

	CU_ASSERT_FATAL(pool_open(&pool, 30) == 0);
	CU_ASSERT_EQUAL(run_load(&pool, 0.5), 0);
	after_first_wave = pool.stats->connects;
	CU_ASSERT_TRUE(after_first_wave > 2);   /* the overflow was used */
	CU_ASSERT_TRUE(after_first_wave <= ACQUIRERS);
	CU_ASSERT_EQUAL(run_load(&pool, 3.0), 0);
	CU_ASSERT_EQUAL(pool.stats->connects, after_first_wave);
	CU_ASSERT_EQUAL(pool.stats->closes, 0);
	CU_ASSERT_TRUE(pool.stats->acquires > 100);
	pool_release(&pool);
}

static void test_idle_overflow_connections_close_and_regular_ones_stay(void)
{
	struct pool pool;
	double deadline;

	CU_ASSERT_FATAL(pool_open(&pool, 1) == 0);
	CU_ASSERT_EQUAL(run_load(&pool, 0.5), 0);
	CU_ASSERT_TRUE(pool.stats->open > 2);
	pool_reap(&pool);   /* just used: nothing is idle long enough yet */
	CU_ASSERT_TRUE(pool.stats->open > 2);
	deadline = now_s() + 5;
	while (pool.stats->open > 2 && now_s() < deadline) {
		usleep(100 * 1000);
		pool_reap(&pool);
	}
	CU_ASSERT_EQUAL(pool.stats->open, 2);
	CU_ASSERT_EQUAL(pool.stats->closes, pool.stats->connects - 2);
	pool_release(&pool);
}

static void test_overflow_idle_zero_closes_on_return_as_configured(void)
{
	struct pool pool;

	CU_ASSERT_FATAL(pool_open(&pool, 0) == 0);
	CU_ASSERT_EQUAL(run_load(&pool, 0.5), 0);
	CU_ASSERT_TRUE(pool.stats->open <= 2);
	CU_ASSERT_TRUE(pool.stats->closes > 0);
	pool_release(&pool);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "steady load opens no connection after the first wave",
		  test_steady_load_opens_no_connection_after_the_first_wave },
		{ "idle overflow connections close and regular ones stay",
		  test_idle_overflow_connections_close_and_regular_ones_stay },
		{ "overflow idle 0 closes on return, as configured",
		  test_overflow_idle_zero_closes_on_return_as_configured },
		{ NULL, NULL },
	};

	return cu_run("pool under load", setup, teardown, tests);
}
