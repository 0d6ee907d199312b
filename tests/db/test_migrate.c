/*
 * easyshifts migrate against a real PostgreSQL: idempotent, and two runs at
 * once take turns instead of colliding.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static const char *url, *top, *build;

static int migrate(const char *conninfo, const char *out)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd, "EASYSHIFTS_DATABASE='%s' '%s/easyshifts' migrate --dir '%s/sql' >%s 2>&1",
		    conninfo, build, top, out);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_second_run_is_a_no_op(void)
{
	long n = sql_long("SELECT count(*) FROM schema_migrations");

	CU_ASSERT(n >= 5);
	CU_ASSERT_EQUAL(migrate(url, "/dev/null"), 0);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM schema_migrations"), n);
}

static void test_two_runs_at_once_do_not_collide(void)
{
	struct strbuf fresh = STRBUF_INIT;
	const char *db = "easyshifts_migrate_race";
	pid_t a, b;
	int sa, sb;
	long tables;

	strbuf_addf(&fresh, "%.*s dbname=%s", (int)(strstr(url, "dbname=") - url), url, db);
	{
		struct strbuf cmd = STRBUF_INIT;

		strbuf_addf(&cmd, "'%s/tests/stack' db-create '%s' %s", top, getenv("ES_E2E_RUN"), db);
		CU_ASSERT_EQUAL_FATAL(system(cmd.buf), 0);
		strbuf_release(&cmd);
	}
	a = fork();
	if (a == 0)
		_exit(migrate(fresh.buf, "/dev/null"));
	b = fork();
	if (b == 0)
		_exit(migrate(fresh.buf, "/dev/null"));
	waitpid(a, &sa, 0);
	waitpid(b, &sb, 0);
	CU_ASSERT_TRUE(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	CU_ASSERT_TRUE(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	CU_ASSERT_EQUAL(sql_long_in(fresh.buf, "SELECT count(*) FROM schema_migrations"),
			sql_long("SELECT count(*) FROM schema_migrations"));
	tables = sql_long_in(fresh.buf, "SELECT count(*) FROM pg_tables WHERE tablename = 'shifts'");
	CU_ASSERT_EQUAL(tables, 1);
	strbuf_release(&fresh);
}

static void test_schema_refuses_bad_rows(void)
{
	static const char *const bad[] = {
		"INSERT INTO users (username, name, role) VALUES ('x1', 'X', 'boss')",
		"INSERT INTO client_companies (name) VALUES ('Acme'), ('ACME')",
		"SELECT es_valid_requirements('{\"stagehand\": 501}') OR (1/0 = 1)",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		PGresult *r = PQexec(sql_conn(), bad[i]);

		CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_FATAL_ERROR);
		PQclear(r);
	}
}

static int setup(void)
{
	url = getenv("ES_TEST_DATABASE");
	top = getenv("ES_E2E_TOP");
	build = getenv("ES_E2E_BUILD");
	return url && top && build ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "second run is a no-op", test_second_run_is_a_no_op },
		{ "two runs at once do not collide", test_two_runs_at_once_do_not_collide },
		{ "schema refuses bad rows", test_schema_refuses_bad_rows },
		{ NULL, NULL },
	};

	return cu_run("migrate", setup, NULL, tests);
}
