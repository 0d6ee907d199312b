#include "handlers/ops.h"

#include <json-c/json.h>
#include <string.h>

#include "base/errors.h"
#include "fcgi/status.h"
#include "fcgi/worker.h"
#include "http/refusal.h"
#include "http/request.h"
#include "pool/db.h"

static const struct stmt stmt_ping = STMT("ops_ping", "SELECT 1");
static const struct stmt stmt_purge_sessions = STMT("ops_purge_sessions",
	"DELETE FROM sessions WHERE expires_at < now()"
	"    OR last_seen_at < now() - interval '30 days'");
static const struct stmt stmt_purge_attempts = STMT("ops_purge_attempts",
	"DELETE FROM login_attempts WHERE attempted_at < now() - interval '1 day'");
static const struct stmt stmt_purge_states = STMT("ops_purge_states",
	"DELETE FROM oauth_states WHERE expires_at < now()");

int ops_housekeeping(struct request *req)
{
	DB_TX(req, tx) {
		if (!DB_EXEC0(&tx, &stmt_purge_sessions) || !DB_EXEC0(&tx, &stmt_purge_attempts) ||
		    !DB_EXEC0(&tx, &stmt_purge_states))
			continue;
	}
	return req->db.err;
}

int ops_healthz(struct request *req)
{
	static const char body[] = "{\"status\":\"ok\"}";

	return resp_json_text(req, 200, body, sizeof(body) - 1);
}

int ops_readyz(struct request *req)
{
	static const char body[] = "{\"status\":\"ready\"}";

	DB_READ_ONE(req, tx) {
		if (!DB_EXEC0(&tx, &stmt_ping))
			continue;
	}
	if (req->db.err)
		return req->db.err == ES_EDB ? ES_EUNAVAIL : req->db.err;
	return resp_json_text(req, 200, body, sizeof(body) - 1);
}

int ops_status(struct request *req)
{
	static const struct refusal bad_format =
		REFUSAL(400, "bad_format", "format must be json or prometheus");
	const char *format = req_query(req, "format");

	if (!worker.sb)
		return resp_error(req, 503, "no_scoreboard", "Not running under the master", NULL);
	strbuf_reset(&req->resp.body);
	req->resp.status = 200;
	if (format && !strcmp(format, "prometheus")) {
		req->resp.content_type = "text/plain; version=0.0.4";
		status_prometheus(worker.sb, &req->resp.body);
	} else if (!format || !strcmp(format, "json")) {
		req->resp.content_type = "application/json";
		status_json(worker.sb, &req->resp.body);
	} else {
		return refusal_send(req, &bad_format);
	}
	return 0;
}
