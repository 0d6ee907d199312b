/*
 * Jobs (SPEC §3 People and clients): one job is one client's work at one
 * venue. Managers keep them; a client user reads their own company's;
 * employees see them through their shifts only. A job with shifts is
 * history: it is deactivated, never deleted, and stays with its client.
 */
#include "handlers/jobs.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/job_json.h"
#include "http/params.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define SEARCH_MAX 200

/*
 * $1 the caller's company or NULL for all, $2 client_id or NULL, $3 active
 * or NULL, $4 text the name or venue name contains or NULL, $5 limit, $6 offset.
 */
static const struct stmt stmt_job_list = STMT("job_list",
	"WITH matched AS (SELECT * FROM jobs j"
	"                  WHERE ($1::bigint IS NULL OR j.client_company_id = $1::bigint)"
	"                    AND ($2::bigint IS NULL OR j.client_company_id = $2::bigint)"
	"                    AND ($3::boolean IS NULL OR j.active = $3::boolean)"
	"                    AND ($4::text IS NULL OR strpos(lower(j.name), lower($4::text)) > 0"
	"                         OR strpos(lower(j.venue_name), lower($4::text)) > 0)),"
	"     page AS (SELECT * FROM matched j ORDER BY lower(j.name), j.id"
	"               LIMIT $5::int OFFSET $6::int)"
	" SELECT json_build_object("
	"   'items', coalesce((SELECT json_agg(" JOB_JSON " ORDER BY lower(j.name), j.id)"
	"                        FROM page j), '[]'),"
	"   'total', (SELECT count(*) FROM matched))");

/* $1 the fields as JSON (see job_doc), $2 the creator. */
static const struct stmt stmt_job_create = STMT("job_create",
	"WITH j AS (INSERT INTO jobs (client_company_id, name, description, venue_name,"
	"                             venue_address, venue_contact, estimated_start, estimated_end,"
	"                             active, created_by)"
	"           SELECT d.client_company_id, d.name, d.description, d.venue_name,"
	"                  d.venue_address, d.venue_contact, d.estimated_start, d.estimated_end,"
	"                  coalesce(d.active, true), $2::bigint"
	"             FROM jsonb_populate_record(NULL::jobs, $1::jsonb) d"
	"           RETURNING *)"
	" SELECT j.id, " JOB_JSON " FROM j");

/* $2 the caller's company or NULL for all. */
static const struct stmt stmt_job_get = STMT("job_get",
	"SELECT " JOB_JSON " FROM jobs j"
	" WHERE j.id = $1::bigint AND ($2::bigint IS NULL OR j.client_company_id = $2::bigint)");

static const struct stmt stmt_job_lock = STMT("job_lock",
	"SELECT " JOB_JSON " FROM jobs j WHERE j.id = $1::bigint FOR UPDATE");

/*
 * jsonb_populate_record(j, $2): the row with the given fields replaced. No
 * row when the job would move to another client while it has shifts.
 */
static const struct stmt stmt_job_update = STMT("job_update",
	"UPDATE jobs j"
	"   SET (client_company_id, name, description, venue_name, venue_address, venue_contact,"
	"        estimated_start, estimated_end, active)"
	"       = (SELECT d.client_company_id, d.name, d.description, d.venue_name,"
	"                 d.venue_address, d.venue_contact, d.estimated_start, d.estimated_end,"
	"                 d.active"
	"            FROM jsonb_populate_record(j, $2::jsonb) d),"
	"       updated_at = now()"
	" WHERE j.id = $1::bigint"
	"   AND (j.client_company_id = coalesce(($2::jsonb->>'client_company_id')::bigint,"
	"                                       j.client_company_id)"
	"        OR NOT EXISTS (SELECT 1 FROM shifts s WHERE s.job_id = j.id))"
	" RETURNING " JOB_JSON);

/* Read after the row lock, which holds off new shifts: the answer stays true. */
static const struct stmt stmt_job_has_shifts = STMT("job_has_shifts",
	"SELECT EXISTS (SELECT 1 FROM shifts s WHERE s.job_id = $1::bigint)");

static const struct stmt stmt_job_deactivate = STMT("job_deactivate",
	"UPDATE jobs j SET active = false, updated_at = now() WHERE j.id = $1::bigint"
	" RETURNING " JOB_JSON);

static const struct stmt stmt_job_delete = STMT("job_delete",
	"DELETE FROM jobs WHERE id = $1::bigint");

/* A job body: POST needs the client and a name, PATCH takes any subset. */
enum {
	F_CLIENT, F_NAME, F_DESCRIPTION, F_VENUE_NAME, F_VENUE_ADDRESS, F_VENUE_CONTACT,
	F_START, F_END, F_ACTIVE, JOB_NFIELDS
};
static const struct field job_create_fields[JOB_NFIELDS] = {
	{ "client_company_id", FIELD_INT, true, 1, ID_MAX },
	{ "name", FIELD_STRING, true, 0, 200 },   /* "" or blank: job_doc says empty */
	{ "description", FIELD_STRING, false, 0, 4000 },
	{ "venue_name", FIELD_STRING, false, 0, 200 },
	{ "venue_address", FIELD_STRING, false, 0, 500 },
	{ "venue_contact", FIELD_STRING, false, 0, 500 },
	{ "estimated_start", FIELD_STRING, false, 0, 0 },
	{ "estimated_end", FIELD_STRING, false, 0, 0 },
	{ "active", FIELD_BOOL, false, 0, 0 },
};
static const struct field job_update_fields[JOB_NFIELDS] = {
	{ "client_company_id", FIELD_INT, false, 1, ID_MAX },
	{ "name", FIELD_STRING, false, 0, 200 },
	{ "description", FIELD_STRING, false, 0, 4000 },
	{ "venue_name", FIELD_STRING, false, 0, 200 },
	{ "venue_address", FIELD_STRING, false, 0, 500 },
	{ "venue_contact", FIELD_STRING, false, 0, 500 },
	{ "estimated_start", FIELD_STRING, false, 0, 0 },
	{ "estimated_end", FIELD_STRING, false, 0, 0 },
	{ "active", FIELD_BOOL, false, 0, 0 },
};

static int not_found(struct request *req)
{
	return resp_error(req, 404, "not_found", "No such job", NULL);
}

static int respond_text(struct request *req, int status, PGresult *r, int column)
{
	return resp_json_text(req, status, PQgetvalue(r, 0, column),
			      (size_t)PQgetlength(r, 0, column));
}

static void add_detail(struct json_object **details, const char *field, const char *reason)
{
	if (!*details)
		*details = json_object_new_object();
	json_object_object_add(*details, field, json_object_new_string(reason));
}

/*
 * Validates a job body and builds the JSON document the SQL reads: the
 * given fields only, strings trimmed, a blank optional text or date as null
 * (PATCH: null or "" clears it). Returns 0, or ES_EINVAL with the 400/422 set.
 */
static int job_doc(struct request *req, const struct field *fields, const char **doc)
{
	struct json_object *v[JOB_NFIELDS], *d, *details = NULL;
	const char *start, *end;
	size_t i;

	if (body_validate(req, fields, JOB_NFIELDS, v))
		return ES_EINVAL;
	d = json_object_new_object();
	for (i = 0; i < JOB_NFIELDS; i++) {
		const char *s = field_trimmed(req, v[i]);

		if (!field_given(req, fields[i].name))
			continue;
		if (fields[i].type != FIELD_STRING && !v[i])
			add_detail(&details, fields[i].name, "must not be null");
		else if (fields[i].type != FIELD_STRING)
			json_object_object_add(d, fields[i].name, json_object_get(v[i]));
		else if (i == F_NAME && (!s || !*s))
			add_detail(&details, fields[i].name, "must not be empty");
		else if ((i == F_START || i == F_END) && s && *s && !text_is_date(s))
			add_detail(&details, fields[i].name, "must be a date YYYY-MM-DD");
		else
			json_object_object_add(d, fields[i].name,
					       s && *s ? json_object_new_string(s) : NULL);
	}
	start = field_string(json_object_object_get(d, "estimated_start"));
	end = field_string(json_object_object_get(d, "estimated_end"));
	if (start && end && strcmp(end, start) < 0)
		add_detail(&details, "estimated_end", "must not be before estimated_start");
	if (details) {
		json_object_put(d);
		resp_error(req, 422, "validation_failed", "Some fields are not valid", details);
		return ES_EINVAL;
	}
	*doc = arena_strdup(&req->arena, json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
	json_object_put(d);
	return 0;
}

/* The caller's company as a SQL parameter: NULL reads every company. */
static const char *scope_param(struct request *req, long long scope)
{
	return scope ? param_text(req, scope) : NULL;
}

int jobs_list(struct request *req)
{
	long long scope, client_id;
	int active;
	struct page page;
	const char *scope_text, *client_text, *active_text, *q, *limit, *offset;
	PGresult *r = NULL;

	if (auth_company_scope(req, &scope) ||
	    param_query_id(req, "client_id", &client_id) ||
	    param_query_bool(req, "active", &active) ||
	    param_query_text(req, "q", SEARCH_MAX, &q) || param_page(req, &page))
		return 0;
	scope_text = scope_param(req, scope);
	client_text = client_id ? param_text(req, client_id) : NULL;
	active_text = active < 0 ? NULL : active ? "true" : "false";
	limit = param_text(req, page.limit);
	offset = param_text(req, page.offset);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_job_list, scope_text, client_text, active_text, q, limit,
			    offset);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return respond_text(req, 200, r, 0);
}

int jobs_create(struct request *req)
{
	const char *doc, *creator = param_text(req, req->user->id);
	PGresult *r = NULL;

	if (job_doc(req, job_create_fields, &doc))
		return 0;
	DB_TX(req, tx) {
		r = DB_EXEC(&tx, &stmt_job_create, doc, creator);
		if (!r || audit_record(&tx, "create", "job", atoll(PQgetvalue(r, 0, 0)), NULL,
				       PQgetvalue(r, 0, 1)))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return respond_text(req, 201, r, 1);
}

int jobs_get(struct request *req)
{
	long long id, scope;
	const char *id_text, *scope_text;
	PGresult *r = NULL;

	if (auth_company_scope(req, &scope) || param_id(req, "id", &id))
		return 0;
	id_text = param_text(req, id);
	scope_text = scope_param(req, scope);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_job_get, id_text, scope_text);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (!PQntuples(r))
		return not_found(req);
	return respond_text(req, 200, r, 0);
}

int jobs_update(struct request *req)
{
	enum { NOT_FOUND, KEEPS_CLIENT, UPDATED } outcome = NOT_FOUND;
	long long id;
	const char *id_text, *doc;
	PGresult *r = NULL;

	if (param_id(req, "id", &id) || job_doc(req, job_update_fields, &doc))
		return 0;
	if (!json_object_object_length(req->json)) {
		param_invalid(req, "body", "names no field to change");
		return 0;
	}
	id_text = param_text(req, id);
	DB_TX(req, tx) {
		PGresult *before = DB_EXEC(&tx, &stmt_job_lock, id_text);

		outcome = NOT_FOUND;
		if (!before)
			continue;
		if (!PQntuples(before))
			break;
		r = DB_EXEC(&tx, &stmt_job_update, id_text, doc);
		if (!r)
			continue;
		if (!PQntuples(r)) {
			outcome = KEEPS_CLIENT;
			break;
		}
		if (audit_record(&tx, "update", "job", id, PQgetvalue(before, 0, 0),
				 PQgetvalue(r, 0, 0)))
			continue;
		outcome = UPDATED;
	}
	if (req->db.err)
		return req->db.err;
	switch (outcome) {
	case NOT_FOUND:
		return not_found(req);
	case KEEPS_CLIENT: {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "rule",
				       json_object_new_string("job_history_stays_with_client"));
		return resp_error(req, 409, "job_has_shifts",
				  "This job has shifts; it cannot move to another client", d);
	}
	case UPDATED:
		break;
	}
	return respond_text(req, 200, r, 0);
}

static int respond_deactivated(struct request *req, const char *job)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_addf(&b, "{\"deactivated\":true,\"job\":%s}", job);
	resp_json_text(req, 200, b.buf, b.len);
	strbuf_release(&b);
	return 0;
}

int jobs_delete(struct request *req)
{
	enum { NOT_FOUND, DEACTIVATED, DELETED } outcome = NOT_FOUND;
	long long id;
	const char *id_text, *job = NULL;

	if (param_id(req, "id", &id))
		return 0;
	id_text = param_text(req, id);
	DB_TX(req, tx) {
		PGresult *before = DB_EXEC(&tx, &stmt_job_lock, id_text), *has_shifts, *r;

		outcome = NOT_FOUND;
		if (!before)
			continue;
		if (!PQntuples(before))
			break;
		has_shifts = DB_EXEC(&tx, &stmt_job_has_shifts, id_text);
		if (!has_shifts)
			continue;
		if (PQgetvalue(has_shifts, 0, 0)[0] == 't') {
			r = DB_EXEC(&tx, &stmt_job_deactivate, id_text);
			if (!r || audit_record(&tx, "deactivate", "job", id,
					       PQgetvalue(before, 0, 0), PQgetvalue(r, 0, 0)))
				continue;
			job = PQgetvalue(r, 0, 0);
			outcome = DEACTIVATED;
		} else {
			if (!DB_EXEC(&tx, &stmt_job_delete, id_text) ||
			    audit_record(&tx, "delete", "job", id, PQgetvalue(before, 0, 0), NULL))
				continue;
			outcome = DELETED;
		}
	}
	if (req->db.err)
		return req->db.err;
	switch (outcome) {
	case NOT_FOUND:
		return not_found(req);
	case DEACTIVATED:
		return respond_deactivated(req, job);
	case DELETED:
		break;
	}
	return resp_empty(req, 204);
}
