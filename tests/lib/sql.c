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

__attribute__((format(printf, 3, 0)))
static void format(char *text, size_t cap, const char *fmt, va_list ap)
{
	if ((size_t)vsnprintf(text, cap, fmt, ap) >= cap)
		fprintf(stderr, "sql: statement cut at %zu bytes: %s\n", cap, text);
}

/* Runs text on c; on the shared connection, once more if the server went away meanwhile. */
static PGresult *run(PGconn *c, const char *text)
{
	PGresult *r = PQexec(c, text);

	if (c && c == conn && PQstatus(c) == CONNECTION_BAD) {
		PQclear(r);
		PQreset(c);
		r = PQexec(c, text);
	}
	return r;
}

/* Runs text on c and copies the first column of the first row into out; false (printed) when none. */
static bool first_value(PGconn *c, const char *text, char *out, size_t cap)
{
	PGresult *r = run(c, text);
	bool found = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;

	if (found)
		snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
	else
		fprintf(stderr, "sql(%s): %s", text, c ? PQerrorMessage(c) : "no database\n");
	PQclear(r);
	return found;
}

void sql(const char *fmt, ...)
{
	char text[8192];
	PGresult *r;
	va_list ap;

	va_start(ap, fmt);
	format(text, sizeof(text), fmt, ap);
	va_end(ap);
	r = run(sql_conn(), text);
	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
		fprintf(stderr, "sql(%s): %s", text, conn ? PQerrorMessage(conn) : "no database\n");
	PQclear(r);
}

long long sql_long(const char *fmt, ...)
{
	char text[8192], value[64];
	va_list ap;

	va_start(ap, fmt);
	format(text, sizeof(text), fmt, ap);
	va_end(ap);
	return first_value(sql_conn(), text, value, sizeof(value)) ? atoll(value) : -1;
}

const char *sql_text(const char *fmt, ...)
{
	static char ring[8][4096];
	static unsigned next;
	char *out = ring[next++ % 8], text[8192];
	va_list ap;

	va_start(ap, fmt);
	format(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!first_value(sql_conn(), text, out, sizeof(ring[0])))
		out[0] = '\0';
	return out;
}

long long sql_long_in(const char *conninfo, const char *fmt, ...)
{
	PGconn *other = PQconnectdb(conninfo);
	char text[8192], value[64];
	long long v;
	va_list ap;

	va_start(ap, fmt);
	format(text, sizeof(text), fmt, ap);
	va_end(ap);
	v = first_value(other, text, value, sizeof(value)) ? atoll(value) : -1;
	PQfinish(other);
	return v;
}
