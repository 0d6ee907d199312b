/*
 * The audit log (who changed what), read by managers: every write of the
 * API leaves one row through es_audit (sql/functions/15_audit.sql), in the
 * transaction that made the change. Rows are never changed, so the list
 * pages by a cursor (the last id read): a page stays right while rows arrive.
 */
#include "handlers/audit_log.h"

#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "http/params.h"
#include "http/request.h"
#include "http/response.h"
#include "pool/db.h"

#define ENTITY_MAX 64

/*
 * $1 entity, $2 entity_id, $3 actor_id, $4 from, $5 to, $6 the cursor (rows
 * below this id), each NULL for any; $7 the page size. One row more than
 * the page says whether there is a next one.
 */
static const struct stmt stmt_audit_list = STMT("audit_list",
	"WITH page AS ("
	"  SELECT a.* FROM audit_log a"
	"  WHERE ($1::text IS NULL OR a.entity = $1)"
	"    AND ($2::bigint IS NULL OR a.entity_id = $2::bigint)"
	"    AND ($3::bigint IS NULL OR a.actor_id = $3::bigint)"
	"    AND ($4::timestamptz IS NULL OR a.at >= $4::timestamptz)"
	"    AND ($5::timestamptz IS NULL OR a.at < $5::timestamptz)"
	"    AND ($6::bigint IS NULL OR a.id < $6::bigint)"
	"  ORDER BY a.id DESC LIMIT $7::int + 1),"
	" shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $7::int)"
	"SELECT json_build_object("
	"  'items', coalesce((SELECT json_agg(json_build_object("
	"      'id', s.id, 'at', s.at, 'actor_id', s.actor_id, 'actor_name', u.name,"
	"      'action', s.action, 'entity', s.entity, 'entity_id', s.entity_id,"
	"      'before', s.before, 'after', s.after, 'request_id', s.request_id) ORDER BY s.id DESC)"
	"    FROM shown s LEFT JOIN users u ON u.id = s.actor_id), '[]'::json),"
	"  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $7::int"
	"                      THEN (SELECT min(id)::text FROM shown) END)");

/* The cursor a previous page gave (the last id it showed); *out 0 when absent. */
static int query_cursor(struct request *req, long long *out)
{
	const char *c = req_query(req, "cursor");
	char *end;

	*out = 0;
	if (!c)
		return 0;
	if (*c >= '1' && *c <= '9' && strlen(c) <= 16) {
		*out = strtoll(c, &end, 10);
		if (!*end && *out <= ID_MAX)
			return 0;
	}
	return param_invalid(req, "cursor", "not a cursor this list returned"), ES_EINVAL;
}

int audit_list(struct request *req)
{
	long long entity_id, actor_id, cursor;
	const char *entity, *from, *to;
	struct page page;
	PGresult *r = NULL;

	if (param_query_text(req, "entity", ENTITY_MAX, &entity) ||
	    param_query_id(req, "entity_id", &entity_id) ||
	    param_query_id(req, "actor_id", &actor_id) || param_query_time(req, "from", &from) ||
	    param_query_time(req, "to", &to) || query_cursor(req, &cursor) || param_page(req, &page))
		return 0;
	if (page.offset)
		return param_invalid(req, "offset", "this list pages by cursor (next_cursor)");
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_audit_list, entity,
			    entity_id ? param_text(req, entity_id) : NULL,
			    actor_id ? param_text(req, actor_id) : NULL, from, to,
			    cursor ? param_text(req, cursor) : NULL, param_text(req, page.limit));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}
