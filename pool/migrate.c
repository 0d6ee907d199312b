#include "pool/migrate.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/strbuf.h"

/* Any constant shared by every easyshifts migrate run. */
#define MIGRATE_LOCK_KEY "7405411"

static int exec_ok(PGconn *pg, const char *sql, const char *what)
{
	PGresult *r = PQexec(pg, sql);
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok)
		fprintf(stderr, "migrate: %s: %s", what, PQerrorMessage(pg));
	PQclear(r);
	return ok ? 0 : ES_EDB;
}

static int is_migration_name(const char *name)
{
	size_t len = strlen(name);

	return len > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' &&
	       name[2] >= '0' && name[2] <= '9' && name[3] == '_' &&
	       !strcmp(name + len - 4, ".sql");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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

static int already_applied(PGconn *pg, const char *version, int *applied)
{
	const char *params[1] = { version };
	PGresult *r = PQexecParams(pg, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
				   NULL, params, NULL, NULL, 0);

	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "migrate: %s", PQerrorMessage(pg));
		PQclear(r);
		return ES_EDB;
	}
	*applied = PQntuples(r) > 0;
	PQclear(r);
	return 0;
}

static int apply_one(PGconn *pg, const char *dir, const char *name)
{
	struct strbuf path = STRBUF_INIT, sql = STRBUF_INIT;
	const char *params[1] = { name };
	PGresult *r;
	int rc, applied = 0;

	if ((rc = already_applied(pg, name, &applied)) || applied)
		goto out;
	strbuf_addf(&path, "%s/%s", dir, name);
	if (read_file(path.buf, &sql)) {
		fprintf(stderr, "migrate: cannot read %s\n", path.buf);
		rc = ES_EIO;
		goto out;
	}
	if ((rc = exec_ok(pg, "BEGIN", "BEGIN")))
		goto out;
	if ((rc = exec_ok(pg, sql.buf, name)))
		goto out_rollback;
	r = PQexecParams(pg, "INSERT INTO schema_migrations (version) VALUES ($1)", 1, NULL,
			 params, NULL, NULL, 0);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "migrate: recording %s: %s", name, PQerrorMessage(pg));
		PQclear(r);
		rc = ES_EDB;
		goto out_rollback;
	}
	PQclear(r);
	if ((rc = exec_ok(pg, "COMMIT", "COMMIT")))
		goto out;
	printf("applied %s\n", name);
	goto out;
out_rollback:
	exec_ok(pg, "ROLLBACK", "ROLLBACK");
out:
	strbuf_release(&path);
	strbuf_release(&sql);
	return rc;
}

int migrate_run(const char *conninfo, const char *dir)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	PGconn *pg;
	DIR *d;
	int rc = 0;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return ES_EIO;
	}
	while ((de = readdir(d))) {
		if (!is_migration_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);

	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "migrate: cannot connect: %s", PQerrorMessage(pg));
		rc = ES_EUNAVAIL;
		goto out;
	}
	exec_ok(pg, "SET client_min_messages = warning", "settings");
	if ((rc = exec_ok(pg, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "lock")))
		goto out;
	rc = exec_ok(pg,
		     "CREATE TABLE IF NOT EXISTS schema_migrations ("
		     " version text PRIMARY KEY,"
		     " applied_at timestamptz NOT NULL DEFAULT now())",
		     "schema_migrations");
	for (i = 0; rc == 0 && i < n; i++)
		rc = apply_one(pg, dir, names[i]);
	exec_ok(pg, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "unlock");
out:
	PQfinish(pg);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
