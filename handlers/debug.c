#include "handlers/debug.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"
#include "pool/db.h"

static const struct stmt stmt_sleep = STMT("debug_sleep", "SELECT pg_sleep($1::int / 1000.0)");
static const struct stmt stmt_backend = STMT("debug_backend", "SELECT pg_backend_pid()");
static const struct stmt stmt_insert_note = STMT("debug_insert_note",
	"SELECT es_audit(NULL, 'debug', 'debug', NULL, NULL, NULL, $1)");

static const struct refusal r_no_body = REFUSAL(400, "body_required", "A JSON body is required"),
	r_bad_ms = REFUSAL(422, "invalid_ms", "ms must be 0..30000"),
	r_bad_tx_body = REFUSAL(422, "invalid_body", "tag and then are required"),
	r_refused = REFUSAL(409, "refused", "Refused inside the scope"),
	r_failed = REFUSAL(422, "statement_failed", "The statement failed");

int debug_echo(struct request *req)
{
	if (!req->json)
		return refusal_send(req, &r_no_body);
	return resp_json(req, 200, req->json);
}

/* GET /debug/sleep?ms=N: holds a pooled connection for N ms (at most 30 s). */
int debug_sleep(struct request *req)
{
	const char *ms = req_query(req, "ms");
	char buf[16];
	long v = ms ? strtol(ms, NULL, 10) : 0;

	if (v < 0 || v > 30000)
		return refusal_send(req, &r_bad_ms);
	snprintf(buf, sizeof(buf), "%ld", v);
	DB_TX_RO(req, tx) {
		if (!DB_EXEC(&tx, &stmt_sleep, buf))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, "{\"slept\":true}", 14);
}

int debug_backend(struct request *req)
{
	char body[96];
	PGresult *r = NULL;

	DB_READ_ONE(req, tx) {
		r = DB_EXEC0(&tx, &stmt_backend);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	snprintf(body, sizeof(body), "{\"backend_pid\":%s,\"worker_pid\":%d}",
		 PQgetvalue(r, 0, 0), (int)getpid());
	return resp_json_text(req, 200, body, strlen(body));
}

/*
 * POST /debug/tx {"tag": "...", "then": "commit"|"refuse"|"fail"}: writes an
 * audit row tagged with tag, then commits, leaves the scope with a 409, or
 * runs a failing statement; the suite counts the rows that remain.
 */
int debug_tx_write(struct request *req)
{
	static const struct stmt stmt_fail = STMT("debug_fail", "SELECT 1/0");
	struct json_object *tag, *then;
	const char *mode;

	if (!req->json || !json_object_object_get_ex(req->json, "tag", &tag) ||
	    !json_object_object_get_ex(req->json, "then", &then))
		return refusal_send(req, &r_bad_tx_body);
	mode = json_object_get_string(then);
	DB_TX(req, tx) {
		if (!DB_EXEC(&tx, &stmt_insert_note, json_object_get_string(tag)))
			continue;
		if (!strcmp(mode, "refuse"))
			return refusal_send(req, &r_refused);
		if (!strcmp(mode, "fail") && !DB_EXEC0(&tx, &stmt_fail))
			continue;
	}
	if (req->db.err)
		return refusal_send(req, &r_failed);
	return resp_json_text(req, 201, "{\"written\":true}", 16);
}
