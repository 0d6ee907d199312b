#include "handlers/ops.h"

#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "fcgi/errors.h"
#include "fcgi/request.h"
#include "fcgi/scoreboard.h"
#include "fcgi/worker.h"
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
	return req->db_err;
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
	if (req->db_err)
		return req->db_err == ES_EDB ? ES_EUNAVAIL : req->db_err;
	return resp_json_text(req, 200, body, sizeof(body) - 1);
}

#define POOL_FIELDS(X) \
	X(acquires) X(waits) X(timeouts) X(connects) X(connect_failures) X(recycled) X(broken)

static void status_json(struct request *req, const struct scoreboard *sb)
{
	struct strbuf *b = &req->resp.body;
	uint64_t total = 0;
	int i, first = 1;

	strbuf_addf(b, "{\"master_pid\":%d,\"uptime_s\":%lld,\"respawns\":%llu,\"reloads\":%llu,"
		    "\"workers\":[",
		    sb->master_pid, (long long)(time(NULL) - sb->started_at),
		    (unsigned long long)sb->respawns, (unsigned long long)sb->reloads);
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		const struct sb_worker *w = &sb->workers[i];

		if (!w->pid)
			continue;
		total += w->requests;
		strbuf_addf(b, "%s{\"slot\":%d,\"pid\":%d,\"state\":\"%s\",\"requests\":%llu,"
			    "\"active\":%u,\"uptime_s\":%lld,\"pool\":{\"open\":%u,\"in_use\":%u",
			    first ? "" : ",", i, w->pid, scoreboard_state_name(w->state),
			    (unsigned long long)w->requests, w->active,
			    (long long)(time(NULL) - w->started_at), w->pool.open, w->pool.in_use);
#define X(f) strbuf_addf(b, ",\"" #f "\":%llu", (unsigned long long)w->pool.f);
		POOL_FIELDS(X)
#undef X
		strbuf_addstr(b, "}}");
		first = 0;
	}
	strbuf_addf(b, "],\"requests\":%llu}", (unsigned long long)total);
}

static void status_prometheus(struct request *req, const struct scoreboard *sb)
{
	struct strbuf *b = &req->resp.body;
	int i;

	strbuf_addstr(b, "# TYPE easyshifts_worker_requests_total counter\n"
			 "# TYPE easyshifts_worker_active gauge\n"
			 "# TYPE easyshifts_pool_open gauge\n"
			 "# TYPE easyshifts_pool_in_use gauge\n");
#define X(f) strbuf_addstr(b, "# TYPE easyshifts_pool_" #f "_total counter\n");
	POOL_FIELDS(X)
#undef X
	strbuf_addf(b, "easyshifts_respawns_total %llu\neasyshifts_reloads_total %llu\n",
		    (unsigned long long)sb->respawns, (unsigned long long)sb->reloads);
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		const struct sb_worker *w = &sb->workers[i];

		if (!w->pid)
			continue;
		strbuf_addf(b, "easyshifts_worker_requests_total{slot=\"%d\",pid=\"%d\"} %llu\n", i,
			    w->pid, (unsigned long long)w->requests);
		strbuf_addf(b, "easyshifts_worker_active{slot=\"%d\",pid=\"%d\"} %u\n", i, w->pid,
			    w->active);
		strbuf_addf(b, "easyshifts_pool_open{slot=\"%d\"} %u\n", i, w->pool.open);
		strbuf_addf(b, "easyshifts_pool_in_use{slot=\"%d\"} %u\n", i, w->pool.in_use);
#define X(f) strbuf_addf(b, "easyshifts_pool_" #f "_total{slot=\"%d\"} %llu\n", i, \
			 (unsigned long long)w->pool.f);
		POOL_FIELDS(X)
#undef X
	}
}

int ops_status(struct request *req)
{
	const char *format = req_query(req, "format");

	if (!worker.sb)
		return resp_error(req, 503, "no_scoreboard", "Not running under the master", NULL);
	strbuf_reset(&req->resp.body);
	req->resp.status = 200;
	if (format && !strcmp(format, "prometheus")) {
		req->resp.content_type = "text/plain; version=0.0.4";
		status_prometheus(req, worker.sb);
	} else if (!format || !strcmp(format, "json")) {
		req->resp.content_type = "application/json";
		status_json(req, worker.sb);
	} else {
		return resp_error(req, 400, "bad_format", "format must be json or prometheus",
				  NULL);
	}
	return 0;
}
