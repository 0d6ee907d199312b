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

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/job_json.h"
#include "handlers/patch.h"
#include "handlers/viewer.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define SEARCH_MAX 200

/*
 * The jobs the viewer ($1 kind, $2 id) may see: $3 client_id or NULL, $4
 * active or NULL, $5 text the name or venue name contains or NULL, $6
 * limit, $7 offset.
 */
static const struct stmt stmt_job_list[] = VIEWER_STMT("job_list",
	"WITH matched AS (SELECT * FROM es_visible_jobs($1, $2::bigint) j"
	"                  WHERE ($3::bigint IS NULL OR j.client_company_id = $3::bigint)"
	"                    AND ($4::boolean IS NULL OR j.active = $4::boolean)"
	"                    AND ($5::text IS NULL OR strpos(lower(j.name), lower($5::text)) > 0"
	"                         OR strpos(lower(j.venue_name), lower($5::text)) > 0)),"
	"     page AS (SELECT * FROM matched j ORDER BY lower(j.name), j.id"
	"               LIMIT $6::int OFFSET $7::int)"
	" SELECT json_build_object("
	"   'items', coalesce((SELECT json_agg(" JOB_JSON " ORDER BY lower(j.name), j.id)"
	"                        FROM page j), '[]'),"
	"   'total', (SELECT count(*) FROM matched))");

/* $1 the fields as JSON (job_fields), $2 the creator. */
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

/* Job $3 when the viewer ($1 kind, $2 id) may see it. */
static const struct stmt stmt_job_get[] = VIEWER_STMT("job_get",
	"SELECT " JOB_JSON " FROM es_visible_jobs($1, $2::bigint) j WHERE j.id = $3::bigint");

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

static const struct refusal r_no_job = REFUSAL(404, "not_found", "No such job"),
	r_job_has_shifts = { .status = 409, .code = "job_has_shifts",
			     .message = "This job has shifts; it cannot move to another client",
			     .rule = "job_history_stays_with_client" };

static const char *not_a_date(struct json_object *v)
{
	return text_is_date(field_string(v)) ? NULL : "must be a date YYYY-MM-DD";
}

/* The estimated dates in order (ISO dates compare as text). */
static void dates_in_order(struct json_object *doc, struct json_object **details)
{
	const char *start = field_string(json_object_object_get(doc, "estimated_start"));
	const char *end = field_string(json_object_object_get(doc, "estimated_end"));

	if (start && end && strcmp(end, start) < 0)
		details_add(details, "estimated_end", "must not be before estimated_start");
}

/* A job body: POST needs the client and a name, PATCH takes any subset; "" clears a text. */
static const struct patch_field job_fields[] = {
	{ { "client_company_id", FIELD_INT, true, 1, ID_MAX }, .not_null = "must not be null" },
	{ { "name", FIELD_STRING, true, 0, 200 }, .trim = true, .not_null = "must not be empty" },
	{ { "description", FIELD_STRING, false, 0, 4000 }, .trim = true },
	{ { "venue_name", FIELD_STRING, false, 0, 200 }, .trim = true },
	{ { "venue_address", FIELD_STRING, false, 0, 500 }, .trim = true },
	{ { "venue_contact", FIELD_STRING, false, 0, 500 }, .trim = true },
	{ { "estimated_start", FIELD_STRING, false, 0, 0 }, .trim = true, .check = not_a_date },
	{ { "estimated_end", FIELD_STRING, false, 0, 0 }, .trim = true, .check = not_a_date },
	{ { "active", FIELD_BOOL, false, 0, 0 }, .not_null = "must not be null" },
};
static const struct patch job_patch = {
	job_fields, sizeof(job_fields) / sizeof(job_fields[0]), dates_in_order,
};

static int respond_text(struct request *req, int status, PGresult *r, int column)
{
	return resp_json_text(req, status, PQgetvalue(r, 0, column),
			      (size_t)PQgetlength(r, 0, column));
}

int jobs_list(struct request *req)
{
	long long client_id;
	int active;
	struct page page;
	const char *viewer[2], *client_text, *active_text, *q, *limit, *offset;
	PGresult *r = NULL;

	if (auth_refuse_employees(req) ||
	    param_query_id(req, "client_id", &client_id) ||
	    param_query_bool(req, "active", &active) ||
	    param_query_text(req, "q", SEARCH_MAX, &q) || param_page(req, &page))
		return 0;
	viewer_params(req, viewer);
	client_text = client_id ? param_text(req, client_id) : NULL;
	active_text = active < 0 ? NULL : active ? "true" : "false";
	limit = param_text(req, page.limit);
	offset = param_text(req, page.offset);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_job_list), viewer[0], viewer[1], client_text,
			    active_text, q, limit, offset);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return respond_text(req, 200, r, 0);
}

int jobs_create(struct request *req)
{
	const char *doc;
	struct write_op w;

	if (patch_doc(req, &job_patch, PATCH_CREATE, &doc))
		return 0;
	write_init(&w, req, "job", 0);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_job_create, doc, param_text(req, req->user->id));

		if (!r)
			continue;
		write_id(&w, atoll(PQgetvalue(r, 0, 0)));
		if (write_audit(&w, &tx, "create", PQgetvalue(r, 0, 1)))
			continue;
	}
	return write_answer(&w, 201);
}

int jobs_get(struct request *req)
{
	long long id;
	const char *viewer[2], *id_text;
	PGresult *r = NULL;

	if (auth_refuse_employees(req) || param_id(req, "id", &id))
		return 0;
	viewer_params(req, viewer);
	id_text = param_text(req, id);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_job_get), viewer[0], viewer[1], id_text);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (!PQntuples(r))
		return refusal_send(req, &r_no_job);
	return respond_text(req, 200, r, 0);
}

int jobs_update(struct request *req)
{
	const char *doc;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || patch_doc(req, &job_patch, PATCH_UPDATE, &doc))
		return 0;
	if (!json_object_object_length(req->json))
		return param_invalid(req, "body", "names no field to change");
	write_init(&w, req, "job", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_job_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_job))
			break;
		r = DB_EXEC(&tx, &stmt_job_update, w.id_text, doc);
		if (!r)
			continue;
		if (write_refuse(&w, PQntuples(r) ? NULL : &r_job_has_shifts))
			break;
		if (write_audit(&w, &tx, "update", PQgetvalue(r, 0, 0)))
			continue;
	}
	return write_answer(&w, 200);
}

int jobs_delete(struct request *req)
{
	bool history = false;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	write_init(&w, req, "job", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_job_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_job))
			break;
		r = DB_EXEC(&tx, &stmt_job_has_shifts, w.id_text);
		if (!r)
			continue;
		history = PQgetvalue(r, 0, 0)[0] == 't';
		if (history)
			r = DB_EXEC(&tx, &stmt_job_deactivate, w.id_text);
		else
			r = DB_EXEC(&tx, &stmt_job_delete, w.id_text);
		if (!r || write_audit(&w, &tx, history ? "deactivate" : "delete",
				      history ? PQgetvalue(r, 0, 0) : NULL))
			continue;
	}
	if (write_done(&w) && history) {
		struct strbuf b = STRBUF_INIT;

		strbuf_addf(&b, "{\"deactivated\":true,\"job\":%s}", w.after);
		resp_json_text(req, 200, b.buf, b.len);
		strbuf_release(&b);
		return 0;
	}
	return write_answer(&w, 204);
}
