#ifndef ES_AUDIT_H
#define ES_AUDIT_H

struct db_tx;

/*
 * Records one change in the audit log inside the caller's transaction, so
 * the row exists exactly when the change committed: who (the signed-in
 * user), what (action on entity/id), when, and the row before and after as
 * JSON text (either may be NULL). The row is written by es_audit
 * (sql/functions/15_audit.sql), as every audit row is. Returns 0 or ES_EDB.
 */
int audit_record(struct db_tx *tx, const char *action, const char *entity, long long entity_id,
		 const char *before_json, const char *after_json);

#endif
