#ifndef ES_E2E_AUDIT_H
#define ES_E2E_AUDIT_H

/*
 * Counting audit_log rows, to check that each successful write left one and
 * a refused one none. Each returns -1 on a database error.
 */

/* Rows of entity ("user", "time_entry", ...) with action, of any row of it. */
long audit_count(const char *entity, const char *action);
/* Rows of entity with action for the one row entity_id. */
long audit_count_of(const char *entity, long long entity_id, const char *action);
/* Every row of the log. */
long audit_total(void);

#endif
