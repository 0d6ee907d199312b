#include "tests/lib/sql.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static PGconn *conn;

PGconn *sql_conn(void)
{
	const char *database = getenv("ES_TEST_DATABASE");

	if (!database)
		return NULL;
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		if (conn)
			PQfinish(conn);
		conn = PQconnectdb(database);
	}
	return conn;
}

void sql_close(void)
{
	if (conn)
		PQfinish(conn);
	conn = NULL;
}

/* Runs the formatted statement; the server may have been restarted since the last one. */
__attribute__((format(printf, 1, 0)))
static PGresult *query(const char *fmt, va_list ap, char *text, size_t cap)
{
	PGresult *r;

	if ((size_t)vsnprintf(text, cap, fmt, ap) >= cap)
		fprintf(stderr, "sql: statement longer than %zu bytes, cut: %s\n", cap, text);
	r = PQexec(sql_conn(), text);
	if (conn && PQstatus(conn) == CONNECTION_BAD) {
		PQclear(r);
		PQreset(conn);
		r = PQexec(conn, text);
	}
	return r;
}

static bool has_row(const PGresult *r, const char *caller, const char *text)
{
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		return true;
	fprintf(stderr, "%s(%s): %s", caller, text, conn ? PQerrorMessage(conn) : "no database\n");
	return false;
}

void sql(const char *fmt, ...)
{
	char text[8192];
	va_list ap;
	PGresult *r;

	va_start(ap, fmt);
	r = query(fmt, ap, text, sizeof(text));
	va_end(ap);
	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
		fprintf(stderr, "sql(%s): %s", text, conn ? PQerrorMessage(conn) : "no database\n");
	PQclear(r);
}

long long sql_long(const char *fmt, ...)
{
	char text[8192];
	long long v = -1;
	va_list ap;
	PGresult *r;

	va_start(ap, fmt);
	r = query(fmt, ap, text, sizeof(text));
	va_end(ap);
	if (has_row(r, "sql_long", text))
		v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

const char *sql_text(const char *fmt, ...)
{
	static char ring[8][4096];
	static unsigned next;
	char *out = ring[next++ % 8], text[8192];
	va_list ap;
	PGresult *r;

	va_start(ap, fmt);
	r = query(fmt, ap, text, sizeof(text));
	va_end(ap);
	out[0] = '\0';
	if (has_row(r, "sql_text", text))
		snprintf(out, sizeof(ring[0]), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}
