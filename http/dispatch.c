#include "http/dispatch.h"

#include <json-c/json.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "base/log.h"
#include "http/refusal.h"
#include "pool/sqlstate.h"

static bool remote_is_local(const struct request *req)
{
	const char *addr = req_param(req, "REMOTE_ADDR");

	return !addr || !*addr || !strncmp(addr, "127.", 4) || !strcmp(addr, "::1") ||
	       !strcmp(addr, "unix:");
}

static bool method_has_body(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH") ||
	       !strcmp(method, "DELETE");
}

static void set_captures(struct request *req, const struct route_result *m)
{
	size_t i;

	req->ncaptures = m->ncaptures;
	for (i = 0; i < m->ncaptures; i++) {
		req->capture_names[i] = arena_strndup(&req->arena, m->capture_names[i],
						      m->capture_name_lens[i]);
		req->captures[i] = arena_strndup(&req->arena, m->captures[i], m->capture_lens[i]);
	}
}

/* The failed statement's constraint, as the details of a 409 or 422. */
static struct json_object *constraint_details(const struct request *req)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "constraint", json_object_new_string(req->db.constraint));
	return d;
}

static void unavailable(struct request *req)
{
	resp_header(req, "Retry-After", "1");
	resp_error(req, 503, "database_unavailable",
		   "The database is unavailable; try again shortly", NULL);
}

/*
 * A statement failed (ES_EDB) on a constraint the table does not name, or
 * otherwise: the answer follows what pool/sqlstate.c made of its SQLSTATE.
 */
static bool database_failed(struct request *req)
{
	switch (req->db.failure) {
	case DB_FAIL_CONNECTION:
		unavailable(req);
		return true;
	case DB_FAIL_TIMEOUT:
	case DB_FAIL_RETRY:
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "database_busy",
			   "The database took too long or was too busy; try again", NULL);
		return true;
	case DB_FAIL_UNIQUE:
	case DB_FAIL_FOREIGN_KEY:
		/* the data moved meanwhile */
		resp_error(req, 409, "conflict",
			   "The data changed while the request ran; reload and try again",
			   constraint_details(req));
		return true;
	case DB_FAIL_CHECK:
		/* a value the handler's checks let through and the schema refused */
		resp_error(req, 422, "validation_failed", "A value is not acceptable",
			   constraint_details(req));
		return true;
	case DB_FAIL_NONE:
	case DB_FAIL_OTHER:
		break;
	}
	return false;
}

/* The refusal a violated constraint the table names is answered with, or NULL. */
static const struct refusal *constraint_refusal(const struct request *req,
						const struct dispatch_table *table)
{
	const struct constraint_refusal *c;

	if (strncmp(req->db.sqlstate, "23", 2) || !*req->db.constraint || !table->constraints)
		return NULL;
	for (c = table->constraints; c->constraint; c++)
		if (!strcmp(c->constraint, req->db.constraint))
			return &c->refusal;
	return NULL;
}

static void handler_failed(struct request *req, const struct dispatch_table *table, int rc)
{
	const struct refusal *refusal;
	struct strbuf kv = STRBUF_INIT;

	switch (rc) {
	case ES_EUNAVAIL:
		unavailable(req);
		return;
	case ES_ETIMEOUT:
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "server_busy",
			   "Every database connection is busy; try again shortly", NULL);
		return;
	case ES_EDB:
		refusal = constraint_refusal(req, table);
		if (refusal) {
			refusal_send(req, refusal);
			return;
		}
		if (database_failed(req))
			return;
		break;
	default:
		break;
	}
	log_kv(&kv, "req_id", req->request_id);
	log_kv(&kv, "path", req->path);
	strbuf_addf(&kv, " rc=%d", rc);
	log_kv(&kv, "sqlstate", req->db.sqlstate);
	log_line(LOG_ERROR, "internal_error", &kv);
	strbuf_release(&kv);
	strbuf_reset(&req->resp.headers);
	resp_error(req, 500, "internal_error",
		   "Something went wrong on our side; it has been logged", NULL);
}

void dispatch(struct request *req, char **envp, const struct dispatch_table *table)
{
	struct route_result m;
	int rc;

	if (req_parse(req, envp)) {
		resp_error(req, 400, "bad_path", "The request path cannot be decoded", NULL);
		return;
	}
	switch (router_match(table->routes, table->nroutes, req->method, req->path, &m)) {
	case ROUTE_NOT_FOUND:
		resp_error(req, 404, "not_found", "No such route", NULL);
		return;
	case ROUTE_METHOD_NOT_ALLOWED:
		resp_header(req, "Allow", m.allow);
		resp_error(req, 405, "method_not_allowed",
			   "This route does not accept that method", NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	req->route = m.route;
	switch (m.route->access) {
	case ACCESS_PUBLIC:
		break;
	case ACCESS_LOCAL:
		if (!remote_is_local(req)) {
			resp_error(req, 403, "forbidden", "Only available from the local host", NULL);
			return;
		}
		break;
	case ACCESS_DEBUG:
		if (!req->cfg->debug_routes) {
			resp_error(req, 404, "not_found", "No such route", NULL);
			return;
		}
		break;
	default:
		rc = table->authenticate ? table->authenticate(req, m.route->access) : ES_EINVAL;
		if (rc) {
			if (!req->resp.status)
				handler_failed(req, table, rc);
			return;
		}
		break;
	}
	set_captures(req, &m);
	if (method_has_body(req->method) && req_read_json(req))
		return;   /* req_read_json set the 400/413/415 */
	rc = m.route->handler(req);
	if (rc)
		handler_failed(req, table, rc);
	else if (!req->resp.status)
		handler_failed(req, table, ES_EINVAL);
}
