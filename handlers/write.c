#include "handlers/write.h"

#include <string.h>

#include "auth/audit.h"
#include "base/errors.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "pool/db.h"

void write_init(struct write_op *w, struct request *req, const char *entity, long long id)
{
	memset(w, 0, sizeof(*w));
	w->req = req;
	w->entity = entity;
	w->id = id;
	w->id_text = param_text(req, id);
}

void write_id(struct write_op *w, long long id)
{
	w->id = id;
	w->id_text = param_text(w->req, id);
}

int write_lock(struct write_op *w, PGresult *locked, const struct refusal *missing)
{
	w->refusal = NULL;
	w->after = NULL;
	w->before = PQntuples(locked) ? PQgetvalue(locked, 0, 0) : NULL;
	return write_refuse(w, w->before ? NULL : missing);
}

int write_refuse(struct write_op *w, const struct refusal *r)
{
	w->refusal = r;
	return r ? ES_ECONFLICT : 0;
}

int write_audit(struct write_op *w, struct db_tx *tx, const char *action, const char *after)
{
	w->after = after;
	return audit_record(tx, action, w->entity, w->id, w->before, after);
}

bool write_done(const struct write_op *w)
{
	return !w->req->db.err && !w->refusal;
}

int write_answer(const struct write_op *w, int status)
{
	struct request *req = w->req;

	if (req->db.err)
		return req->db.err;
	if (w->refusal)
		return refusal_send(req, w->refusal);
	if (status == 204)
		return resp_empty(req, status);
	if (!w->after)
		return ES_EINVAL;   /* a handler's bug: nothing to answer with */
	return resp_json_text(req, status, w->after, strlen(w->after));
}
