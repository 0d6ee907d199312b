#include "tests/e2e/audit.h"

#include "tests/lib/sql.h"

long audit_count(const char *entity, const char *action)
{
	return (long)sql_long("SELECT count(*) FROM audit_log WHERE entity = '%s' AND action = '%s'",
			      entity, action);
}

long audit_count_of(const char *entity, long long entity_id, const char *action)
{
	return (long)sql_long("SELECT count(*) FROM audit_log WHERE entity = '%s' AND entity_id = %lld"
			      " AND action = '%s'", entity, entity_id, action);
}

long audit_total(void)
{
	return (long)sql_long("SELECT count(*) FROM audit_log");
}
