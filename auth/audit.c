#include "auth/audit.h"

#include <stdio.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "http/request.h"
#include "pool/db.h"

static const struct stmt stmt_audit = STMT("audit_insert",
	"SELECT es_audit(nullif($1, '')::bigint, $2, $3, $4::bigint, $5::jsonb, $6::jsonb, $7)");

int audit_record(struct db_tx *tx, const char *action, const char *entity, long long entity_id,
		 const char *before_json, const char *after_json)
{
	const struct request *req = req_from_tx(tx);
	char actor[24] = "", id[24];

	if (req->user)
		snprintf(actor, sizeof(actor), "%lld", req->user->id);
	snprintf(id, sizeof(id), "%lld", entity_id);
	return DB_EXEC(tx, &stmt_audit, actor, action, entity, id, before_json, after_json,
		       req->request_id) ? 0 : ES_EDB;
}
