/*
 * Shifts and assignments (SPEC §3 "Shifts and schedule"). A shift is made
 * by times or by a day and a shift part in the workplace time zone; a
 * person is assigned only while every rule holds (sql/functions/10_schedule_rules.sql:
 * eligible worker, certification, no overlap, rest period, role fill), the last two
 * overridable by a manager's force. Racing assignments are serialised by
 * row locks: the shift first, then the person.
 */
#include "handlers/shift_management.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/patch.h"
#include "handlers/viewer.h"
#include "handlers/vocabulary.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define MAX_BULK 1000
#define MAX_SHIFT_HOURS "24"

/*
 * A page of the shifts the viewer ($1 kind, $2 id) may see, filtered, and
 * how many match in all. The documents are es_shift_docs: one pass over the
 * page. Shifts last at most a day, which lets the planner range-scan
 * starts_at for `from`.
 */
static const struct stmt stmt_shifts_list[] = VIEWER_STMT("shifts_list",
	"WITH v AS (SELECT s.id, s.starts_at FROM es_visible_shifts($1, $2::bigint) s"
	"            WHERE ($3::timestamptz IS NULL OR s.ends_at > $3::timestamptz)"
	"              AND ($3::timestamptz IS NULL OR s.starts_at > $3::timestamptz"
	"                                              - interval '" MAX_SHIFT_HOURS " hours')"
	"              AND ($4::timestamptz IS NULL OR s.starts_at < $4::timestamptz)"
	"              AND ($5::bigint IS NULL OR s.job_id = $5::bigint)"
	"              AND ($6::bigint IS NULL OR s.job_id IN (SELECT j.id FROM jobs j"
	"                                      WHERE j.client_company_id = $6::bigint))"
	"              AND ($7::bigint IS NULL OR s.id IN (SELECT a.shift_id FROM assignments a"
	"                                      WHERE a.user_id = $7::bigint)))"
	" SELECT json_build_object("
	"   'items', coalesce(es_shift_docs($1, $2::bigint,"
	"                                   ARRAY(SELECT id FROM v ORDER BY starts_at, id"
	"                                          LIMIT $8::int OFFSET $9::int)), '[]'::json),"
	"   'total', (SELECT count(*) FROM v))");
/* One shift the viewer may see; no row when they may not. */
static const struct stmt stmt_shift_get[] = VIEWER_STMT("shifts_get",
	"SELECT es_shift_docs($1, $2::bigint, ARRAY[s.id]) -> 0"
	"  FROM es_visible_shifts($1, $2::bigint) s WHERE s.id = $3::bigint");

/* Bulk entries normalised: times given, or a day and a part in the workplace zone. */
#define BULK_ENTRIES                                                                             \
	"WITH e AS (SELECT i - 1 AS idx, x FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY t(x, i)),"\
	" n AS (SELECT idx, (x ->> 'job_id')::bigint AS job_id,"                                 \
	"              coalesce((x ->> 'starts_at')::timestamptz,"                               \
	"                       (es_part_range((x ->> 'date')::date, x ->> 'part')).starts_at) AS starts_at," \
	"              coalesce((x ->> 'ends_at')::timestamptz,"                                 \
	"                       (es_part_range((x ->> 'date')::date, x ->> 'part')).ends_at) AS ends_at," \
	"              coalesce(x -> 'required', '{}') AS required,"                             \
	"              x ->> 'client_po_number' AS po, x ->> 'description' AS description,"      \
	"              x ->> 'special_instructions' AS instructions FROM e) "

/* The first entry the database would refuse, and why. */
static const struct stmt stmt_bulk_check = STMT("shifts_bulk_check",
	BULK_ENTRIES
	"SELECT n.idx, CASE WHEN j.id IS NULL THEN 'job_id'"
	"                   WHEN NOT j.active THEN 'job_id'"
	"                   WHEN n.starts_at IS NULL THEN 'part'"
	"                   ELSE 'ends_at' END,"
	"       CASE WHEN j.id IS NULL THEN 'unknown job'"
	"            WHEN NOT j.active THEN 'the job is inactive'"
	"            WHEN n.starts_at IS NULL THEN 'the shift part has no times in the settings'"
	"            WHEN n.ends_at <= n.starts_at THEN 'must be after starts_at'"
	"            ELSE 'a shift lasts at most " MAX_SHIFT_HOURS " hours' END"
	"  FROM n LEFT JOIN jobs j ON j.id = n.job_id"
	" WHERE j.id IS NULL OR NOT j.active OR n.starts_at IS NULL OR n.ends_at <= n.starts_at"
	"    OR n.ends_at - n.starts_at > interval '" MAX_SHIFT_HOURS " hours'"
	" ORDER BY n.idx LIMIT 1");
static const struct stmt stmt_bulk_insert = STMT("shifts_bulk_insert",
	BULK_ENTRIES
	", ins AS (INSERT INTO shifts (job_id, starts_at, ends_at, required, client_po_number,"
	"                             description, special_instructions, created_by)"
	"          SELECT job_id, starts_at, ends_at, required, po, description, instructions, $2::bigint"
	"            FROM n ORDER BY idx RETURNING id)"
	" SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM ins");
/* A separate statement: the insert's own statement cannot see its new rows. */
static const struct stmt stmt_bulk_docs = STMT("shifts_bulk_docs",
	"SELECT coalesce(es_shift_docs('manager', NULL,"
	"           ARRAY(SELECT id FROM unnest(string_to_array($1, ',')::bigint[]) id ORDER BY id)),"
	"       '[]')");
static const struct stmt stmt_bulk_audit = STMT("shifts_bulk_audit",
	"SELECT es_audit($1::bigint, 'create', 'shift', s.id, NULL, es_shift_doc(s.id)::jsonb, $2)"
	"  FROM shifts s WHERE s.id = ANY (string_to_array($3, ',')::bigint[])");
static const struct stmt stmt_shift_lock = STMT("shifts_lock",
	"SELECT es_shift_doc(id) FROM shifts WHERE id = $1::bigint FOR UPDATE");
/* $2: the fields the body changes (shift_update_fields); false: the shift became too long. */
static const struct stmt stmt_shift_update = STMT("shifts_update",
	"UPDATE shifts s"
	"   SET (starts_at, ends_at, required, client_po_number, description, special_instructions)"
	"       = (SELECT d.starts_at, d.ends_at, d.required, d.client_po_number, d.description,"
	"                 d.special_instructions"
	"            FROM jsonb_populate_record(s, $2::jsonb) d),"
	"       updated_at = now()"
	" WHERE s.id = $1::bigint"
	" RETURNING ends_at > starts_at AND ends_at - starts_at <= interval '" MAX_SHIFT_HOURS " hours'");
/* After a move: every assignment of the shift with the rules it now breaks. */
static const struct stmt stmt_shift_conflicts = STMT("shifts_conflicts",
	"SELECT coalesce(json_agg(json_build_object('user_id', a.user_id, 'role', a.role,"
	"                                           'rules', p.rules)), '[]')"
	"  FROM assignments a,"
	"       LATERAL (SELECT json_agg(json_build_object('rule', rule, 'soft', soft, 'detail', detail))"
	"                    AS rules"
	"                  FROM es_assignment_problems(a.shift_id, a.user_id, a.role, true)) p"
	" WHERE a.shift_id = $1::bigint AND p.rules IS NOT NULL");
static const struct stmt stmt_shift_doc = STMT("shifts_doc",
	"SELECT es_shift_doc($1::bigint)");
static const struct stmt stmt_shift_time_recorded = STMT("shifts_time_recorded",
	"SELECT EXISTS (SELECT 1 FROM time_entries t JOIN assignments a ON a.id = t.assignment_id"
	"                WHERE a.shift_id = $1::bigint)");
static const struct stmt stmt_shift_delete = STMT("shifts_delete",
	"DELETE FROM shifts WHERE id = $1::bigint");
/*
 * The caller's standing on a shift: does it exist, do they lead its crew on
 * a shift they see (a crew chief's powers start when the week is out).
 */
static const struct stmt stmt_shift_standing = STMT("shifts_standing",
	"SELECT s.id IN (SELECT l FROM es_led_shifts($2::bigint) l)"
	"       AND s.id IN (SELECT v.id FROM es_visible_shifts('employee', $2::bigint) v)"
	"  FROM shifts s WHERE s.id = $1::bigint FOR UPDATE");
static const struct stmt stmt_user_lock = STMT("shifts_user_lock",
	"SELECT name FROM users WHERE id = $1::bigint FOR NO KEY UPDATE");
static const struct stmt stmt_problems = STMT("shifts_problems",
	"SELECT coalesce(json_agg(json_build_object('rule', rule, 'soft', soft, 'detail', detail)"
	"                         ORDER BY soft, rule), '[]'),"
	"       count(*) FILTER (WHERE NOT soft), count(*) FILTER (WHERE soft),"
	"       (array_agg(rule ORDER BY soft, rule))[1]"
	"  FROM es_assignment_problems($1::bigint, $2::bigint, $3)");
static const struct stmt stmt_assign = STMT("shifts_assign",
	"INSERT INTO assignments (shift_id, user_id, role, created_by)"
	" VALUES ($1::bigint, $2::bigint, $3, $4::bigint)"
	" RETURNING json_build_object('id', id, 'shift_id', shift_id, 'user_id', user_id, 'role', role,"
	"                             'name', (SELECT name FROM users WHERE id = $2::bigint))");
static const struct stmt stmt_unassign = STMT("shifts_unassign",
	"DELETE FROM assignments a WHERE shift_id = $1::bigint AND user_id = $2::bigint AND role = $3"
	"   AND NOT EXISTS (SELECT 1 FROM time_entries t WHERE t.assignment_id = a.id)"
	" RETURNING json_build_object('shift_id', shift_id, 'user_id', user_id, 'role', role)");
static const struct stmt stmt_assignment_exists = STMT("shifts_assignment_exists",
	"SELECT count(*) FROM assignments WHERE shift_id = $1::bigint AND user_id = $2::bigint"
	"   AND role = $3");

static const struct refusal
	r_no_shift = REFUSAL(404, "not_found", "No such shift"),
	r_no_assignment = REFUSAL(404, "not_found", "No such assignment"),
	r_shift_invalid = REFUSAL(422, "validation_failed", "The shift is not valid"),
	r_bulk_invalid = REFUSAL(422, "validation_failed", "A shift is not valid (see details.index)"),
	r_too_long = INVALID("ends_at",
			     "must be after starts_at, at most " MAX_SHIFT_HOURS " hours later"),
	r_time_moves = CONFLICT("time_recorded",
			       "Time was recorded on this shift; its times cannot move"),
	r_time_stays = CONFLICT("time_recorded",
			       "Time was recorded on this shift; it cannot be deleted"),
	r_not_crew_lead = REFUSAL(403, "forbidden",
				  "Only managers and this shift's crew chief assign here"),
	r_force_not_allowed = REFUSAL(403, "force_not_allowed", "Only managers may force an assignment"),
	r_names_crew_chief = REFUSAL(403, "forbidden", "Only managers name crew chiefs"),
	r_removes_crew_chief = REFUSAL(403, "forbidden", "Only managers remove crew chiefs"),
	r_unknown_user = INVALID("user_id", "unknown user"),
	r_already_assigned = { .status = 409, .code = "already_assigned",
			       .message = "The assignment breaks a rule (see details.rule)",
			       .rule = "already_assigned" },
	r_assignment_timed = { .status = 409, .code = "time_recorded",
			       .message = "The assignment breaks a rule (see details.rule)",
			       .rule = "time_recorded" },
	r_rule_broken = REFUSAL(409, "rule_broken", "The assignment breaks a rule (see details.rule)");

static bool is_manager(const struct request *req)
{
	return req->user->role == ROLE_MANAGER || req->user->role == ROLE_ADMIN;
}

/* {"stagehand": 5, ...}: worker roles only, integer counts 0..500. */
static const char *requirements_problem(struct json_object *req)
{
	json_object_object_foreach(req, role, count) {
		if (!text_one_of(role, vocabulary_worker_roles))
			return "keys must be worker roles";
		if (!json_object_is_type(count, json_type_int) || json_object_get_int64(count) < 0 ||
		    json_object_get_int64(count) > 500)
			return "counts must be integers from 0 to 500";
	}
	return NULL;
}

static const char *not_an_instant(struct json_object *v)
{
	return text_is_rfc3339(field_string(v)) ? NULL : "an RFC 3339 time with offset";
}

/* A PATCH body: null keeps a time or the requirements, and clears a text. */
static const struct patch_field shift_update_fields[] = {
	{ { "starts_at", FIELD_STRING, false, 0, 40 }, .null_keeps = true, .check = not_an_instant },
	{ { "ends_at", FIELD_STRING, false, 0, 40 }, .null_keeps = true, .check = not_an_instant },
	{ { "required", FIELD_OBJECT, false, 0, 0 }, .null_keeps = true,
	  .check = requirements_problem },
	{ .field = { "client_po_number", FIELD_STRING, false, 0, 100 } },
	{ .field = { "description", FIELD_STRING, false, 0, 4000 } },
	{ .field = { "special_instructions", FIELD_STRING, false, 0, 4000 } },
};
static const struct patch shift_patch = {
	shift_update_fields, sizeof(shift_update_fields) / sizeof(shift_update_fields[0]), NULL,
};

static const struct field shift_fields[] = {
	{ "job_id", FIELD_INT, true, 1, 9007199254740991L },
	{ "starts_at", FIELD_STRING, false, 0, 40 },
	{ "ends_at", FIELD_STRING, false, 0, 40 },
	{ "date", FIELD_STRING, false, 0, 10 },
	{ "part", FIELD_STRING, false, 0, 16 },
	{ "required", FIELD_OBJECT, false, 0, 0 },
	{ "client_po_number", FIELD_STRING, false, 0, 100 },
	{ "description", FIELD_STRING, false, 0, 4000 },
	{ "special_instructions", FIELD_STRING, false, 0, 4000 },
};
#define NSHIFT_FIELDS (sizeof(shift_fields) / sizeof(shift_fields[0]))
enum { F_JOB, F_STARTS, F_ENDS, F_DATE, F_PART, F_REQUIRED, F_PO, F_DESC, F_INSTR };

/*
 * Checks one shift object; returns 0, or ES_EINVAL with code and field for a
 * 400 or details for a 422.
 */
static int shift_check(struct json_object *obj, const char **code, const char **field,
		       struct json_object **details)
{
	struct json_object *v[NSHIFT_FIELDS];
	const char *rp;

	if (!json_object_is_type(obj, json_type_object)) {
		*code = "wrong_type";
		*field = "shifts";
		*details = NULL;
		return ES_EINVAL;
	}
	if (object_validate(obj, shift_fields, NSHIFT_FIELDS, v, code, field, details) && *code)
		return ES_EINVAL;
	if (v[F_STARTS] || v[F_ENDS]) {
		if (v[F_DATE] || v[F_PART])
			details_add(details, "date", "give starts_at and ends_at, or date and part");
		if (!v[F_STARTS] || !text_is_rfc3339(field_string(v[F_STARTS])))
			details_add(details, "starts_at", "an RFC 3339 time with offset");
		if (!v[F_ENDS] || !text_is_rfc3339(field_string(v[F_ENDS])))
			details_add(details, "ends_at", "an RFC 3339 time with offset");
	} else {
		if (!v[F_DATE] || !text_is_date(field_string(v[F_DATE])))
			details_add(details, "date", "a date YYYY-MM-DD (or give starts_at and ends_at)");
		if (!v[F_PART] || !text_one_of(field_string(v[F_PART]), vocabulary_shift_parts))
			details_add(details, "part", "morning, noon or evening");
	}
	if (v[F_REQUIRED] && (rp = requirements_problem(v[F_REQUIRED])))
		details_add(details, "required", rp);
	return *details ? ES_EINVAL : 0;
}

/*
 * A shift of a POST (index -1) or of a bulk body (index >= 0) refused: a
 * 400 for its shape (code: unknown_field, wrong_type), else a 422 for its
 * values (details consumed). Returns 0.
 */
static int shift_invalid(struct request *req, int index, const char *code, const char *field,
			 struct json_object *details)
{
	struct refusal r = index >= 0 ? r_bulk_invalid : r_shift_invalid;

	if (code)
		r = (struct refusal){ .status = 400, .code = code, .field = field,
				      .message = "A shift has an unknown field or a wrong type" };
	if (!details)
		details = json_object_new_object();
	if (index >= 0)
		json_object_object_add(details, "index", json_object_new_int(index));
	return refusal_send_with(req, &r, details);
}

/* The first entry the database would refuse (a row of stmt_bulk_check), as a refusal. */
static const struct refusal *bulk_refusal(struct request *req, PGresult *r, bool single)
{
	struct refusal *no = refusal_new(req, single ? &r_shift_invalid : &r_bulk_invalid, NULL);

	no->field = arena_strdup(&req->arena, PQgetvalue(r, 0, 1));
	no->reason = arena_strdup(&req->arena, PQgetvalue(r, 0, 2));
	if (!single)
		refusal_add(no, "index", json_object_new_int(atoi(PQgetvalue(r, 0, 0))));
	return no;
}

/*
 * Creates every shift of array (already checked in C) in one scope, each
 * with its audit row; w's row after is the array of the new shifts.
 */
static void create_shifts(struct request *req, struct json_object *array, bool single,
			  struct write_op *w)
{
	const char *text = json_object_to_json_string_ext(array, JSON_C_TO_STRING_PLAIN);
	const char *uid = param_text(req, req->user->id);

	write_init(w, req, "shift", 0);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_bulk_check, text);
		const char *ids;

		if (!r)
			continue;
		if (write_refuse(w, PQntuples(r) ? bulk_refusal(req, r, single) : NULL))
			break;
		r = DB_EXEC(&tx, &stmt_bulk_insert, text, uid);
		if (!r)
			continue;
		ids = PQgetvalue(r, 0, 0);
		if (!DB_EXEC(&tx, &stmt_bulk_audit, uid, req->request_id, ids))
			continue;
		r = DB_EXEC(&tx, &stmt_bulk_docs, ids);
		if (!r)
			continue;
		w->after = PQgetvalue(r, 0, 0);
	}
}

int shifts_create(struct request *req)
{
	static const struct refusal not_object =
		REFUSAL(400, "body_not_object", "The body must be a JSON object");
	struct json_object *details = NULL, *array, *root, *first;
	const char *code = NULL, *field = NULL;
	struct write_op w;
	int rc;

	if (!req->json || !json_object_is_type(req->json, json_type_object))
		return refusal_send(req, &not_object);
	if (shift_check(req->json, &code, &field, &details))
		return shift_invalid(req, -1, code, field, details);
	array = json_object_new_array();
	json_object_array_add(array, json_object_get(req->json));
	create_shifts(req, array, true, &w);
	json_object_put(array);
	if (!write_done(&w))
		return write_answer(&w, 201);
	/* the one element of the array */
	root = json_tokener_parse(w.after);
	first = root ? json_object_array_get_idx(root, 0) : NULL;
	rc = first ? resp_json(req, 201, first) : ES_EDB;
	json_object_put(root);
	return rc;
}

int shifts_create_bulk(struct request *req)
{
	static const struct field fields[] = { { "shifts", FIELD_ARRAY, true, 0, 0 } };
	struct json_object *v[1];
	struct strbuf *b = &req->resp.body;
	struct write_op w;
	size_t i, n;

	if (body_validate(req, fields, 1, v))
		return 0;
	n = json_object_array_length(v[0]);
	if (n == 0 || n > MAX_BULK)
		return param_invalid(req, "shifts", "from 1 to 1000 shifts");
	for (i = 0; i < n; i++) {
		const char *code = NULL, *field = NULL;
		struct json_object *details = NULL;

		if (shift_check(json_object_array_get_idx(v[0], i), &code, &field, &details))
			return shift_invalid(req, (int)i, code, field, details);
	}
	create_shifts(req, v[0], false, &w);
	if (!write_done(&w))
		return write_answer(&w, 201);
	req->resp.status = 201;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addf(b, "{\"count\":%zu,\"items\":%s}", n, w.after);
	return 0;
}

static const char *opt_id_text(struct request *req, long long id)
{
	return id ? param_text(req, id) : NULL;
}

/* from/to as RFC 3339 times. 0, or a reader's code once a 422 naming the parameter is answered. */
static int time_range(struct request *req, const char **from, const char **to)
{
	int rc = param_query_time(req, "from", from);

	return rc ? rc : param_query_time(req, "to", to);
}

static int list_shifts(struct request *req, long long only_user)
{
	const char *from, *to, *p[9];
	long long job_id, client_id, user_id;
	struct page page;
	PGresult *r = NULL;

	if (time_range(req, &from, &to) || param_query_id(req, "job_id", &job_id) ||
	    param_query_id(req, "client_id", &client_id) || param_query_id(req, "user_id", &user_id) ||
	    param_page(req, &page))
		return 0;
	viewer_params(req, p);
	p[2] = from;
	p[3] = to;
	p[4] = opt_id_text(req, job_id);
	p[5] = opt_id_text(req, client_id);
	p[6] = opt_id_text(req, only_user ? only_user : user_id);
	p[7] = param_text(req, page.limit);
	p[8] = param_text(req, page.offset);
	DB_READ_ONE(req, tx) {
		r = db_exec(&tx, viewer_stmt(req, stmt_shifts_list), 9, p);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int shifts_list(struct request *req)
{
	return list_shifts(req, 0);
}

int shifts_mine(struct request *req)
{
	return list_shifts(req, req->user->id);
}

int shifts_get(struct request *req)
{
	const char *p[3];
	long long id;
	PGresult *r = NULL;

	if (param_id(req, "id", &id))
		return 0;
	viewer_params(req, p);
	p[2] = param_text(req, id);
	DB_READ_ONE(req, tx) {
		r = db_exec(&tx, viewer_stmt(req, stmt_shift_get), 3, p);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (PQntuples(r) != 1)
		return refusal_send(req, &r_no_shift);
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int shifts_update(struct request *req)
{
	const char *doc, *conflicts = NULL;
	struct strbuf *b = &req->resp.body;
	struct write_op w;
	bool moves;
	long long id;

	if (param_id(req, "id", &id) || patch_doc(req, &shift_patch, PATCH_UPDATE, &doc))
		return 0;
	moves = patch_value(req, "starts_at") || patch_value(req, "ends_at");
	write_init(&w, req, "shift", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_shift_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_shift))
			break;
		if (moves) {
			/* recorded time belongs to the shift as it was worked: it does not move */
			r = DB_EXEC(&tx, &stmt_shift_time_recorded, w.id_text);
			if (!r)
				continue;
			if (write_refuse(&w, PQgetvalue(r, 0, 0)[0] == 't' ? &r_time_moves : NULL))
				break;
		}
		r = DB_EXEC(&tx, &stmt_shift_update, w.id_text, doc);
		if (!r)
			continue;
		if (write_refuse(&w, PQgetvalue(r, 0, 0)[0] == 't' ? NULL : &r_too_long))
			break;
		r = DB_EXEC(&tx, &stmt_shift_conflicts, w.id_text);
		if (!r)
			continue;
		conflicts = PQgetvalue(r, 0, 0);
		r = DB_EXEC(&tx, &stmt_shift_doc, w.id_text);
		if (!r || write_audit(&w, &tx, "update", PQgetvalue(r, 0, 0)))
			continue;
	}
	if (!write_done(&w))
		return write_answer(&w, 200);
	req->resp.status = 200;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addf(b, "{\"shift\":%s,\"conflicts\":%s}", w.after, conflicts);
	return 0;
}

int shifts_delete(struct request *req)
{
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	write_init(&w, req, "shift", id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_shift_lock, w.id_text);

		if (!r)
			continue;
		if (write_lock(&w, r, &r_no_shift))
			break;
		r = DB_EXEC(&tx, &stmt_shift_time_recorded, w.id_text);
		if (!r)
			continue;
		if (write_refuse(&w, PQgetvalue(r, 0, 0)[0] == 't' ? &r_time_stays : NULL))
			break;
		if (!DB_EXEC(&tx, &stmt_shift_delete, w.id_text) || write_audit(&w, &tx, "delete", NULL))
			continue;
	}
	return write_answer(&w, 204);
}

/*
 * May the caller change the crew of a shift: the standing read under the
 * shift's lock (no row: no such shift), a manager, or its crew chief in a
 * published week. Returns the refusal, or NULL.
 */
static const struct refusal *crew_refusal(const struct request *req, PGresult *standing,
					  const struct refusal *missing)
{
	if (PQntuples(standing) != 1)
		return missing;
	if (!is_manager(req) && PQgetvalue(standing, 0, 0)[0] != 't')
		return &r_not_crew_lead;
	return NULL;
}

/* The rules an assignment breaks (a row of stmt_problems) as a refusal naming the first. */
static const struct refusal *rules_refusal(struct request *req, PGresult *problems)
{
	struct refusal *r = refusal_new(req, &r_rule_broken, NULL);

	r->rule = arena_strdup(&req->arena, PQgetvalue(problems, 0, 3));
	refusal_add(r, "rules", json_tokener_parse(PQgetvalue(problems, 0, 0)));
	return r;
}

int shifts_assign(struct request *req)
{
	static const struct field fields[] = {
		{ "user_id", FIELD_INT, true, 1, 9007199254740991L },
		{ "role", FIELD_STRING, true, 1, 32 },
		{ "force", FIELD_BOOL, false, 0, 0 },
	};
	struct json_object *v[3];
	const char *role, *uid;
	bool force, forced = false;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || body_validate(req, fields, 3, v))
		return 0;
	role = field_string(v[1]);
	if (!text_one_of(role, vocabulary_worker_roles))
		return param_invalid(req, "role", "a worker role");
	force = v[2] && json_object_get_boolean(v[2]);
	if (force && !is_manager(req))
		return refusal_send(req, &r_force_not_allowed);
	if (!is_manager(req) && !strcmp(role, "crew_chief"))
		return refusal_send(req, &r_names_crew_chief);
	uid = param_text(req, json_object_get_int64(v[0]));
	write_init(&w, req, "shift", id);
	DB_TX(req, tx) {
		PGresult *r;
		long hard, soft;

		/* the shift first, then the person: every assignment locks in this order */
		r = DB_EXEC(&tx, &stmt_shift_standing, w.id_text, param_text(req, req->user->id));
		if (!r)
			continue;
		if (write_refuse(&w, crew_refusal(req, r, &r_no_shift)))
			break;
		r = DB_EXEC(&tx, &stmt_user_lock, uid);
		if (!r)
			continue;
		if (write_refuse(&w, PQntuples(r) == 1 ? NULL : &r_unknown_user))
			break;
		r = DB_EXEC(&tx, &stmt_assignment_exists, w.id_text, uid, role);
		if (!r)
			continue;
		if (write_refuse(&w, atol(PQgetvalue(r, 0, 0)) ? &r_already_assigned : NULL))
			break;
		r = DB_EXEC(&tx, &stmt_problems, w.id_text, uid, role);
		if (!r)
			continue;
		hard = atol(PQgetvalue(r, 0, 1));
		soft = atol(PQgetvalue(r, 0, 2));
		if (write_refuse(&w, hard || (soft && !force) ? rules_refusal(req, r) : NULL))
			break;
		forced = soft != 0;
		r = DB_EXEC(&tx, &stmt_assign, w.id_text, uid, role, param_text(req, req->user->id));
		if (!r || write_audit(&w, &tx, forced ? "assign_forced" : "assign", PQgetvalue(r, 0, 0)))
			continue;
	}
	return write_answer(&w, 201);
}

int shifts_unassign(struct request *req)
{
	const char *role = req_capture(req, "role"), *user;
	struct write_op w;
	long long id, user_id;

	if (param_id(req, "id", &id) || param_id(req, "user_id", &user_id))
		return 0;
	if (!text_one_of(role, vocabulary_worker_roles))
		return refusal_send(req, &r_no_assignment);
	if (!is_manager(req) && !strcmp(role, "crew_chief"))
		return refusal_send(req, &r_removes_crew_chief);
	user = param_text(req, user_id);
	write_init(&w, req, "shift", id);
	DB_TX(req, tx) {
		PGresult *r;

		r = DB_EXEC(&tx, &stmt_shift_standing, w.id_text, param_text(req, req->user->id));
		if (!r)
			continue;
		if (write_refuse(&w, crew_refusal(req, r, &r_no_assignment)))
			break;
		r = DB_EXEC(&tx, &stmt_assignment_exists, w.id_text, user, role);
		if (!r)
			continue;
		if (write_refuse(&w, atol(PQgetvalue(r, 0, 0)) ? NULL : &r_no_assignment))
			break;
		r = DB_EXEC(&tx, &stmt_unassign, w.id_text, user, role);
		if (!r)
			continue;
		/* no row: the assignment has recorded time, which keeps it */
		if (write_refuse(&w, PQntuples(r) == 1 ? NULL : &r_assignment_timed))
			break;
		w.before = PQgetvalue(r, 0, 0);
		if (write_audit(&w, &tx, "unassign", NULL))
			continue;
	}
	return write_answer(&w, 204);
}
