/*
 * Time sheets (SPEC §3 "Time sheets"): the entry of each assignment, its
 * clock pairs and its state, draft → submitted → approved, or back to draft
 * when a manager rejects it with a reason. Approved entries are frozen.
 *
 * Who may do what to an entry is decided in one place, entry_refusal()
 * (handlers/timesheet_rules.c), which also answers the `can` of the sheet. Employees act only on shifts
 * they can see (published weeks); the crew chief of a shift has the
 * manager's powers on it except approving and rejecting.
 *
 * Every write locks the shift row first, then the worker, then the entry:
 * writes to one sheet run one at a time, and a worker is never clocked in
 * on two shifts at once. Clock actions use the database clock. Hours and
 * overtime are computed in SQL (sql/functions/13_time.sql, where the rounding and
 * overtime rules are written down), the same way for every route.
 * Every change lands in the audit log with the entry before and after.
 */
#include "handlers/timesheet_management.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/timesheet_rules.h"
#include "handlers/viewer.h"
#include "handlers/vocabulary.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define ID_LIMIT 9007199254740991L
#define PAIRS_CEILING 10     /* the highest settings.max_clock_pairs */
#define NOTES_MAX 2000
#define SUBMIT_IDS_MAX 500

/*
 * The caller's standing on a shift: a row when the viewer ($1 kind, $2 id)
 * may see it, saying whether they lead its crew.
 */
#define STANDING                                                                                 \
	"SELECT s.id IN (SELECT l FROM es_led_shifts($2::bigint) l)"                              \
	"  FROM shifts s"                                                                          \
	" WHERE s.id = $3::bigint"                                                                 \
	"   AND s.id IN (SELECT v.id FROM es_visible_shifts($1, $2::bigint) v)"

/* Entry rows start with these columns (entry_read). */
#define ENTRY_COLUMNS "d.assignment_id, d.entry_id, d.user_id, d.state, d.status, d.doc"

static const struct stmt stmt_standing[] = VIEWER_STMT("timesheet_standing", STANDING);
static const struct stmt stmt_standing_lock[] = VIEWER_STMT("timesheet_standing_lock",
	STANDING " FOR UPDATE OF s");
/*
 * Locks the worker, then the entry of (shift $1, worker $2, role $3), which
 * is created empty on first use (a refused action rolls it back), and
 * returns it with its JSON as it was before this statement.
 */
static const struct stmt stmt_entry_open = STMT("timesheet_entry_open",
	"WITH worker AS (SELECT id FROM users WHERE id = $2::bigint FOR NO KEY UPDATE)"
	" INSERT INTO time_entries AS te (assignment_id)"
	" SELECT a.id FROM assignments a JOIN worker w ON w.id = a.user_id"
	"  WHERE a.shift_id = $1::bigint AND a.role = $3"
	" ON CONFLICT (assignment_id) DO UPDATE SET updated_at = te.updated_at"
	" RETURNING te.assignment_id, te.id, $2::bigint, es_entry_state(te.submitted_at, te.approved_at),"
	"           te.status, (SELECT doc FROM es_time_entry_docs(ARRAY[te.assignment_id]))");
/* After a change: the entry's JSON now, and the audit row with it. */
static const struct stmt stmt_entry_changed = STMT("timesheet_entry_changed",
	"SELECT d.doc FROM es_time_entry_docs(ARRAY[$1::bigint]) d,"
	"       es_audit($2::bigint, $3, 'time_entry', $4::bigint, $5::jsonb, d.doc::jsonb, $6)");
/* The entries of shift $3 the viewer ($1 kind, $2 id) may see. */
static const struct stmt stmt_sheet[] = VIEWER_STMT("timesheet_sheet",
	"SELECT " ENTRY_COLUMNS
	"  FROM es_time_entry_docs(ARRAY(SELECT e.id FROM es_visible_time_entries($1, $2::bigint) e"
	"                                 WHERE e.shift_id = $3::bigint), $1 = 'client') d"
	" ORDER BY d.role, d.name, d.user_id");
/* Pairs so far, open ones, the limit, the clock window, an open pair on another entry. */
static const struct stmt stmt_clock_facts = STMT("timesheet_clock_facts",
	"SELECT count(p.ordinal), count(p.ordinal) FILTER (WHERE p.clock_out IS NULL),"
	"       (SELECT (doc ->> 'max_clock_pairs')::int FROM settings WHERE id = 1),"
	"       clock_timestamp() <@ es_clock_window(a.shift_id),"
	"       EXISTS (SELECT 1 FROM time_entry_pairs op"
	"                 JOIN time_entries o ON o.id = op.time_entry_id"
	"                 JOIN assignments oa ON oa.id = o.assignment_id"
	"                WHERE oa.user_id = a.user_id AND o.id <> te.id AND op.clock_out IS NULL)"
	"  FROM time_entries te JOIN assignments a ON a.id = te.assignment_id"
	"  LEFT JOIN time_entry_pairs p ON p.time_entry_id = te.id"
	" WHERE te.id = $1::bigint GROUP BY te.id, a.id");
static const struct stmt stmt_clock_in = STMT("timesheet_clock_in",
	"WITH p AS (INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in)"
	"           SELECT $1::bigint, coalesce(max(ordinal), 0) + 1, clock_timestamp()"
	"             FROM time_entry_pairs WHERE time_entry_id = $1::bigint)"
	" UPDATE time_entries SET status = 'clocked_in', updated_at = now() WHERE id = $1::bigint");
static const struct stmt stmt_clock_out = STMT("timesheet_clock_out",
	"WITH p AS (UPDATE time_entry_pairs SET clock_out = clock_timestamp()"
	"            WHERE time_entry_id = $1::bigint AND clock_out IS NULL)"
	" UPDATE time_entries SET status = 'clocked_out', updated_at = now() WHERE id = $1::bigint");
static const struct stmt stmt_absent = STMT("timesheet_absent",
	"UPDATE time_entries SET status = 'absent', updated_at = now() WHERE id = $1::bigint");
static const struct stmt stmt_end_facts = STMT("timesheet_end_facts",
	"SELECT (SELECT count(*) FROM time_entries te JOIN assignments a ON a.id = te.assignment_id"
	"         WHERE a.shift_id = $1::bigint AND te.status = 'clocked_in'),"
	"       clock_timestamp() <@ es_clock_window($1::bigint)");
/* Clocks out every open pair of the shift, one audit row per entry. */
static const struct stmt stmt_end = STMT("timesheet_end",
	"WITH open AS (SELECT te.id FROM time_entries te JOIN assignments a ON a.id = te.assignment_id"
	"               WHERE a.shift_id = $1::bigint AND te.status = 'clocked_in' FOR UPDATE OF te),"
	"     closed AS (UPDATE time_entry_pairs p SET clock_out = clock_timestamp() FROM open"
	"                 WHERE p.time_entry_id = open.id AND p.clock_out IS NULL"
	"                RETURNING p.time_entry_id, p.clock_in, p.clock_out),"
	"     done AS (UPDATE time_entries te SET status = 'clocked_out', updated_at = now() FROM closed"
	"               WHERE te.id = closed.time_entry_id RETURNING te.id)"
	" SELECT es_audit($2::bigint, 'end_shift', 'time_entry', c.time_entry_id,"
	"                 jsonb_build_object('status', 'clocked_in', 'in', c.clock_in),"
	"                 jsonb_build_object('status', 'clocked_out', 'in', c.clock_in, 'out', c.clock_out),"
	"                 $3)"
	"   FROM closed c JOIN done d ON d.id = c.time_entry_id");
static const struct stmt stmt_pairs_problems = STMT("timesheet_pairs_problems",
	"SELECT es_time_pairs_problems($1::bigint, $2::jsonb)::text");
static const struct stmt stmt_pairs_clear = STMT("timesheet_pairs_clear",
	"DELETE FROM time_entry_pairs WHERE time_entry_id = $1::bigint");
static const struct stmt stmt_pairs_write = STMT("timesheet_pairs_write",
	"WITH p AS (INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in, clock_out)"
	"           SELECT $1::bigint, i, (x ->> 'in')::timestamptz, (x ->> 'out')::timestamptz"
	"             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e (x, i))"
	" UPDATE time_entries"
	"    SET notes = $3, updated_at = now(),"
	"        status = CASE WHEN jsonb_array_length($2::jsonb) = 0"
	"                      THEN CASE WHEN status = 'absent' THEN 'absent' ELSE 'not_started' END"
	"                      WHEN $2::jsonb -> -1 ->> 'out' IS NULL THEN 'clocked_in'"
	"                      ELSE 'clocked_out' END"
	"  WHERE id = $1::bigint");
/* The entries a submit may touch: the shift's, or the listed workers' ($2). */
static const struct stmt stmt_submit_targets = STMT("timesheet_submit_targets",
	"SELECT " ENTRY_COLUMNS
	"  FROM es_time_entry_docs(ARRAY(SELECT id FROM assignments WHERE shift_id = $1::bigint"
	"                                   AND ($2::bigint[] IS NULL OR user_id = ANY ($2::bigint[])))) d"
	" ORDER BY d.role, d.name, d.user_id");
static const struct stmt stmt_submit = STMT("timesheet_submit",
	"UPDATE time_entries SET submitted_at = now(), submitted_by = $2::bigint,"
	"       rejected_at = NULL, rejected_by = NULL, rejection_reason = NULL, updated_at = now()"
	" WHERE id = ANY ($1::bigint[])");
static const struct stmt stmt_approve = STMT("timesheet_approve",
	"UPDATE time_entries te SET approved_at = now(), approved_by = $2::bigint, updated_at = now(),"
	"       approved_hours = (SELECT to_jsonb(h) - 'assignment_id'"
	"                           FROM es_time_hours(ARRAY[te.assignment_id]) h)"
	" WHERE id = $1::bigint");
static const struct stmt stmt_reject = STMT("timesheet_reject",
	"UPDATE time_entries SET submitted_at = NULL, submitted_by = NULL, rejected_at = now(),"
	"       rejected_by = $2::bigint, rejection_reason = $3, updated_at = now()"
	" WHERE id = $1::bigint");

/*
 * The entries /timesheets lists: those the viewer ($1 kind, $2 id) may see
 * and the filters. A worker's list is their own time; the crews they lead
 * are on each shift's sheet.
 */
#define LISTED_ENTRIES                                                                           \
	"WITH f AS (SELECT a.id, s.starts_at, u.name, a.role, te.id AS entry_id"                 \
	"             FROM es_visible_time_entries($1, $2::bigint) a"                              \
	"             JOIN time_entries te ON te.assignment_id = a.id"                             \
	"             JOIN shifts s ON s.id = a.shift_id JOIN jobs j ON j.id = s.job_id"          \
	"             JOIN users u ON u.id = a.user_id"                                            \
	"            WHERE ($1 <> 'employee' OR a.user_id = $2::bigint)"                           \
	"              AND ($3::text IS NULL OR es_entry_state(te.submitted_at, te.approved_at) = $3)" \
	"              AND ($4::date IS NULL OR s.starts_at >= es_local_instant($4::date, '00:00'))" \
	"              AND ($5::date IS NULL OR s.starts_at < es_local_instant($5::date + 1, '00:00'))" \
	"              AND ($6::bigint IS NULL OR a.user_id = $6::bigint)"                          \
	"              AND ($7::bigint IS NULL OR j.client_company_id = $7::bigint)),"              \
	"     page AS (SELECT * FROM f ORDER BY starts_at, name, role, entry_id"                   \
	"               LIMIT $8::int OFFSET $9::int) "

static const struct stmt stmt_list[] = VIEWER_STMT("timesheets_list",
	LISTED_ENTRIES
	"SELECT json_build_object("
	"  'items', coalesce((SELECT json_agg(d.doc ORDER BY p.starts_at, p.name, p.role, p.entry_id)"
	"                       FROM page p"
	"                       JOIN es_time_entry_docs(ARRAY(SELECT id FROM page), $1 = 'client') d"
	"                         ON d.assignment_id = p.id), '[]'),"
	"  'total', (SELECT count(*) FROM f))");
/* One row per entry, every column as the CSV shows it (times in the workplace zone). */
static const struct stmt stmt_list_csv[] = VIEWER_STMT("timesheets_list_csv",
	LISTED_ENTRIES
	"SELECT u.id, u.name, c.name, j.name, es_local_rfc3339(s.starts_at), es_local_rfc3339(s.ends_at),"
	"       a.role,"
	"       coalesce((SELECT string_agg(es_local_rfc3339(pr.clock_in) || '/'"
	"                                   || coalesce(es_local_rfc3339(pr.clock_out), ''), ' '"
	"                                   ORDER BY pr.ordinal)"
	"                   FROM time_entry_pairs pr WHERE pr.time_entry_id = te.id), ''),"
	"       h.total_minutes, h.regular_minutes, h.overtime_minutes,"
	"       coalesce((SELECT string_agg(format('%s>%sh@%sx=%s', t ->> 'period', t ->> 'after_hours',"
	"                                          t ->> 'multiplier', t ->> 'minutes'), ';' ORDER BY i)"
	"                   FROM jsonb_array_elements(h.overtime) WITH ORDINALITY AS x (t, i)"
	"                  WHERE (t ->> 'minutes')::bigint > 0), ''),"
	"       te.status, es_entry_state(te.submitted_at, te.approved_at)"
	"  FROM page p"
	"  JOIN es_time_hours(ARRAY(SELECT id FROM page)) h ON h.assignment_id = p.id"
	"  JOIN assignments a ON a.id = p.id JOIN users u ON u.id = a.user_id"
	"  JOIN shifts s ON s.id = a.shift_id JOIN jobs j ON j.id = s.job_id"
	"  JOIN client_companies c ON c.id = j.client_company_id"
	"  JOIN time_entries te ON te.assignment_id = a.id"
	" ORDER BY p.starts_at, p.name, p.role, p.entry_id");

/* One entry: its ids, what the rules see of it, its JSON (strings owned by the request). */
struct entry {
	long long assignment_id;
	long long id;           /* time_entries.id */
	long long user_id;
	struct entry_facts facts;
	const char *doc;        /* its JSON, before the change */
};

static const struct refusal
	r_no_shift = REFUSAL(404, "not_found", "No such shift"),
	r_no_entry = REFUSAL(404, "not_found", "No such assignment on this shift"),
	r_not_assigned = { .status = 422, .code = "validation_failed",
			   .message = "The worker is not assigned to this shift in that role",
			   .field = "user_id", .reason = "not assigned to this shift in that role" },
	r_user_ids_unknown = { .status = 422, .code = "validation_failed",
			       .message = "A listed worker is not on this shift", .field = "user_ids" },
	r_nothing_to_submit = CONFLICT("nothing_to_submit", "No draft entry to submit on this shift"),
	r_pairs_invalid = REFUSAL(422, "validation_failed", "Some pairs are not valid"),
	r_submitted_open = { .status = 422, .code = "validation_failed",
			     .message = "Some pairs are not valid", .field = "pairs",
			     .reason = "a submitted entry has no open pair" };

/* The assignment a per-entry action names. */
struct target {
	long long shift_id;
	long long user_id;
	const char *role;
	bool in_path;           /* an unknown assignment is a 404 (path) or a 422 (body) */
};

/* Reads a STANDING row (none: the caller may not see the shift). */
static void standing_read(const struct request *req, PGresult *r, struct standing *st)
{
	enum viewer_kind kind = viewer_kind(req);

	memset(st, 0, sizeof(*st));
	if (PQntuples(r) != 1)
		return;
	st->visible = true;
	st->manager = kind == VIEWER_MANAGER;
	st->chief = kind == VIEWER_EMPLOYEE && PQgetvalue(r, 0, 0)[0] == 't';
	st->client = kind == VIEWER_CLIENT;
}

/* Runs the standing statement (STANDING or its locking twin) for shift_id. */
static PGresult *standing_get(struct db_tx *tx, const struct stmt *stmts, long long shift_id)
{
	struct request *req = req_from_tx(tx);
	const char *p[3];

	viewer_params(req, p);
	p[2] = param_text(req, shift_id);
	return db_exec(tx, viewer_stmt(req, stmts), 3, p);
}

static enum sheet_state state_from_name(const char *s)
{
	return !strcmp(s, "approved") ? STATE_APPROVED
	       : !strcmp(s, "submitted") ? STATE_SUBMITTED
					 : STATE_DRAFT;
}

/* Reads row i of a result whose first columns are ENTRY_COLUMNS (doc optional). */
static void entry_read(const struct request *req, PGresult *r, int i, struct entry *e)
{
	e->assignment_id = atoll(PQgetvalue(r, i, 0));
	e->id = PQgetisnull(r, i, 1) ? 0 : atoll(PQgetvalue(r, i, 1));
	e->user_id = atoll(PQgetvalue(r, i, 2));
	e->facts.state = state_from_name(PQgetvalue(r, i, 3));
	e->facts.status = PQgetvalue(r, i, 4);
	e->facts.own = e->user_id == req->user->id;
	e->doc = PQnfields(r) > 5 ? PQgetvalue(r, i, 5) : NULL;
}

/*
 * Opens the entry a per-entry action works on, inside the caller's scope:
 * locks the shift (which the caller must see), the worker and the entry
 * (created empty on first use), and applies entry_refusal. Returns 0;
 * ES_EDB (the scope should continue); or ES_ECONFLICT with the refusal in
 * w (the scope should break).
 */
static int entry_open(struct db_tx *tx, const struct target *t, enum sheet_action act,
		      struct entry *e, struct write_op *w)
{
	struct request *req = req_from_tx(tx);
	const char *shift = param_text(req, t->shift_id), *worker = param_text(req, t->user_id);
	struct standing st;
	PGresult *r;

	r = standing_get(tx, stmt_standing_lock, t->shift_id);
	if (!r)
		return ES_EDB;
	standing_read(req, r, &st);
	if (write_refuse(w, st.visible ? NULL : &r_no_shift))
		return ES_ECONFLICT;
	r = DB_EXEC(tx, &stmt_entry_open, shift, worker, t->role);
	if (!r)
		return ES_EDB;
	if (PQntuples(r) != 1)
		return write_refuse(w, t->in_path ? &r_no_entry : &r_not_assigned);
	entry_read(req, r, 0, e);
	return write_refuse(w, entry_refusal(act, &st, &e->facts));
}

/* After a change: the entry's new JSON as the write's row after, and its audit row. 0 or ES_EDB. */
static int entry_changed(struct db_tx *tx, const struct entry *e, const char *action,
			 struct write_op *w)
{
	struct request *req = req_from_tx(tx);
	PGresult *r = DB_EXEC(tx, &stmt_entry_changed, param_text(req, e->assignment_id),
			      param_text(req, req->user->id), action, param_text(req, e->id), e->doc,
			      req->request_id);

	if (!r)
		return ES_EDB;
	w->after = PQgetvalue(r, 0, 0);
	return 0;
}

/* What the caller may do to an entry, for the sheet's `can`. */
static struct json_object *entry_can(const struct standing *st, const struct entry *e)
{
	static const struct {
		const char *name;
		enum sheet_action act;
	} actions[] = {
		{ "clock", ACT_CLOCK }, { "edit", ACT_EDIT }, { "submit", ACT_SUBMIT },
		{ "approve", ACT_APPROVE }, { "reject", ACT_REJECT },
	};
	struct json_object *can = json_object_new_object();
	size_t i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		json_object_object_add(can, actions[i].name,
				       json_object_new_boolean(!entry_refusal(actions[i].act, st,
									      &e->facts)));
	return can;
}

/* {"shift_id": N, "items": [entry + can, ...]} from sheet rows. */
static int send_sheet(struct request *req, long long shift_id, const struct standing *st,
		      PGresult *rows)
{
	struct json_object *root = json_object_new_object(), *items = json_object_new_array();
	int i, rc;

	for (i = 0; i < PQntuples(rows); i++) {
		struct entry e;
		struct json_object *doc;

		entry_read(req, rows, i, &e);
		doc = json_tokener_parse(e.doc);
		if (!doc)
			continue;
		json_object_object_add(doc, "can", entry_can(st, &e));
		json_object_array_add(items, doc);
	}
	json_object_object_add(root, "shift_id", json_object_new_int64(shift_id));
	json_object_object_add(root, "items", items);
	rc = resp_json(req, 200, root);
	json_object_put(root);
	return rc;
}

/* The rows of a sheet the caller may see: a worker's own, a client's approved ones. */
static PGresult *sheet_rows(struct db_tx *tx, long long shift_id)
{
	struct request *req = req_from_tx(tx);
	const char *p[3];

	viewer_params(req, p);
	p[2] = param_text(req, shift_id);
	return db_exec(tx, viewer_stmt(req, stmt_sheet), 3, p);
}

int timesheet_get(struct request *req)
{
	struct standing st = { 0 };
	PGresult *rows = NULL;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	DB_TX_RO(req, tx) {
		PGresult *r = standing_get(&tx, stmt_standing, id);

		if (!r)
			continue;
		standing_read(req, r, &st);
		if (!st.visible)
			break;
		rows = sheet_rows(&tx, id);
		if (!rows)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (!st.visible)
		return refusal_send(req, &r_no_shift);
	return send_sheet(req, id, &st, rows);
}

/* Reads {user_id, role, ...} into t. 0, or ES_EINVAL once the refusal is answered. */
static int target_from_body(struct request *req, const struct field *fields, size_t n,
			    struct json_object **v, struct target *t)
{
	if (param_id(req, "id", &t->shift_id) || body_validate(req, fields, n, v))
		return ES_EINVAL;
	t->user_id = json_object_get_int64(v[0]);
	t->role = field_string(v[1]);
	t->in_path = false;
	if (!text_one_of(t->role, vocabulary_worker_roles))
		return param_invalid(req, "role", "a worker role"), ES_EINVAL;
	return 0;
}

static const struct clock_facts *clock_facts_read(PGresult *r, struct clock_facts *f)
{
	f->pairs = atol(PQgetvalue(r, 0, 0));
	f->open = atol(PQgetvalue(r, 0, 1));
	f->max_pairs = atol(PQgetvalue(r, 0, 2));
	f->in_window = PQgetvalue(r, 0, 3)[0] == 't';
	f->elsewhere = PQgetvalue(r, 0, 4)[0] == 't';
	return f;
}

int timesheet_clock(struct request *req)
{
	static const struct field fields[] = {
		{ "user_id", FIELD_INT, true, 1, ID_LIMIT },
		{ "role", FIELD_STRING, true, 1, 32 },
		{ "action", FIELD_STRING, true, 1, 8 },
	};
	static const char *const actions[] = { "in", "out", NULL };
	struct json_object *v[3];
	struct clock_facts f;
	struct target t;
	struct entry e;
	struct write_op w;
	bool in;

	if (target_from_body(req, fields, 3, v, &t))
		return 0;
	if (!text_one_of(field_string(v[2]), actions))
		return param_invalid(req, "action", "in or out");
	in = !strcmp(field_string(v[2]), "in");
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		int rc = entry_open(&tx, &t, ACT_CLOCK, &e, &w);
		PGresult *facts;

		if (rc == ES_EDB)
			continue;
		if (rc)
			break;
		facts = DB_EXEC(&tx, &stmt_clock_facts, param_text(req, e.id));
		if (!facts)
			continue;
		if (write_refuse(&w, clock_refusal(in, clock_facts_read(facts, &f))))
			break;
		if (!DB_EXEC(&tx, in ? &stmt_clock_in : &stmt_clock_out, param_text(req, e.id)) ||
		    entry_changed(&tx, &e, in ? "clock_in" : "clock_out", &w))
			continue;
	}
	return write_answer(&w, 200);
}

int timesheet_absent(struct request *req)
{
	static const struct field fields[] = {
		{ "user_id", FIELD_INT, true, 1, ID_LIMIT },
		{ "role", FIELD_STRING, true, 1, 32 },
	};
	struct json_object *v[2];
	struct target t;
	struct entry e;
	struct write_op w;

	if (target_from_body(req, fields, 2, v, &t))
		return 0;
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		int rc = entry_open(&tx, &t, ACT_CLOCK, &e, &w);
		PGresult *facts;

		if (rc == ES_EDB)
			continue;
		if (rc)
			break;
		facts = DB_EXEC(&tx, &stmt_clock_facts, param_text(req, e.id));
		if (!facts)
			continue;
		if (write_refuse(&w, absent_refusal(&e.facts, atol(PQgetvalue(facts, 0, 0)))))
			break;
		if (!DB_EXEC(&tx, &stmt_absent, param_text(req, e.id)) ||
		    entry_changed(&tx, &e, "absent", &w))
			continue;
	}
	return write_answer(&w, 200);
}

/* Routes that take no fields: no body, or an empty object. 0, or ES_EINVAL once refused. */
static int body_empty(struct request *req)
{
	struct json_object *none[1];

	return req->json ? body_validate(req, NULL, 0, none) : 0;
}

int timesheet_end(struct request *req)
{
	struct standing st = { 0 };
	PGresult *rows = NULL;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || body_empty(req))
		return 0;
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		const char *shift = param_text(req, id);
		PGresult *r = standing_get(&tx, stmt_standing_lock, id);

		if (!r)
			continue;
		standing_read(req, r, &st);
		if (write_refuse(&w, st.visible ? NULL : &r_no_shift))
			break;
		r = DB_EXEC(&tx, &stmt_end_facts, shift);
		if (!r)
			continue;
		if (write_refuse(&w, end_refusal(&st, atol(PQgetvalue(r, 0, 0)),
						 PQgetvalue(r, 0, 1)[0] == 't')))
			break;
		/* one audit row per entry clocked out, written by the statement */
		if (!DB_EXEC(&tx, &stmt_end, shift, param_text(req, req->user->id), req->request_id))
			continue;
		rows = sheet_rows(&tx, id);
		if (!rows)
			continue;
	}
	if (!write_done(&w))
		return write_answer(&w, 200);
	return send_sheet(req, id, &st, rows);
}

/*
 * Checks the shape of an edit's pairs: objects {in, out}, RFC 3339 times,
 * only the last one open, at most PAIRS_CEILING (the settings' limit is
 * checked in SQL). Adds reasons to *details.
 */
static void pairs_check(struct json_object *pairs, struct json_object **details)
{
	static const struct field pair_fields[] = {
		{ "in", FIELD_STRING, true, 0, 40 },
		{ "out", FIELD_STRING, false, 0, 40 },
	};
	size_t i, n = json_object_array_length(pairs);
	char name[32];

	if (n > PAIRS_CEILING) {
		details_add(details, "pairs", "at most 10 pairs");
		return;
	}
	for (i = 0; i < n; i++) {
		struct json_object *pair = json_object_array_get_idx(pairs, i), *v[2], *d = NULL;
		const char *code, *field;

		snprintf(name, sizeof(name), "pairs[%zu]", i);
		if (!json_object_is_type(pair, json_type_object) ||
		    object_validate(pair, pair_fields, 2, v, &code, &field, &d)) {
			json_object_put(d);
			details_add(details, name,
				    "an object {in, out}: in required, both RFC 3339 times");
			continue;
		}
		if (!text_is_rfc3339(field_string(v[0])) || (v[1] && !text_is_rfc3339(field_string(v[1])))) {
			details_add(details, name, "in and out: RFC 3339 times with offset");
		} else if (!v[1] && i + 1 < n) {
			snprintf(name, sizeof(name), "pairs[%zu].out", i);
			details_add(details, name, "only the last pair may be open");
		}
	}
}

/* True when the last pair has no out (the worker is still clocked in). */
static bool last_pair_open(struct json_object *pairs)
{
	size_t n = json_object_array_length(pairs);
	struct json_object *out = NULL;

	if (!n)
		return false;
	json_object_object_get_ex(json_object_array_get_idx(pairs, n - 1), "out", &out);
	return !out || json_object_is_type(out, json_type_null);
}

/* The refusal of pairs the database found wrong ({} when none), or NULL. */
static const struct refusal *pairs_refusal(struct request *req, const char *problems)
{
	if (!strcmp(problems, "{}"))
		return NULL;
	return refusal_new(req, &r_pairs_invalid, json_tokener_parse(problems));
}

int timesheet_edit(struct request *req)
{
	static const struct field fields[] = {
		{ "pairs", FIELD_ARRAY, true, 0, 0 },
		{ "notes", FIELD_STRING, false, 0, NOTES_MAX },
	};
	struct json_object *v[2], *details = NULL;
	const char *pairs;
	struct target t;
	struct entry e;
	struct write_op w;

	if (param_id(req, "id", &t.shift_id) || param_id(req, "user_id", &t.user_id))
		return 0;
	t.role = req_capture(req, "role");
	t.in_path = true;
	if (!text_one_of(t.role, vocabulary_worker_roles))
		return refusal_send(req, &r_no_entry);
	if (body_validate(req, fields, 2, v))
		return 0;
	pairs_check(v[0], &details);
	if (details)
		return refusal_send_with(req, &r_pairs_invalid, details);
	pairs = json_object_to_json_string_ext(v[0], JSON_C_TO_STRING_PLAIN);
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		int rc = entry_open(&tx, &t, ACT_EDIT, &e, &w);
		PGresult *r;

		if (rc == ES_EDB)
			continue;
		if (rc)
			break;
		if (write_refuse(&w, e.facts.state == STATE_SUBMITTED && last_pair_open(v[0])
					     ? &r_submitted_open : NULL))
			break;
		r = DB_EXEC(&tx, &stmt_pairs_problems, param_text(req, e.id), pairs);
		if (!r)
			continue;
		if (write_refuse(&w, pairs_refusal(req, PQgetvalue(r, 0, 0))))
			break;
		if (!DB_EXEC(&tx, &stmt_pairs_clear, param_text(req, e.id)) ||
		    !DB_EXEC(&tx, &stmt_pairs_write, param_text(req, e.id), pairs, field_string(v[1])) ||
		    entry_changed(&tx, &e, "edit", &w))
			continue;
	}
	return write_answer(&w, 200);
}

/* user_ids as a SQL array "{1,2}", NULL when absent. 0, or ES_EINVAL once refused. */
static int submit_user_ids(struct request *req, struct json_object *ids, const char **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, n;

	*out = NULL;
	if (!ids)
		return 0;
	n = json_object_array_length(ids);
	if (n == 0 || n > SUBMIT_IDS_MAX)
		return param_invalid(req, "user_ids", "from 1 to 500 user ids"), ES_EINVAL;
	strbuf_addch(&sb, '{');
	for (i = 0; i < n; i++) {
		struct json_object *id = json_object_array_get_idx(ids, i);

		if (!json_object_is_type(id, json_type_int) || json_object_get_int64(id) < 1 ||
		    json_object_get_int64(id) > ID_LIMIT) {
			strbuf_release(&sb);
			return param_invalid(req, "user_ids", "positive integer user ids"), ES_EINVAL;
		}
		strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)json_object_get_int64(id));
	}
	strbuf_addch(&sb, '}');
	*out = arena_strdup(&req->arena, sb.buf);
	strbuf_release(&sb);
	return 0;
}

static bool ids_contain(struct json_object *ids, long long id)
{
	size_t i;

	for (i = 0; i < json_object_array_length(ids); i++)
		if (json_object_get_int64(json_object_array_get_idx(ids, i)) == id)
			return true;
	return false;
}

/* A submit refused for one entry: r, with details naming the worker and role. */
static const struct refusal *submit_refusal(struct request *req, const struct refusal *r,
					    const struct entry *e)
{
	struct json_object *doc = json_tokener_parse(e->doc), *role = NULL;
	struct refusal *with = refusal_new(req, r, NULL);

	refusal_add(with, "user_id", json_object_new_int64(e->user_id));
	if (doc && json_object_object_get_ex(doc, "role", &role))
		refusal_add(with, "role", json_object_get(role));
	json_object_put(doc);
	return with;
}

/* A listed worker the shift does not have, or NULL. */
static const struct refusal *submit_unknown(struct request *req, PGresult *rows,
					    struct json_object *listed)
{
	size_t k;
	int i;

	for (k = 0; listed && k < json_object_array_length(listed); k++) {
		long long uid = json_object_get_int64(json_object_array_get_idx(listed, k));
		bool found = false;
		struct refusal *r;
		char *reason;

		for (i = 0; i < PQntuples(rows) && !found; i++)
			found = atoll(PQgetvalue(rows, i, 2)) == uid;
		if (found)
			continue;
		reason = arena_alloc(&req->arena, 64);
		snprintf(reason, 64, "user %lld is not on this shift", uid);
		r = refusal_new(req, &r_user_ids_unknown, NULL);
		r->reason = reason;
		return r;
	}
	return NULL;
}

/* The entries a submit moves: rows of the target result, and their ids as a SQL array. */
struct submit_plan {
	int *rows;
	int n;
	struct strbuf ids;
};

/*
 * Chooses the entries a submit moves to submitted. Listed workers must all
 * be on the shift and every entry of theirs must be submittable; without a
 * list the drafts the caller may submit are taken, and each must be
 * complete. Returns the refusal, or NULL with the plan made.
 */
static const struct refusal *submit_choose(struct request *req, const struct standing *st,
					   PGresult *rows, struct json_object *listed,
					   struct submit_plan *plan)
{
	bool crew_lead = st->manager || st->chief;
	const struct refusal *r = submit_unknown(req, rows, listed);
	int i;

	if (r)
		return r;
	plan->rows = arena_alloc(&req->arena, sizeof(int) * (size_t)(PQntuples(rows) + 1));
	plan->n = 0;
	strbuf_reset(&plan->ids);
	for (i = 0; i < PQntuples(rows); i++) {
		struct entry e;

		entry_read(req, rows, i, &e);
		if (listed ? !ids_contain(listed, e.user_id)
			   : (!crew_lead && !e.facts.own) || e.facts.state != STATE_DRAFT)
			continue;
		if ((r = entry_refusal(ACT_SUBMIT, st, &e.facts)))
			return submit_refusal(req, r, &e);
		strbuf_addf(&plan->ids, "%s%lld", plan->n ? "," : "{", e.id);
		plan->rows[plan->n++] = i;
	}
	if (!plan->n)
		return &r_nothing_to_submit;
	strbuf_addch(&plan->ids, '}');
	return NULL;
}

int timesheet_submit(struct request *req)
{
	static const struct field fields[] = { { "user_ids", FIELD_ARRAY, false, 0, 0 } };
	struct json_object *v[1] = { NULL };
	struct submit_plan plan = { NULL, 0, STRBUF_INIT };
	struct standing st = { 0 };
	PGresult *sheet = NULL;
	const char *listed;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || (req->json && body_validate(req, fields, 1, v)) ||
	    submit_user_ids(req, v[0], &listed))
		return 0;
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		const char *shift = param_text(req, id), *me = param_text(req, req->user->id);
		PGresult *r = standing_get(&tx, stmt_standing_lock, id), *rows;
		int i;

		if (!r)
			continue;
		standing_read(req, r, &st);
		if (write_refuse(&w, st.visible ? NULL : &r_no_shift))
			break;
		rows = DB_EXEC(&tx, &stmt_submit_targets, shift, listed);
		if (!rows)
			continue;
		if (write_refuse(&w, submit_choose(req, &st, rows, v[0], &plan)))
			break;
		if (!DB_EXEC(&tx, &stmt_submit, plan.ids.buf, me))
			continue;
		for (i = 0; i < plan.n; i++) {
			struct entry e;

			entry_read(req, rows, plan.rows[i], &e);
			if (entry_changed(&tx, &e, "submit", &w))
				break;
		}
		if (i < plan.n)
			continue;
		sheet = sheet_rows(&tx, id);
		if (!sheet)
			continue;
	}
	strbuf_release(&plan.ids);
	if (!write_done(&w))
		return write_answer(&w, 200);
	return send_sheet(req, id, &st, sheet);
}

int timesheet_approve(struct request *req)
{
	static const struct field fields[] = {
		{ "user_id", FIELD_INT, true, 1, ID_LIMIT },
		{ "role", FIELD_STRING, true, 1, 32 },
	};
	struct json_object *v[2];
	struct target t;
	struct entry e;
	struct write_op w;

	if (target_from_body(req, fields, 2, v, &t))
		return 0;
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		int rc = entry_open(&tx, &t, ACT_APPROVE, &e, &w);

		if (rc == ES_EDB)
			continue;
		if (rc)
			break;
		if (!DB_EXEC(&tx, &stmt_approve, param_text(req, e.id), param_text(req, req->user->id)) ||
		    entry_changed(&tx, &e, "approve", &w))
			continue;
	}
	return write_answer(&w, 200);
}

int timesheet_reject(struct request *req)
{
	static const struct field fields[] = {
		{ "user_id", FIELD_INT, true, 1, ID_LIMIT },
		{ "role", FIELD_STRING, true, 1, 32 },
		{ "reason", FIELD_STRING, true, 1, 2000 },
	};
	struct json_object *v[3];
	struct target t;
	struct entry e;
	struct write_op w;

	if (target_from_body(req, fields, 3, v, &t))
		return 0;
	if (!text_is_trimmed(field_string(v[2])))
		return param_invalid(req, "reason", "must not be blank or padded with spaces");
	write_init(&w, req, "time_entry", 0);
	DB_TX(req, tx) {
		int rc = entry_open(&tx, &t, ACT_REJECT, &e, &w);

		if (rc == ES_EDB)
			continue;
		if (rc)
			break;
		if (!DB_EXEC(&tx, &stmt_reject, param_text(req, e.id), param_text(req, req->user->id),
			     field_string(v[2])) ||
		    entry_changed(&tx, &e, "reject", &w))
			continue;
	}
	return write_answer(&w, 200);
}

/* The most rows one CSV export holds (about 10 MB). */
#define CSV_MAX_ROWS 50000

/* True when the client asked for CSV (Accept: text/csv). */
static bool wants_csv(const struct request *req)
{
	const char *accept = req_param(req, "HTTP_ACCEPT");

	return accept && strstr(accept, "text/csv");
}

/*
 * Appends one CSV field (RFC 4180): quoted when it holds a comma, a quote,
 * CR or LF, quotes doubled. A value a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe.
 */
static void csv_field(struct strbuf *b, const char *s, bool first)
{
	bool formula = s[0] && strchr("=+-@\t\r", s[0]);
	bool quoted = strpbrk(s, ",\"\r\n") != NULL;

	if (!first)
		strbuf_addch(b, ',');
	if (quoted)
		strbuf_addch(b, '"');
	if (formula)
		strbuf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(b, '"');
		strbuf_addch(b, *s);
	}
	if (quoted)
		strbuf_addch(b, '"');
}

static int send_csv(struct request *req, PGresult *r)
{
	static const char *const header[] = {
		"worker_id", "worker", "client", "job", "shift_start", "shift_end", "role", "pairs",
		"total_minutes", "regular_minutes", "overtime_minutes", "overtime", "status", "state",
	};
	struct strbuf *b = &req->resp.body;
	int i, j;

	req->resp.status = 200;
	req->resp.content_type = "text/csv; charset=utf-8";
	resp_header(req, "Content-Disposition", "attachment; filename=\"timesheets.csv\"");
	strbuf_reset(b);
	for (j = 0; j < (int)(sizeof(header) / sizeof(header[0])); j++)
		csv_field(b, header[j], j == 0);
	strbuf_add(b, "\r\n", 2);
	for (i = 0; i < PQntuples(r); i++) {
		for (j = 0; j < PQnfields(r); j++)
			csv_field(b, PQgetvalue(r, i, j), j == 0);
		strbuf_add(b, "\r\n", 2);
	}
	return 0;
}

int timesheets_list(struct request *req)
{
	static const char *const states[] = { "draft", "submitted", "approved", NULL };
	bool csv = wants_csv(req);
	long long user_id, client_id;
	const char *status, *from, *to, *p[9];
	struct page page;
	PGresult *r = NULL;

	if (param_choice(req, "status", states, &status) || param_query_date(req, "from", &from) ||
	    param_query_date(req, "to", &to) || param_query_id(req, "user_id", &user_id) ||
	    param_query_id(req, "client_id", &client_id) || param_page(req, &page))
		return 0;
	viewer_params(req, p);
	p[2] = status;
	p[3] = from;
	p[4] = to;
	p[5] = user_id ? param_text(req, user_id) : NULL;
	p[6] = client_id ? param_text(req, client_id) : NULL;
	/*
	 * An export is the whole filtered set unless the caller pages it, up to
	 * CSV_MAX_ROWS: one row more tells that the period must be narrowed.
	 */
	p[7] = csv && !req_query(req, "limit") ? param_text(req, CSV_MAX_ROWS + 1)
					       : param_text(req, page.limit);
	p[8] = param_text(req, page.offset);
	DB_READ_ONE(req, tx) {
		r = db_exec(&tx, viewer_stmt(req, csv ? stmt_list_csv : stmt_list), 9, p);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (csv && PQntuples(r) > CSV_MAX_ROWS)
		return param_invalid(req, "to", "more than 50000 entries: export a shorter period or page it");
	if (csv)
		return send_csv(req, r);
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}
