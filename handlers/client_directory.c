/*
 * Client companies (SPEC §3 People and clients): the directory managers
 * keep, each company's details (its users, jobs and recent work) and the
 * top clients over a date range. A client user reads only their own
 * company, employees none. Every write runs in one transaction scope with
 * its audit row, so a refused write leaves no trace.
 */
#include "handlers/client_directory.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
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

/* The API's company object, from a client_companies row named c. */
#define COMPANY_FIELDS                                                                     \
	"'id', c.id, 'name', c.name, 'contact_name', c.contact_name,"                       \
	" 'contact_email', c.contact_email, 'contact_phone', c.contact_phone,"              \
	" 'created_at', c.created_at, 'updated_at', c.updated_at"
#define COMPANY_JSON "json_build_object(" COMPANY_FIELDS ")"

/* The viewer ($1 kind, $2 id), $3 search text or NULL, $4 limit, $5 offset. */
static const struct stmt stmt_company_list[] = VIEWER_STMT("company_list",
	"WITH matched AS (SELECT * FROM es_visible_client_companies($1, $2::bigint) c"
	"                  WHERE $3::text IS NULL OR strpos(lower(c.name), lower($3::text)) > 0),"
	"     page AS (SELECT * FROM matched c ORDER BY lower(c.name), c.id"
	"               LIMIT $4::int OFFSET $5::int)"
	" SELECT json_build_object("
	"   'items', coalesce((SELECT json_agg(" COMPANY_JSON " ORDER BY lower(c.name), c.id)"
	"                        FROM page c), '[]'),"
	"   'total', (SELECT count(*) FROM matched))");

/* $1 the fields as JSON (company_fields). */
static const struct stmt stmt_company_create = STMT("company_create",
	"WITH c AS (INSERT INTO client_companies (name, contact_name, contact_email, contact_phone)"
	"           SELECT d.name, d.contact_name, d.contact_email, d.contact_phone"
	"             FROM jsonb_populate_record(NULL::client_companies, $1::jsonb) d"
	"           RETURNING *)"
	" SELECT c.id, " COMPANY_JSON " FROM c");

/*
 * The details page of company $3 in one statement, when the viewer ($1
 * kind, $2 id) may see the company. "Last 30 days" are the shifts that
 * started in the 30 days before now: their count, their scheduled hours
 * (ends_at - starts_at) and the approved worked hours of their time
 * entries (closed clock pairs of entries with approved_at set, as the
 * time_entry_totals view counts them).
 */
static const struct stmt stmt_company_details[] = VIEWER_STMT("company_details",
	"WITH recent AS (SELECT s.id, s.starts_at, s.ends_at"
	"                  FROM shifts s JOIN jobs j ON j.id = s.job_id"
	"                 WHERE j.client_company_id = $3::bigint"
	"                   AND s.starts_at >= now() - interval '30 days' AND s.starts_at < now())"
	" SELECT json_build_object(" COMPANY_FIELDS ","
	"   'users', coalesce((SELECT json_agg(json_build_object('id', u.id,"
	"                                        'username', u.username, 'name', u.name,"
	"                                        'email', u.email, 'active', u.active)"
	"                                      ORDER BY lower(u.name), u.id)"
	"                        FROM users u WHERE u.client_company_id = c.id), '[]'),"
	"   'jobs', (SELECT json_build_object('active', count(*) FILTER (WHERE j.active),"
	"                                     'total', count(*))"
	"              FROM jobs j WHERE j.client_company_id = c.id),"
	"   'last_30_days', json_build_object("
	"     'from', now() - interval '30 days', 'to', now(),"
	"     'shifts', (SELECT count(*) FROM recent),"
	"     'shift_hours',"
	"       (SELECT round(coalesce(extract(epoch FROM sum(r.ends_at - r.starts_at)), 0)"
	"                     ::numeric / 3600, 2)"
	"          FROM recent r),"
	"     'approved_hours',"
	"       (SELECT round(coalesce(extract(epoch FROM sum(p.clock_out - p.clock_in)), 0)"
	"                     ::numeric / 3600, 2)"
	"          FROM recent r"
	"          JOIN assignments a ON a.shift_id = r.id"
	"          JOIN time_entries te ON te.assignment_id = a.id AND te.approved_at IS NOT NULL"
	"          JOIN time_entry_pairs p"
	"            ON p.time_entry_id = te.id AND p.clock_out IS NOT NULL)))"
	"  FROM es_visible_client_companies($1, $2::bigint) c WHERE c.id = $3::bigint");

static const struct stmt stmt_company_lock = STMT("company_lock",
	"SELECT " COMPANY_JSON " FROM client_companies c WHERE c.id = $1::bigint FOR UPDATE");

/* jsonb_populate_record(c, $2): the row with the given fields replaced. */
static const struct stmt stmt_company_update = STMT("company_update",
	"UPDATE client_companies c"
	"   SET (name, contact_name, contact_email, contact_phone)"
	"       = (SELECT d.name, d.contact_name, d.contact_email, d.contact_phone"
	"            FROM jsonb_populate_record(c, $2::jsonb) d),"
	"       updated_at = now()"
	" WHERE c.id = $1::bigint"
	" RETURNING " COMPANY_JSON);

/*
 * The company's jobs, locked after the company: a shift being added under
 * one of them is waited for, and none can be added until the delete is done.
 */
static const struct stmt stmt_company_jobs_lock = STMT("company_jobs_lock",
	"SELECT id FROM jobs WHERE client_company_id = $1::bigint ORDER BY id FOR UPDATE");

/* Read after the locks, so in a snapshot that sees every committed change. */
static const struct stmt stmt_company_usage = STMT("company_usage",
	"SELECT (SELECT count(*) FROM users u WHERE u.client_company_id = $1::bigint),"
	"       (SELECT count(*) FROM shifts s JOIN jobs j ON j.id = s.job_id"
	"         WHERE j.client_company_id = $1::bigint)");

static const struct stmt stmt_company_delete = STMT("company_delete",
	"DELETE FROM client_companies WHERE id = $1::bigint");
static const struct stmt stmt_jobs_delete_of_client = STMT("jobs_delete_of_client",
	"DELETE FROM jobs j WHERE j.client_company_id = $1::bigint RETURNING j.id, " JOB_JSON);

/*
 * Dates are days in the workplace time zone (settings.time_zone). A job
 * counts for a client when it has a shift starting in the range; hours are
 * scheduled shift hours. Column 1 is false when from is after to (the
 * defaults depend on today, so the check is made here).
 */
#define TOP10(measure)                                                                       \
	"(SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'value', t."  \
	measure ") ORDER BY t." measure " DESC, lower(t.name), t.id), '[]')"                   \
	"   FROM (SELECT * FROM ranked ORDER BY " measure " DESC, lower(name), id LIMIT 10) t)"
static const struct stmt stmt_company_analytics = STMT("company_analytics",
	"WITH tz AS (SELECT coalesce((SELECT doc->>'time_zone' FROM settings WHERE id = 1), 'UTC')"
	"                   AS name),"
	"     span AS (SELECT coalesce($1::date, coalesce($2::date, today) - 29) AS from_d,"
	"                     coalesce($2::date, today) AS to_d"
	"                FROM (SELECT (now() AT TIME ZONE tz.name)::date AS today FROM tz) t),"
	"     per AS (SELECT j.client_company_id AS id, count(DISTINCT s.job_id) AS jobs,"
	"                    count(*) AS shifts,"
	"                    round(extract(epoch FROM sum(s.ends_at - s.starts_at))::numeric"
	"                          / 3600, 2) AS hours"
	"               FROM span, tz, shifts s JOIN jobs j ON j.id = s.job_id"
	"              WHERE s.starts_at >= span.from_d::timestamp AT TIME ZONE tz.name"
	"                AND s.starts_at < (span.to_d + 1)::timestamp AT TIME ZONE tz.name"
	"              GROUP BY j.client_company_id),"
	"     ranked AS (SELECT c.id, c.name, per.jobs, per.shifts, per.hours"
	"                  FROM per JOIN client_companies c ON c.id = per.id)"
	" SELECT span.from_d <= span.to_d,"
	"        json_build_object('from', span.from_d, 'to', span.to_d,"
	"                          'by_jobs', " TOP10("jobs") ","
	"                          'by_shifts', " TOP10("shifts") ","
	"                          'by_hours', " TOP10("hours") ")"
	"   FROM span");

static const struct refusal r_no_client = REFUSAL(404, "not_found", "No such client"),
	r_has_history = { .status = 409, .code = "client_has_jobs",
			  .message = "This client's jobs have shifts; deactivate the jobs instead",
			  .rule = "client_history_kept" },
	r_has_users = { .status = 409, .code = "client_has_users",
			.message = "Client user accounts belong to this company; "
				   "remove or move them first",
			.rule = "client_users_kept" };

static const char *not_an_email(struct json_object *v)
{
	return text_is_email(field_string(v)) ? NULL : "not an email address";
}

/* A company body: POST needs a name, PATCH takes any subset; "" clears a contact field. */
static const struct patch_field company_fields[] = {
	{ { "name", FIELD_STRING, true, 0, 200 }, .trim = true, .not_null = "must not be empty" },
	{ { "contact_name", FIELD_STRING, false, 0, 200 }, .trim = true },
	{ { "contact_email", FIELD_STRING, false, 0, 254 }, .trim = true, .check = not_an_email },
	{ { "contact_phone", FIELD_STRING, false, 0, 50 }, .trim = true },
};
static const struct patch company_patch = {
	company_fields, sizeof(company_fields) / sizeof(company_fields[0]), NULL,
};

static int respond_text(struct request *req, int status, PGresult *r, int column)
{
	return resp_json_text(req, status, PQgetvalue(r, 0, column),
			      (size_t)PQgetlength(r, 0, column));
}

int client_directory_list(struct request *req)
{
	struct page page;
	const char *viewer[2], *q, *limit, *offset;
	PGresult *r = NULL;

	if (param_query_text(req, "q", SEARCH_MAX, &q) || param_page(req, &page))
		return 0;
	viewer_params(req, viewer);
	limit = param_text(req, page.limit);
	offset = param_text(req, page.offset);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_company_list), viewer[0], viewer[1], q,
			    limit, offset);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return respond_text(req, 200, r, 0);
}

int client_directory_create(struct request *req)
{
	const char *doc;
	struct write_op w;

	if (patch_doc(req, &company_patch, PATCH_CREATE, &doc))
		return 0;
	write_init(&w, req, "client_company", 0);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_company_create, doc);

		if (!r)
			continue;
		write_id(&w, atoll(PQgetvalue(r, 0, 0)));
		if (write_audit(&w, &tx, "create", PQgetvalue(r, 0, 1)))
			continue;
	}
	return write_answer(&w, 201);
}

int client_directory_get(struct request *req)
{
	long long id;
	const char *viewer[2], *id_text;
	PGresult *r = NULL;

	if (auth_refuse_employees(req) || param_id(req, "id", &id))
		return 0;
	viewer_params(req, viewer);
	id_text = param_text(req, id);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_company_details), viewer[0], viewer[1],
			    id_text);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (!PQntuples(r))
		return refusal_send(req, &r_no_client);
	return respond_text(req, 200, r, 0);
}

int client_directory_update(struct request *req)
{
	const char *doc;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || patch_doc(req, &company_patch, PATCH_UPDATE, &doc))
		return 0;
	if (!json_object_object_length(req->json))
		return param_invalid(req, "body", "names no field to change");
	write_init(&w, req, "client_company", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_company_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_client))
			break;
		r = DB_EXEC(&tx, &stmt_company_update, w.id_text, doc);
		if (!r || write_audit(&w, &tx, "update", PQgetvalue(r, 0, 0)))
			continue;
	}
	return write_answer(&w, 200);
}

/*
 * What keeps a company from being deleted: its history first (it cannot
 * be undone), then its users (they can be moved or removed); NULL when
 * nothing does. The refusal counts the rows in the way.
 */
static const struct refusal *delete_refusal(struct request *req, long long shifts,
					    long long users)
{
	if (shifts)
		return refusal_add(refusal_new(req, &r_has_history, NULL), "shifts",
				   json_object_new_int64(shifts));
	if (users)
		return refusal_add(refusal_new(req, &r_has_users, NULL), "users",
				   json_object_new_int64(users));
	return NULL;
}

/*
 * Deletes every job of the client inside the caller's transaction, each with
 * its audit row. Returns 0 or ES_EDB (shifts_job_id_fkey when one of them
 * has shifts).
 */
static int delete_jobs_of_client(struct db_tx *tx, long long client_id)
{
	PGresult *r = DB_EXEC(tx, &stmt_jobs_delete_of_client,
			      param_text(req_from_tx(tx), client_id));
	int i;

	if (!r)
		return ES_EDB;
	for (i = 0; i < PQntuples(r); i++)
		if (audit_record(tx, "delete", "job", atoll(PQgetvalue(r, i, 0)),
				 PQgetvalue(r, i, 1), NULL))
			return ES_EDB;
	return 0;
}

int client_directory_delete(struct request *req)
{
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	write_init(&w, req, "client_company", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_company_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_client))
			break;
		if (!DB_EXEC(&tx, &stmt_company_jobs_lock, w.id_text))
			continue;
		r = DB_EXEC(&tx, &stmt_company_usage, w.id_text);
		if (!r)
			continue;
		if (write_refuse(&w, delete_refusal(req, atoll(PQgetvalue(r, 0, 1)),
						   atoll(PQgetvalue(r, 0, 0)))))
			break;
		if (delete_jobs_of_client(&tx, id) ||
		    !DB_EXEC(&tx, &stmt_company_delete, w.id_text) ||
		    write_audit(&w, &tx, "delete", NULL))
			continue;
	}
	return write_answer(&w, 204);
}

int client_directory_analytics(struct request *req)
{
	const char *from, *to;
	PGresult *r = NULL;

	if (param_query_date(req, "from", &from) || param_query_date(req, "to", &to))
		return 0;
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_company_analytics, from, to);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (PQgetvalue(r, 0, 0)[0] != 't')
		return param_invalid(req, "from", "must not be after to");
	return respond_text(req, 200, r, 1);
}
