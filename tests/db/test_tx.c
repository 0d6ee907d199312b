/*
 * The transaction scope against a real PostgreSQL (ES_TEST_DATABASE):
 * commit, rollback on every early exit, retries, and what is never retried.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "http/request.h"
#include "pool/db.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct config cfg;
static struct pool pool;

static const struct stmt ins = STMT("t_ins", "INSERT INTO tx_probe (tag, n) VALUES ($1, $2::int)");
static const struct stmt bad = STMT("t_bad", "SELECT no_such_column FROM tx_probe");
static const struct stmt sum = STMT("t_sum", "SELECT coalesce(sum(n), 0) FROM tx_probe WHERE tag = $1");
static const struct stmt kill_self = STMT("t_kill", "SELECT pg_terminate_backend(pg_backend_pid())");
static const struct stmt bomb = STMT("t_bomb", "INSERT INTO tx_commit_bomb VALUES (1)");

/* Rows the scopes left with tag, seen from outside the pool. */
static long count_tag(const char *tag)
{
	return (long)sql_long("SELECT count(*) FROM tx_probe WHERE tag = '%s'", tag);
}

static int setup(void)
{
	struct pool_settings ps;
	const char *url = getenv("ES_TEST_DATABASE");

	if (!url || PQstatus(sql_conn()) != CONNECTION_OK)
		return 1;
	sql("SET client_min_messages = warning");
	sql("DROP TABLE IF EXISTS tx_probe, tx_commit_bomb");
	sql("CREATE TABLE tx_probe (id serial PRIMARY KEY, tag text NOT NULL, n int NOT NULL)");
	sql("CREATE TABLE tx_commit_bomb (x int)");
	sql("CREATE OR REPLACE FUNCTION tx_die() RETURNS trigger LANGUAGE plpgsql AS "
	    "$$BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(1); "
	    "RETURN NULL; END$$");
	sql("CREATE CONSTRAINT TRIGGER tx_die AFTER INSERT ON tx_commit_bomb "
	    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tx_die()");
	config_defaults(&cfg);
	free(cfg.database);
	cfg.database = strdup(url);
	cfg.pool_size = 4;
	cfg.pool_max_overflow = 0;
	pool_settings_from_config(&ps, &cfg);
	return pool_init(&pool, &ps, NULL);
}

static int teardown(void)
{
	pool_release(&pool);
	sql("DROP TABLE IF EXISTS tx_probe, tx_commit_bomb");
	sql("DROP FUNCTION IF EXISTS tx_die()");
	sql_close();
	config_release(&cfg);
	return 0;
}

static void new_request(struct request *req)
{
	req_init(req, &cfg);
	req->db.pool = &pool;
}

static void test_natural_end_commits_exactly_once(void)
{
	struct request req;
	unsigned long commits = db_commit_count;
	int runs = 0;

	new_request(&req);
	DB_TX(&req, tx) {
		runs++;
		if (!DB_EXEC(&tx, &ins, "commit", "1"))
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, 0);
	CU_ASSERT_EQUAL(runs, 1);
	CU_ASSERT_EQUAL(db_commit_count - commits, 1);
	CU_ASSERT_EQUAL(count_tag("commit"), 1);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static void test_error_inside_the_scope_leaves_no_rows(void)
{
	struct request req;
	int runs = 0;

	new_request(&req);
	DB_TX(&req, tx) {
		runs++;
		if (!DB_EXEC(&tx, &ins, "error", "1"))
			continue;
		if (!DB_EXEC0(&tx, &bad))
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, ES_EDB);
	CU_ASSERT_STRING_EQUAL(req.db.sqlstate, "42703");
	CU_ASSERT_EQUAL(runs, 1);
	CU_ASSERT_EQUAL(count_tag("error"), 0);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static int insert_then_return(struct request *req)
{
	DB_TX(req, tx) {
		if (!DB_EXEC(&tx, &ins, "return", "1"))
			continue;
		return 42;
	}
	return 0;
}

static void test_return_from_inside_rolls_back(void)
{
	struct request req;
	unsigned long commits = db_commit_count;

	new_request(&req);
	CU_ASSERT_EQUAL(insert_then_return(&req), 42);
	CU_ASSERT_EQUAL(db_commit_count, commits);
	CU_ASSERT_EQUAL(count_tag("return"), 0);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static void test_break_rolls_back(void)
{
	struct request req;

	new_request(&req);
	DB_TX(&req, tx) {
		if (!DB_EXEC(&tx, &ins, "break", "1"))
			continue;
		break;
	}
	CU_ASSERT_EQUAL(req.db.err, 0);
	CU_ASSERT_EQUAL(count_tag("break"), 0);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static void test_goto_out_of_the_scope_rolls_back(void)
{
	struct request req;

	new_request(&req);
	DB_TX(&req, tx) {
		if (!DB_EXEC(&tx, &ins, "goto", "1"))
			continue;
		goto out;
	}
out:
	CU_ASSERT_EQUAL(count_tag("goto"), 0);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static void test_read_only_scope_refuses_writes(void)
{
	struct request req;

	new_request(&req);
	DB_TX_RO(&req, tx) {
		if (!DB_EXEC(&tx, &ins, "ro", "1"))
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, ES_EDB);
	CU_ASSERT_STRING_EQUAL(req.db.sqlstate, "25006");
	CU_ASSERT_EQUAL(count_tag("ro"), 0);
	req_release(&req);
}

static pthread_barrier_t both_read;

struct ser_run { int runs; int err; };

static void *serializable_writer(void *arg)
{
	struct ser_run *out = arg;
	struct request req;
	char next[32];

	new_request(&req);
	DB_TX_MODE(&req, tx, DB_SERIALIZABLE) {
		PGresult *r;

		out->runs++;
		r = DB_EXEC(&tx, &sum, "ser");
		if (!r)
			continue;
		snprintf(next, sizeof(next), "%ld", atol(PQgetvalue(r, 0, 0)) + 1);
		if (tx.attempts == 1)
			pthread_barrier_wait(&both_read);   /* both have read before either writes */
		if (!DB_EXEC(&tx, &ins, "ser", next))
			continue;
	}
	out->err = req.db.err;
	req_release(&req);
	return NULL;
}

static void test_conflicting_serializable_scopes_both_commit_by_retrying(void)
{
	struct ser_run a = { 0, -1 }, b = { 0, -1 };
	pthread_t ta, tb;

	pthread_barrier_init(&both_read, NULL, 2);
	pthread_create(&ta, NULL, serializable_writer, &a);
	pthread_create(&tb, NULL, serializable_writer, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&both_read);
	CU_ASSERT_EQUAL(a.err, 0);
	CU_ASSERT_EQUAL(b.err, 0);
	CU_ASSERT_EQUAL(a.runs + b.runs, 3);   /* one of them ran twice */
	CU_ASSERT_EQUAL(count_tag("ser"), 2);
	/* the retried one saw the other's row: values 1 and 2, not 1 and 1 */
	CU_ASSERT_STRING_EQUAL(sql_text("SELECT sum(n) FROM tx_probe WHERE tag = 'ser'"), "3");
}

static void test_connection_lost_before_commit_is_retried_on_a_new_one(void)
{
	struct request req;
	unsigned long broken = pool.stats->broken;
	int runs = 0;

	new_request(&req);
	DB_TX(&req, tx) {
		runs++;
		if (!DB_EXEC(&tx, &ins, "lost", "1"))
			continue;
		if (tx.attempts == 1 && !DB_EXEC0(&tx, &kill_self))
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, 0);
	CU_ASSERT_EQUAL(runs, 2);
	CU_ASSERT_EQUAL(count_tag("lost"), 1);
	CU_ASSERT(pool.stats->broken > broken);
	req_release(&req);
}

static void test_commit_with_unknown_outcome_is_503_and_never_retried(void)
{
	struct request req;
	int runs = 0;

	new_request(&req);
	DB_TX(&req, tx) {
		runs++;
		if (!DB_EXEC(&tx, &ins, "unknown", "1"))
			continue;
		if (!DB_EXEC0(&tx, &bomb))   /* its deferred trigger kills the session at COMMIT */
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, ES_EUNAVAIL);
	CU_ASSERT_EQUAL(runs, 1);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

static void test_unreachable_database_ends_the_scope_with_unavailable(void)
{
	struct pool_settings ps;
	struct pool dead;
	struct request req;
	int runs = 0;

	pool_settings_from_config(&ps, &cfg);
	ps.conninfo = "host=/nonexistent-dir dbname=x";
	pool_init(&dead, &ps, NULL);
	req_init(&req, &cfg);
	req.db.pool = &dead;
	DB_TX(&req, tx) {
		runs++;
	}
	CU_ASSERT_EQUAL(req.db.err, ES_EUNAVAIL);
	CU_ASSERT_EQUAL(runs, 0);
	req_release(&req);
	pool_release(&dead);
}

static void test_statements_are_prepared_again_after_reconnect(void)
{
	struct request req;
	int i;

	/* kill every pooled backend from outside, then run the same statement again */
	new_request(&req);
	for (i = 0; i < 2; i++) {
		DB_TX(&req, tx) {
			if (!DB_EXEC(&tx, &ins, "reprepare", "1"))
				continue;
		}
		CU_ASSERT_EQUAL(req.db.err, 0);
		sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
		    " WHERE application_name = 'easyshifts'");
		req_reset(&req);
	}
	CU_ASSERT_EQUAL(count_tag("reprepare"), 2);
	req_release(&req);
}

static void test_single_read_needs_no_transaction_and_survives_dead_connections(void)
{
	struct request req;
	unsigned long commits = db_commit_count;
	PGresult *r = NULL;
	int runs = 0;

	new_request(&req);
	sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
	    " WHERE application_name = 'easyshifts'");
	DB_READ_ONE(&req, tx) {
		runs++;
		r = DB_EXEC(&tx, &sum, "commit");
		if (!r)
			continue;
	}
	CU_ASSERT_EQUAL(req.db.err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(PQgetvalue(r, 0, 0), "1");
	CU_ASSERT_EQUAL(db_commit_count, commits);
	CU_ASSERT(runs >= 1);
	CU_ASSERT_EQUAL(pool.stats->in_use, 0);
	req_release(&req);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "natural end commits exactly once", test_natural_end_commits_exactly_once },
		{ "error inside the scope leaves no rows", test_error_inside_the_scope_leaves_no_rows },
		{ "return from inside rolls back", test_return_from_inside_rolls_back },
		{ "break rolls back", test_break_rolls_back },
		{ "goto out of the scope rolls back", test_goto_out_of_the_scope_rolls_back },
		{ "read-only scope refuses writes", test_read_only_scope_refuses_writes },
		{ "conflicting serializable scopes both commit by retrying", test_conflicting_serializable_scopes_both_commit_by_retrying },
		{ "connection lost before commit is retried on a new one", test_connection_lost_before_commit_is_retried_on_a_new_one },
		{ "commit with unknown outcome is 503 and never retried", test_commit_with_unknown_outcome_is_503_and_never_retried },
		{ "unreachable database ends the scope with unavailable", test_unreachable_database_ends_the_scope_with_unavailable },
		{ "statements are prepared again after reconnect", test_statements_are_prepared_again_after_reconnect },
		{ "single read needs no transaction, survives dead connections", test_single_read_needs_no_transaction_and_survives_dead_connections },
		{ NULL, NULL },
	};

	return cu_run("transaction scope", setup, teardown, tests);
}
