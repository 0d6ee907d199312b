#ifndef ES_SQLSTATE_H
#define ES_SQLSTATE_H

#include <stdbool.h>

/* What a failed statement means for the connection and the transaction. */
enum db_failure {
	DB_FAIL_NONE,
	DB_FAIL_CONNECTION,   /* 08*, 57P01-57P03, or the connection is bad: discard it */
	DB_FAIL_RETRY,        /* 40001, 40P01: run the whole scope again */
	DB_FAIL_UNIQUE,       /* 23505 */
	DB_FAIL_FOREIGN_KEY,  /* 23503 */
	DB_FAIL_CHECK,        /* 23514, 23502, 22*: data the schema refused */
	DB_FAIL_TIMEOUT,      /* 57014: statement_timeout or cancel */
	DB_FAIL_OTHER,
};

/* Classifies a SQLSTATE (NULL when libpq gave none); conn_bad: PQstatus is CONNECTION_BAD. */
enum db_failure sqlstate_classify(const char *sqlstate, bool conn_bad);

#endif
