#include "pool/migrate.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/strbuf.h"

/* Any constant shared by every easyshifts migrate run. */
#define MIGRATE_LOCK_KEY "7405411"

/* The names of the files of one directory that a filter accepts, sorted. */
struct file_list {
	char **names;
	size_t n, cap;
};

static void file_list_release(struct file_list *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->names[i]);
	free(fl->names);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int file_list_read(struct file_list *fl, const char *dir, bool (*wanted)(const char *))
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return ES_EIO;
	}
	while ((de = readdir(d))) {
		if (!wanted(de->d_name))
			continue;
		if (fl->n == fl->cap) {
			fl->cap = fl->cap ? fl->cap * 2 : 16;
			fl->names = realloc(fl->names, fl->cap * sizeof(*fl->names));
			if (!fl->names)
				abort();
		}
		fl->names[fl->n] = strdup(de->d_name);
		if (!fl->names[fl->n++])
			abort();
	}
	closedir(d);
	qsort(fl->names, fl->n, sizeof(*fl->names), cmp_names);
	return 0;
}

/* digits decimal digits, '_', a name, ".sql". */
static bool is_numbered_sql(const char *name, size_t digits)
{
	size_t len = strlen(name), i;

	if (len < digits + 6)
		return false;
	for (i = 0; i < digits; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return name[digits] == '_' && !strcmp(name + len - 4, ".sql");
}

static bool is_migration_name(const char *name)
{
	return is_numbered_sql(name, 3);
}

static bool is_functions_name(const char *name)
{
	return is_numbered_sql(name, 2);
}

/* Functions files 00..09 read no table: the migrations may call them. */
static bool runs_before_migrations(const char *name)
{
	return name[0] == '0';
}

static int exec_ok(PGconn *pg, const char *sql, const char *what)
{
	PGresult *r = PQexec(pg, sql);
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok)
		fprintf(stderr, "migrate: %s: %s", what, PQerrorMessage(pg));
	PQclear(r);
	return ok ? 0 : ES_EDB;
}

static int read_file(const char *path, struct strbuf *out)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return ES_EIO;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
	return 0;
}

/* Runs the statements of dir/name; an error names the file. */
static int exec_file(PGconn *pg, const char *dir, const char *name)
{
	struct strbuf path = STRBUF_INIT, sql;
	int rc;

	strbuf_init(&sql, 0);
	strbuf_addf(&path, "%s/%s", dir, name);
	if (read_file(path.buf, &sql)) {
		fprintf(stderr, "migrate: cannot read %s\n", path.buf);
		rc = ES_EIO;
	} else {
		rc = exec_ok(pg, sql.buf, path.buf);
	}
	strbuf_release(&path);
	strbuf_release(&sql);
	return rc;
}

static int exec_param(PGconn *pg, const char *sql, const char *param, PGresult **out)
{
	const char *params[1] = { param };
	PGresult *r = PQexecParams(pg, sql, 1, NULL, params, NULL, NULL, 0);

	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)) {
		fprintf(stderr, "migrate: %s: %s", param, PQerrorMessage(pg));
		PQclear(r);
		return ES_EDB;
	}
	*out = r;
	return 0;
}

/* Applies and records each migration schema_migrations does not name yet. */
static int apply_pending(PGconn *pg, const char *dir, const struct file_list *migrations,
			 struct strbuf *report)
{
	PGresult *r;
	bool applied;
	size_t i;
	int rc = 0;

	for (i = 0; i < migrations->n; i++) {
		const char *name = migrations->names[i];

		if ((rc = exec_param(pg, "SELECT 1 FROM schema_migrations WHERE version = $1", name, &r)))
			break;
		applied = PQntuples(r) > 0;
		PQclear(r);
		if (applied)
			continue;
		if ((rc = exec_file(pg, dir, name)) ||
		    (rc = exec_param(pg, "INSERT INTO schema_migrations (version) VALUES ($1)", name, &r)))
			break;
		PQclear(r);
		strbuf_addf(report, "applied %s\n", name);
	}
	return rc;
}

/* Applies the functions files that run before the migrations, or the others. */
static int apply_functions(PGconn *pg, const char *dir, const struct file_list *files, bool before)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < files->n; i++)
		if (runs_before_migrations(files->names[i]) == before)
			rc = exec_file(pg, dir, files->names[i]);
	return rc;
}

int migrate_run(const char *conninfo, const char *dir)
{
	struct file_list migrations = { 0 }, functions = { 0 };
	struct strbuf functions_dir = STRBUF_INIT, report = STRBUF_INIT;
	PGconn *pg = NULL;
	int rc;

	strbuf_addf(&functions_dir, "%s/functions", dir);
	if ((rc = file_list_read(&migrations, dir, is_migration_name)) ||
	    (rc = file_list_read(&functions, functions_dir.buf, is_functions_name)))
		goto out;
	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "migrate: cannot connect: %s", PQerrorMessage(pg));
		rc = ES_EUNAVAIL;
		goto out;
	}
	exec_ok(pg, "SET client_min_messages = warning", "settings");
	/* Read committed whatever the database's default: once the lock is
	 * ours, each statement sees what the run before committed. */
	if ((rc = exec_ok(pg, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN")))
		goto out;
	if ((rc = exec_ok(pg, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", "lock")) ||
	    (rc = exec_ok(pg,
			  "CREATE TABLE IF NOT EXISTS schema_migrations ("
			  " version text PRIMARY KEY,"
			  " applied_at timestamptz NOT NULL DEFAULT now())",
			  "schema_migrations")) ||
	    (rc = apply_functions(pg, functions_dir.buf, &functions, true)) ||
	    (rc = apply_pending(pg, dir, &migrations, &report)) ||
	    (rc = apply_functions(pg, functions_dir.buf, &functions, false)))
		goto out_rollback;
	if ((rc = exec_ok(pg, "COMMIT", "COMMIT")))
		goto out;
	strbuf_addf(&report, "replaced the functions, views and triggers of %zu files\n",
		    functions.n);
	fputs(report.buf, stdout);
	goto out;
out_rollback:
	exec_ok(pg, "ROLLBACK", "ROLLBACK");
out:
	PQfinish(pg);
	strbuf_release(&report);
	strbuf_release(&functions_dir);
	file_list_release(&functions);
	file_list_release(&migrations);
	return rc;
}
