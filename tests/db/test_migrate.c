/*
 * easyshifts migrate against a real PostgreSQL: idempotent, two runs at once
 * take turns instead of colliding, a database the migrations made before
 * sql/functions/ existed (tests/db/legacy-sql, verbatim) ends with the schema
 * of a new one, and a changed functions file takes effect on the next run.
 */
#include <glob.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static const char *url, *top, *build, *run;

static int shell(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Runs easyshifts migrate --dir dir; its errors go to stderr. */
static int migrate_dir(const char *conninfo, const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd, "EASYSHIFTS_DATABASE='%s' '%s/easyshifts' migrate --dir '%s' >/dev/null",
		    conninfo, build, dir);
	rc = shell(cmd.buf);
	strbuf_release(&cmd);
	return rc;
}

static int migrate(const char *conninfo)
{
	struct strbuf dir = STRBUF_INIT;
	int rc;

	strbuf_addf(&dir, "%s/sql", top);
	rc = migrate_dir(conninfo, dir.buf);
	strbuf_release(&dir);
	return rc;
}

/* Creates database name in the test cluster (empty) and sets conninfo to it. */
static void new_database(const char *name, struct strbuf *conninfo)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "'%s/tests/stack' db-create '%s' %s", top, run, name);
	CU_ASSERT_EQUAL_FATAL(shell(cmd.buf), 0);
	strbuf_release(&cmd);
	strbuf_reset(conninfo);
	strbuf_addf(conninfo, "%.*s dbname=%s", (int)(strstr(url, "dbname=") - url), url, name);
}

static bool exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "%s", PQerrorMessage(c));
	PQclear(r);
	return ok;
}

/* The files of tests/db/legacy-sql, in order; globfree() them. */
static bool legacy_files(glob_t *files)
{
	struct strbuf pattern = STRBUF_INIT;
	bool ok;

	strbuf_addf(&pattern, "%s/tests/db/legacy-sql/[0-9][0-9][0-9]_*.sql", top);
	ok = glob(pattern.buf, 0, NULL, files) == 0;
	strbuf_release(&pattern);
	return ok;
}

/*
 * A database as the runner before sql/functions/ left it after the first n
 * legacy files: each in its own transaction, recorded by name in
 * schema_migrations.
 */
static bool migrate_legacy(const char *conninfo, const glob_t *files, size_t n)
{
	struct strbuf record = STRBUF_INIT;
	PGconn *c = PQconnectdb(conninfo);
	bool ok = PQstatus(c) == CONNECTION_OK && exec_ok(c, "SET client_min_messages = warning") &&
		  exec_ok(c, "CREATE TABLE schema_migrations ("
			     " version text PRIMARY KEY,"
			     " applied_at timestamptz NOT NULL DEFAULT now())");
	size_t i;

	for (i = 0; ok && i < n; i++) {
		char *sql = NULL;
		size_t len = 0;
		FILE *f = fopen(files->gl_pathv[i], "r");

		ok = f && getdelim(&sql, &len, '\0', f) > 0;
		if (f)
			fclose(f);
		strbuf_reset(&record);
		strbuf_addf(&record, "INSERT INTO schema_migrations (version) VALUES ('%s')",
			    strrchr(files->gl_pathv[i], '/') + 1);
		ok = ok && exec_ok(c, "BEGIN") && exec_ok(c, sql) && exec_ok(c, record.buf) &&
		     exec_ok(c, "COMMIT");
		free(sql);
	}
	PQfinish(c);
	strbuf_release(&record);
	return ok;
}

/*
 * Writes the schema of a database, as pg_dump --schema-only prints it, to
 * file, less the \restrict lines (their key is new in every dump).
 */
static bool dump_schema(const char *conninfo, const char *file)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd,
		    "\"${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}/pg_dump\""
		    " --schema-only -d '%s' | grep -Ev '^[\\\\](un)?restrict ' >'%s'",
		    conninfo, file);
	rc = shell(cmd.buf);
	strbuf_release(&cmd);
	return rc == 0;
}

/* True when the two dumps are the same; shows how they differ when not. */
static bool same_file(const char *a, const char *b)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd, "cmp -s '%s' '%s' || { diff -u '%s' '%s' | head -n 60; exit 1; }", a, b,
		    a, b);
	rc = shell(cmd.buf);
	strbuf_release(&cmd);
	return rc == 0;
}

static void run_file(struct strbuf *path, const char *name)
{
	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", run, name);
}

static void test_second_run_is_a_no_op(void)
{
	long n = sql_long("SELECT count(*) FROM schema_migrations");

	CU_ASSERT(n >= 5);
	CU_ASSERT_EQUAL(migrate(url), 0);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM schema_migrations"), n);
}

static void test_second_run_leaves_the_schema_as_it_was(void)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

	run_file(&before, "again-before.sql");
	run_file(&after, "again-after.sql");
	CU_ASSERT_TRUE_FATAL(dump_schema(url, before.buf));
	CU_ASSERT_EQUAL(migrate(url), 0);
	CU_ASSERT_TRUE_FATAL(dump_schema(url, after.buf));
	CU_ASSERT_TRUE(same_file(before.buf, after.buf));
	strbuf_release(&before);
	strbuf_release(&after);
}

static void test_two_runs_at_once_do_not_collide(void)
{
	struct strbuf fresh = STRBUF_INIT;
	pid_t a, b;
	int sa, sb;
	long tables;

	new_database("easyshifts_migrate_race", &fresh);
	a = fork();
	if (a == 0)
		_exit(migrate(fresh.buf));
	b = fork();
	if (b == 0)
		_exit(migrate(fresh.buf));
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

/*
 * Today's databases were made by tests/db/legacy-sql; one stopped after any
 * of those files migrates to the schema a new database gets.
 */
static void test_a_database_of_the_old_migrations_ends_with_the_new_schema(void)
{
	struct strbuf fresh = STRBUF_INIT, old = STRBUF_INIT, name = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	glob_t legacy;
	size_t i;

	CU_ASSERT_TRUE_FATAL(legacy_files(&legacy));
	CU_ASSERT_FATAL(legacy.gl_pathc >= 11);
	new_database("easyshifts_migrate_fresh", &fresh);
	CU_ASSERT_EQUAL_FATAL(migrate(fresh.buf), 0);
	run_file(&want, "fresh.sql");
	CU_ASSERT_TRUE_FATAL(dump_schema(fresh.buf, want.buf));
	for (i = legacy.gl_pathc; i >= 1; i--) {
		strbuf_reset(&name);
		strbuf_addf(&name, "easyshifts_migrate_legacy_%zu", i);
		new_database(name.buf, &old);
		CU_ASSERT_TRUE_FATAL(migrate_legacy(old.buf, &legacy, i));
		CU_ASSERT_EQUAL(migrate(old.buf), 0);
		strbuf_addstr(&name, ".sql");
		run_file(&got, name.buf);
		CU_ASSERT_TRUE_FATAL(dump_schema(old.buf, got.buf));
		if (!same_file(want.buf, got.buf)) {
			fprintf(stderr, "after the first %zu old migrations: schema differs\n", i);
			CU_FAIL("schema differs from a new database's");
		}
	}
	globfree(&legacy);
	strbuf_release(&fresh);
	strbuf_release(&old);
	strbuf_release(&name);
	strbuf_release(&want);
	strbuf_release(&got);
}

static void test_a_changed_functions_file_takes_effect_on_the_next_run(void)
{
	struct strbuf db = STRBUF_INIT, dir = STRBUF_INIT, cmd = STRBUF_INIT;
	long applied;

	strbuf_addf(&dir, "%s/sql-edited", run);
	strbuf_addf(&cmd, "rm -rf '%s' && cp -R '%s/sql' '%s'", dir.buf, top, dir.buf);
	CU_ASSERT_EQUAL_FATAL(shell(cmd.buf), 0);
	new_database("easyshifts_migrate_edit", &db);
	CU_ASSERT_EQUAL_FATAL(migrate_dir(db.buf, dir.buf), 0);
	CU_ASSERT_EQUAL(sql_long_in(db.buf, "SELECT cardinality(es_shift_parts())"), 3);
	applied = sql_long_in(db.buf, "SELECT count(*) FROM schema_migrations");

	strbuf_reset(&cmd);
	strbuf_addf(&cmd,
		    "sed -i \"s/array\\['morning', 'noon', 'evening'\\]/array['morning', 'noon', "
		    "'evening', 'night']/\" '%s/functions/00_shifts.sql' && "
		    "grep -q \"'night'\" '%s/functions/00_shifts.sql'",
		    dir.buf, dir.buf);
	CU_ASSERT_EQUAL_FATAL(shell(cmd.buf), 0);
	CU_ASSERT_EQUAL(migrate_dir(db.buf, dir.buf), 0);
	CU_ASSERT_EQUAL(sql_long_in(db.buf, "SELECT cardinality(es_shift_parts())"), 4);
	CU_ASSERT_EQUAL(sql_long_in(db.buf, "SELECT count(*) FROM schema_migrations"), applied);
	strbuf_release(&db);
	strbuf_release(&dir);
	strbuf_release(&cmd);
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
	run = getenv("ES_E2E_RUN");
	return url && top && build && run ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "second run is a no-op", test_second_run_is_a_no_op },
		{ "second run leaves the schema as it was", test_second_run_leaves_the_schema_as_it_was },
		{ "two runs at once do not collide", test_two_runs_at_once_do_not_collide },
		{ "a database of the old migrations ends with the new schema",
		  test_a_database_of_the_old_migrations_ends_with_the_new_schema },
		{ "a changed functions file takes effect on the next run",
		  test_a_changed_functions_file_takes_effect_on_the_next_run },
		{ "schema refuses bad rows", test_schema_refuses_bad_rows },
		{ NULL, NULL },
	};

	return cu_run("migrate", setup, NULL, tests);
}
