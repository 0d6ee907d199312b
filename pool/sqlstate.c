#include "pool/sqlstate.h"

#include <string.h>

enum db_failure sqlstate_classify(const char *sqlstate, bool conn_bad)
{
	if (conn_bad)
		return DB_FAIL_CONNECTION;
	if (!sqlstate || strlen(sqlstate) != 5)
		return DB_FAIL_OTHER;
	if (!strncmp(sqlstate, "08", 2) || !strcmp(sqlstate, "57P01") ||
	    !strcmp(sqlstate, "57P02") || !strcmp(sqlstate, "57P03"))
		return DB_FAIL_CONNECTION;
	if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01"))
		return DB_FAIL_RETRY;
	if (!strcmp(sqlstate, "23505"))
		return DB_FAIL_UNIQUE;
	if (!strcmp(sqlstate, "23503"))
		return DB_FAIL_FOREIGN_KEY;
	if (!strcmp(sqlstate, "23514") || !strcmp(sqlstate, "23502") ||
	    !strncmp(sqlstate, "22", 2))
		return DB_FAIL_CHECK;
	if (!strcmp(sqlstate, "57014"))
		return DB_FAIL_TIMEOUT;
	return DB_FAIL_OTHER;
}
