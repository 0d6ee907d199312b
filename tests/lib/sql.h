#ifndef ES_TEST_SQL_H
#define ES_TEST_SQL_H

#include <libpq-fe.h>

/*
 * The test database (ES_TEST_DATABASE, exported by tests/e2e/run), for
 * writing fixtures and for checking what the server wrote. One connection
 * per process, opened on first use; a statement that finds it broken (the
 * suite restarted PostgreSQL) reconnects once and runs again.
 *
 * Statements are printf formats: the values pasted in are the suites' own
 * literals and ids, never input from outside the test ('%' is written '%%').
 */

/* The connection (NULL when ES_TEST_DATABASE is unset); owned here. */
PGconn *sql_conn(void);
/* Closes the connection; the next statement opens a new one. */
void sql_close(void);

/* Runs one statement. A failure is printed; the assertions after it catch what it left undone. */
void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first column of the first row as a number; -1 when there is no row or on error (printed). */
long long sql_long(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The first column of the first row as text; "" when there is no row, it is
 * NULL, or on error (printed). One of eight static buffers used in turn, so
 * a few results may be used together (not across threads).
 */
const char *sql_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* sql_long against another database (conninfo), on a connection opened and closed for it. */
long long sql_long_in(const char *conninfo, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
