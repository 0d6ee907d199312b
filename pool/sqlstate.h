#ifndef ES_SQLSTATE_H
#define ES_SQLSTATE_H

#include <stdbool.h>

/*
 * What a failed statement means: for the connection and the transaction
 * (pool/db.c), and for the client (http/dispatch.c answers with the status
 * in brackets when the handler did not map the failure itself).
 */
enum db_failure {
	DB_FAIL_NONE,
	DB_FAIL_CONNECTION,   /* 08*, 57P01-57P03, or the connection is bad: discard it [503] */
	DB_FAIL_RETRY,        /* 40001, 40P01: run the whole scope again [503] */
	DB_FAIL_UNIQUE,       /* 23505 [409] */
	DB_FAIL_FOREIGN_KEY,  /* 23503 [409] */
	DB_FAIL_CHECK,        /* 23514, 23502, every 22* (data exception): a value refused [422] */
	DB_FAIL_TIMEOUT,      /* 57014: statement_timeout or cancel [503] */
	DB_FAIL_OTHER,        /* anything else: a bug [500] */
};

/* Classifies a SQLSTATE (NULL when libpq gave none); conn_bad: PQstatus is CONNECTION_BAD. */
enum db_failure sqlstate_classify(const char *sqlstate, bool conn_bad);

#endif
