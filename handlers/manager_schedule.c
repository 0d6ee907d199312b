/*
 * Schedule weeks (SPEC §3 "Shifts and schedule"). A week is named by any
 * day inside it and starts on settings.week_start; its shifts are those that
 * start inside it in the workplace time zone. Managers see and shape every
 * week: publish, availability request window, preferences, copy to another
 * week, the conflicts report. Workers see published weeks only, and in them
 * their own shifts (the whole crew on shifts they lead); clients their
 * company's shifts of published weeks. Every change lands in the audit log
 * as entity schedule_week, the week's first day as its id (20260302).
 */
#include "handlers/manager_schedule.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/schedule_week.h"
#include "handlers/viewer.h"
#include "handlers/vocabulary.h"
#include "handlers/week_cache.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

/*
 * The week as the viewer ($2 kind, $3 id) may see it, in one statement:
 * NULL when the week is not published and the viewer is no manager. Its
 * shifts are those of the week the viewer may see, as es_shift_docs builds
 * them in one pass (the week's compact form).
 */
static const struct stmt stmt_week_get[] = VIEWER_STMT("weeks_get",
	"WITH w AS MATERIALIZED ("
	"   SELECT w.*, es_local_instant(w.week_start, '00:00') AS lo,"
	"          es_local_instant(w.week_start + 7, '00:00') AS hi"
	"     FROM " SCHEDULE_WEEK_ROW ")"
	" SELECT CASE WHEN $2 = 'manager' OR w.published THEN json_build_object("
	SCHEDULE_WEEK_FIELDS ","
	"   'shifts', coalesce(es_shift_docs($2, $3::bigint,"
	"       ARRAY(SELECT s.id FROM es_visible_shifts($2, $3::bigint) s"
	"              WHERE s.starts_at >= w.lo AND s.starts_at < w.hi"
	"              ORDER BY s.starts_at, s.id), true), '[]'),"
	"   'availability_summary', CASE WHEN $2 = 'manager' THEN ("
	"       SELECT json_build_object('submitted', count(v.user_id), 'missing', count(*) - count(v.user_id))"
	"         FROM users u LEFT JOIN availability v ON v.user_id = u.id AND v.week_start = w.week_start"
	"        WHERE u.role = 'employee' AND u.active AND u.approved) END) END"
	"   FROM w");

/* Makes sure the week has a row and locks it: its fields before the change and its first day. */
static const struct stmt stmt_week_lock = STMT("weeks_lock",
	"INSERT INTO schedule_weeks AS w (week_start)"
	" VALUES (es_week_start($1::date, es_first_weekday()))"
	" ON CONFLICT (week_start) DO UPDATE SET updated_at = w.updated_at"
	" RETURNING json_build_object(" SCHEDULE_WEEK_FIELDS "), es_iso_date(w.week_start)");
/* Publishing again keeps the first publication's time and author. */
static const struct stmt stmt_week_publish = STMT("weeks_publish",
	"UPDATE schedule_weeks w SET published = true,"
	"   published_at = CASE WHEN w.published THEN w.published_at ELSE now() END,"
	"   published_by = CASE WHEN w.published THEN w.published_by ELSE $2::bigint END,"
	"   updated_at = now()"
	" WHERE w.week_start = $1::date RETURNING json_build_object(" SCHEDULE_WEEK_FIELDS ")");
static const struct stmt stmt_week_unpublish = STMT("weeks_unpublish",
	"UPDATE schedule_weeks w SET published = false, published_at = NULL, published_by = NULL,"
	"   updated_at = now()"
	" WHERE w.week_start = $1::date RETURNING json_build_object(" SCHEDULE_WEEK_FIELDS ")");
/* No row when closes_at is not after opens_at (the database compares the instants). */
static const struct stmt stmt_week_window = STMT("weeks_window",
	"UPDATE schedule_weeks w SET request_opens_at = $2::timestamptz,"
	"   request_closes_at = $3::timestamptz, updated_at = now()"
	" WHERE w.week_start = $1::date AND $3::timestamptz > $2::timestamptz"
	" RETURNING json_build_object(" SCHEDULE_WEEK_FIELDS ")");
static const struct stmt stmt_week_preferences = STMT("weeks_preferences",
	"UPDATE schedule_weeks w SET preferences = $2::jsonb, updated_at = now()"
	" WHERE w.week_start = $1::date RETURNING json_build_object(" SCHEDULE_WEEK_FIELDS ")");

static const struct stmt stmt_copy_weeks = STMT("weeks_copy_weeks",
	"SELECT es_iso_date(es_week_start($1::date, es_first_weekday())),"
	"       es_iso_date(es_week_start($2::date, es_first_weekday()))");
/*
 * Copies the shifts of the week starting $1 to the week starting $2 at the
 * same weekday and local clock time in the workplace zone (a daylight
 * saving change between the weeks keeps 08:00 at 08:00); shifts of
 * inactive jobs stay behind, and so do shifts the target week already has
 * (a copy made twice copies nothing the second time). New ids are drawn first so that each copy
 * stays paired with its source within the one statement. One row per
 * source shift (new id NULL when left behind) or, when $4, per assignment
 * to copy, in the target week's order.
 */
static const struct stmt stmt_copy_shifts = STMT("weeks_copy_shifts",
	"WITH k AS (SELECT es_time_zone() AS tz, ($2::date - $1::date) * interval '1 day' AS shift_by,"
	"                  es_local_instant($1::date, '00:00') AS lo,"
	"                  es_local_instant($1::date + 7, '00:00') AS hi),"
	/* a shift already copied there (same job, same start) is not copied again */
	" src AS (SELECT s.*, CASE WHEN j.active AND NOT EXISTS (SELECT 1 FROM shifts t"
	"                            WHERE t.job_id = s.job_id"
	"                              AND t.starts_at = ((s.starts_at AT TIME ZONE k.tz) + k.shift_by)"
	"                                                AT TIME ZONE k.tz)"
	"                       THEN nextval(pg_get_serial_sequence('shifts', 'id')) END AS new_id,"
	"                ((s.starts_at AT TIME ZONE k.tz) + k.shift_by) AT TIME ZONE k.tz AS new_start,"
	"                ((s.ends_at AT TIME ZONE k.tz) + k.shift_by) AT TIME ZONE k.tz AS new_end"
	"           FROM k JOIN shifts s ON s.starts_at >= k.lo AND s.starts_at < k.hi"
	"           JOIN jobs j ON j.id = s.job_id),"
	" ins AS (INSERT INTO shifts (id, job_id, starts_at, ends_at, required, client_po_number,"
	"                             description, special_instructions, created_by)"
	"         OVERRIDING SYSTEM VALUE"
	"         SELECT new_id, job_id, new_start,"
	"                CASE WHEN new_end > new_start THEN new_end"
	"                     ELSE new_start + (ends_at - starts_at) END,"
	"                required, client_po_number, description, special_instructions, $3::bigint"
	"           FROM src WHERE new_id IS NOT NULL)"
	" SELECT src.id, src.new_id, a.user_id, a.role"
	"   FROM src LEFT JOIN assignments a"
	"        ON a.shift_id = src.id AND src.new_id IS NOT NULL AND $4::boolean"
	"  ORDER BY src.new_start, src.id, a.role, a.user_id");
/* The people whose assignments are copied, locked as an assignment locks its person. */
static const struct stmt stmt_copy_lock_people = STMT("weeks_copy_lock_people",
	"SELECT id FROM users WHERE id = ANY ($1::bigint[]) ORDER BY id FOR NO KEY UPDATE");
/* One assignment into its new shift when it breaks no rule there, hard or soft; else the rules. */
static const struct stmt stmt_copy_assignment = STMT("weeks_copy_assignment",
	"WITH p AS (SELECT json_agg(json_build_object('rule', rule, 'soft', soft, 'detail', detail)"
	"                           ORDER BY soft, rule) AS rules"
	"             FROM es_assignment_problems($1::bigint, $2::bigint, $3::text)),"
	" ins AS (INSERT INTO assignments (shift_id, user_id, role, created_by)"
	"         SELECT $1::bigint, $2::bigint, $3::text, $4::bigint FROM p WHERE p.rules IS NULL)"
	" SELECT p.rules FROM p");

static const struct stmt stmt_week_conflicts = STMT("weeks_conflicts",
	"SELECT json_build_object('week_start', w.week_start, 'week_end', w.week_start + 6,"
	"  'items', coalesce((SELECT json_agg(json_build_object("
	"        'shift_id', a.shift_id, 'starts_at', s.starts_at, 'user_id', a.user_id,"
	"        'name', u.name, 'role', a.role, 'rules', p.rules)"
	"        ORDER BY s.starts_at, s.id, u.name, a.user_id, a.role)"
	"      FROM shifts s JOIN assignments a ON a.shift_id = s.id JOIN users u ON u.id = a.user_id,"
	"           LATERAL (SELECT json_agg(json_build_object('rule', rule, 'soft', soft, 'detail', detail)"
	"                                    ORDER BY soft, rule) AS rules"
	"                      FROM es_assignment_problems(a.shift_id, a.user_id, a.role, true)) p"
	"     WHERE s.starts_at >= es_local_instant(w.week_start, '00:00')"
	"       AND s.starts_at < es_local_instant(w.week_start + 7, '00:00')"
	"       AND p.rules IS NOT NULL), '[]'))"
	"  FROM " SCHEDULE_WEEK_ROW);


static const struct refusal r_not_published = REFUSAL(404, "not_found", "This week is not published"),
	r_window_order = INVALID("closes_at", "must be after opens_at"),
	r_same_week = INVALID("to", "must be another week");

/* The audit id of a week: its first day "2026-03-02" as 20260302. */
static long long week_audit_id(const char *iso)
{
	long long id = 0;

	for (; *iso; iso++)
		if (*iso >= '0' && *iso <= '9')
			id = id * 10 + (*iso - '0');
	return id;
}

/* The week's first day and the two versions its rendered view depends on (sql/010). */
static const struct stmt stmt_week_versions = STMT("weeks_versions",
	"SELECT es_iso_date(w),"
	"       coalesce((SELECT version FROM schedule_versions WHERE week_start = w), 0),"
	"       (SELECT version FROM schedule_versions WHERE week_start = '-infinity'),"
	/* the view says whether the request window is open: it expires at the next edge */
	"       coalesce((SELECT extract(epoch FROM CASE WHEN request_opens_at > now() THEN request_opens_at"
	"                                               WHEN request_closes_at > now() THEN request_closes_at"
	"                                          END)::bigint"
	"                   FROM schedule_weeks WHERE week_start = w), 0)"
	"  FROM es_week_start($1::date, es_first_weekday()) AS w");

/*
 * Managers all see the same view of a week, so each worker keeps it
 * (handlers/week_cache.c) for as long as the week's version and the shared
 * one stay the same: one primary-key read instead of rendering ~160 KB of
 * JSON. The versions are read before rendering, so a view is never kept
 * under a version newer than its data.
 */
static int manager_week(struct request *req, const char *date, const char *const *viewer)
{
	char week_start[11] = "";
	long long week_v = 0, shared_v = 0, expires = 0;
	PGresult *r = NULL;

	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_week_versions, date);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	snprintf(week_start, sizeof(week_start), "%s", PQgetvalue(r, 0, 0));
	week_v = atoll(PQgetvalue(r, 0, 1));
	shared_v = atoll(PQgetvalue(r, 0, 2));
	expires = atoll(PQgetvalue(r, 0, 3));
	strbuf_reset(&req->resp.body);
	if (week_cache_get(week_start, week_v, shared_v, &req->resp.body)) {
		req->resp.status = 200;
		req->resp.content_type = "application/json";
		return 0;
	}
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_week_get), date, viewer[0], viewer[1]);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	week_cache_put(week_start, week_v, shared_v, (time_t)expires, PQgetvalue(r, 0, 0),
		       (size_t)PQgetlength(r, 0, 0));
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int weeks_get(struct request *req)
{
	const char *date, *viewer[2];
	PGresult *r = NULL;

	if (param_date(req, "date", &date))
		return 0;
	viewer_params(req, viewer);
	if (viewer_kind(req) == VIEWER_MANAGER)
		return manager_week(req, date, viewer);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_week_get), date, viewer[0], viewer[1]);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (PQgetisnull(r, 0, 0))
		return refusal_send(req, &r_not_published);
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

/*
 * One change to a week's row: lock (creating the row), update with $1 the
 * week's first day and args after it, audit. An update that matches no row
 * is refused with no_row.
 */
struct week_change {
	const char *action;
	const struct stmt *stmt;
	const char *args[2];
	int nargs;
	const struct refusal *no_row;
};

static int week_change(struct request *req, const char *date, const struct week_change *c)
{
	struct write_op w;

	write_init(&w, req, "schedule_week", 0);
	DB_TX(req, tx) {
		const char *params[3];
		PGresult *r = DB_EXEC(&tx, &stmt_week_lock, date);

		if (!r)
			continue;
		write_lock(&w, r, NULL);   /* the week has a row now */
		params[0] = PQgetvalue(r, 0, 1);
		write_id(&w, week_audit_id(params[0]));
		memcpy(params + 1, c->args, (size_t)c->nargs * sizeof(*params));
		r = db_exec(&tx, c->stmt, 1 + c->nargs, params);
		if (!r)
			continue;
		if (write_refuse(&w, PQntuples(r) ? NULL : c->no_row))
			break;
		if (write_audit(&w, &tx, c->action, PQgetvalue(r, 0, 0)))
			continue;
	}
	return write_answer(&w, 200);
}

int weeks_publish(struct request *req)
{
	struct week_change c = { "publish", &stmt_week_publish, { NULL, NULL }, 1, NULL };
	const char *date;

	if (param_date(req, "date", &date))
		return 0;
	c.args[0] = param_text(req, req->user->id);
	return week_change(req, date, &c);
}

int weeks_unpublish(struct request *req)
{
	static const struct week_change c = {
		"unpublish", &stmt_week_unpublish, { NULL, NULL }, 0, NULL,
	};
	const char *date;

	if (param_date(req, "date", &date))
		return 0;
	return week_change(req, date, &c);
}

/*
 * RFC 3339 with an offset, as the database reads it: offsets within ±14:00
 * (the real ones; it takes ±15:59) and no fraction of a leap second.
 */
static bool instant_ok(const char *s)
{
	size_t n = strlen(s);

	if (!text_is_rfc3339(s) || (s[17] == '6' && s[19] == '.'))
		return false;
	return s[n - 1] == 'Z' || s[n - 1] == 'z' || (s[n - 5] - '0') * 10 + (s[n - 4] - '0') <= 14;
}

int weeks_set_request_window(struct request *req)
{
	static const struct field fields[] = {
		{ "opens_at", FIELD_STRING, true, 1, 40 },
		{ "closes_at", FIELD_STRING, true, 1, 40 },
	};
	struct json_object *v[2], *details = NULL;
	struct week_change c = {
		"request_window", &stmt_week_window, { NULL, NULL }, 2, &r_window_order,
	};
	const char *date;

	if (param_date(req, "date", &date) || body_validate(req, fields, 2, v))
		return 0;
	c.args[0] = field_string(v[0]);
	c.args[1] = field_string(v[1]);
	if (!instant_ok(c.args[0]))
		details_add(&details, "opens_at", "must be an RFC 3339 time with an offset");
	if (!instant_ok(c.args[1]))
		details_add(&details, "closes_at", "must be an RFC 3339 time with an offset");
	if (details)
		return refusal_send_with(req, &refusal_invalid, details);
	return week_change(req, date, &c);
}

/*
 * closed_days: distinct weekday names. Returns the days as a set of flags
 * (bit i: vocabulary_weekdays[i]) for the default_parts check.
 */
static unsigned check_closed_days(struct json_object *days, struct json_object **details)
{
	unsigned closed = 0;
	size_t i, n = json_object_array_length(days);
	char field[48];

	if (n > vocabulary_count(vocabulary_weekdays)) {
		details_add(details, "closed_days", "at most the 7 days of the week");
		return 0;
	}
	for (i = 0; i < n; i++) {
		int d = vocabulary_index(vocabulary_weekdays,
					 field_string(json_object_array_get_idx(days, i)));

		snprintf(field, sizeof(field), "closed_days[%zu]", i);
		if (d < 0)
			details_add(details, field, "not a weekday (monday ... sunday)");
		else if (closed & (1u << d))
			details_add(details, field, "named twice");
		else
			closed |= 1u << d;
	}
	return closed;
}

/* default_parts: {weekday: [distinct shift parts]}, never for a closed day. */
static void check_default_parts(struct json_object *parts, unsigned closed,
				struct json_object **details)
{
	char field[64];

	json_object_object_foreach(parts, day, list) {
		int d = vocabulary_index(vocabulary_weekdays, day);
		unsigned seen = 0;
		size_t i, n;

		snprintf(field, sizeof(field), "default_parts.%.20s", day);
		if (d < 0) {
			details_add(details, field, "not a weekday (monday ... sunday)");
			continue;
		}
		if (!json_object_is_type(list, json_type_array) ||
		    json_object_array_length(list) > vocabulary_count(vocabulary_shift_parts)) {
			details_add(details, field, "must be a list of shift parts (morning, noon, evening)");
			continue;
		}
		if (closed & (1u << d)) {
			details_add(details, field, "the day is closed");
			continue;
		}
		n = json_object_array_length(list);
		for (i = 0; i < n; i++) {
			int p = vocabulary_index(vocabulary_shift_parts,
						 field_string(json_object_array_get_idx(list, i)));

			snprintf(field, sizeof(field), "default_parts.%.20s[%zu]", day, i);
			if (p < 0)
				details_add(details, field, "not a shift part (morning, noon, evening)");
			else if (seen & (1u << p))
				details_add(details, field, "named twice");
			else
				seen |= 1u << p;
		}
	}
}

int weeks_set_preferences(struct request *req)
{
	static const struct field fields[] = {
		{ "closed_days", FIELD_ARRAY, false, 0, 0 },
		{ "default_parts", FIELD_OBJECT, false, 0, 0 },
	};
	struct json_object *v[2], *details = NULL, *doc;
	struct week_change c = {
		"preferences", &stmt_week_preferences, { NULL, NULL }, 1, NULL,
	};
	unsigned closed = 0;
	const char *date;

	if (param_date(req, "date", &date) || body_validate(req, fields, 2, v))
		return 0;
	if (v[0])
		closed = check_closed_days(v[0], &details);
	if (v[1])
		check_default_parts(v[1], closed, &details);
	if (details)
		return refusal_send_with(req, &refusal_invalid, details);
	doc = json_object_new_object();
	if (v[0])
		json_object_object_add(doc, "closed_days", json_object_get(v[0]));
	if (v[1])
		json_object_object_add(doc, "default_parts", json_object_get(v[1]));
	c.args[0] = arena_strdup(&req->arena, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
	return week_change(req, date, &c);
}

/* What a copy did, rebuilt on every run of the transaction body. */
struct copy_outcome {
	struct json_object *shifts;               /* [{source_id, id}] */
	struct json_object *skipped_shifts;       /* [{source_id, reason}] */
	struct json_object *skipped_assignments;  /* [{source_shift_id, shift_id, user_id, role, rules}] */
	long long assignments;
};

static void copy_outcome_release(struct copy_outcome *o)
{
	json_object_put(o->shifts);
	json_object_put(o->skipped_shifts);
	json_object_put(o->skipped_assignments);
	memset(o, 0, sizeof(*o));
}

static void copy_outcome_init(struct copy_outcome *o)
{
	o->shifts = json_object_new_array();
	o->skipped_shifts = json_object_new_array();
	o->skipped_assignments = json_object_new_array();
	o->assignments = 0;
}

/* Pairs of shifts (rows of stmt_copy_shifts) into the outcome; the people to lock as "{1,2}". */
static const char *copy_note_shifts(struct request *req, PGresult *r, struct copy_outcome *o)
{
	struct strbuf people = STRBUF_INIT;
	const char *out;
	int i, n = PQntuples(r);

	strbuf_addch(&people, '{');
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(PQgetvalue(r, i, 0), PQgetvalue(r, i - 1, 0))) {
			struct json_object *pair = json_object_new_object();

			json_object_object_add(pair, "source_id",
					       json_object_new_int64(atoll(PQgetvalue(r, i, 0))));
			if (PQgetisnull(r, i, 1)) {
				json_object_object_add(pair, "reason", json_object_new_string("job_inactive"));
				json_object_array_add(o->skipped_shifts, pair);
			} else {
				json_object_object_add(pair, "id",
						       json_object_new_int64(atoll(PQgetvalue(r, i, 1))));
				json_object_array_add(o->shifts, pair);
			}
		}
		if (!PQgetisnull(r, i, 2)) {
			if (people.len > 1)
				strbuf_addch(&people, ',');
			strbuf_addstr(&people, PQgetvalue(r, i, 2));
		}
	}
	strbuf_addch(&people, '}');
	out = arena_strndup(&req->arena, people.buf, people.len);
	strbuf_release(&people);
	return out;
}

static struct json_object *copy_skipped(PGresult *r, int row, const char *rules)
{
	struct json_object *s = json_object_new_object();

	json_object_object_add(s, "source_shift_id", json_object_new_int64(atoll(PQgetvalue(r, row, 0))));
	json_object_object_add(s, "shift_id", json_object_new_int64(atoll(PQgetvalue(r, row, 1))));
	json_object_object_add(s, "user_id", json_object_new_int64(atoll(PQgetvalue(r, row, 2))));
	json_object_object_add(s, "role", json_object_new_string(PQgetvalue(r, row, 3)));
	json_object_object_add(s, "rules", json_tokener_parse(rules));
	return s;
}

static struct json_object *copy_summary(const char *from, const char *to, struct copy_outcome *o)
{
	struct json_object *s = json_object_new_object();

	json_object_object_add(s, "from_week_start", json_object_new_string(from));
	json_object_object_add(s, "to_week_start", json_object_new_string(to));
	json_object_object_add(s, "shifts_copied",
			       json_object_new_int64((int64_t)json_object_array_length(o->shifts)));
	json_object_object_add(s, "assignments_copied", json_object_new_int64(o->assignments));
	json_object_object_add(s, "shifts", json_object_get(o->shifts));
	json_object_object_add(s, "skipped_shifts", json_object_get(o->skipped_shifts));
	json_object_object_add(s, "skipped_assignments", json_object_get(o->skipped_assignments));
	return s;
}

int weeks_copy(struct request *req)
{
	static const struct field fields[] = {
		{ "to", FIELD_STRING, true, 1, 10 },
		{ "assignments", FIELD_BOOL, false, 0, 0 },
	};
	struct json_object *v[2];
	struct copy_outcome o = { 0 };
	const char *date, *to, *actor;
	struct write_op w;

	if (param_date(req, "date", &date) || body_validate(req, fields, 2, v))
		return 0;
	to = field_string(v[0]);
	if (!text_is_date(to))
		return param_invalid(req, "to", "must be a date YYYY-MM-DD");
	actor = param_text(req, req->user->id);
	write_init(&w, req, "schedule_week", 0);
	DB_TX(req, tx) {
		PGresult *weeks, *r;
		const char *from_week, *to_week, *people, *after;
		struct json_object *summary;
		int i, n;

		copy_outcome_release(&o);
		weeks = DB_EXEC(&tx, &stmt_copy_weeks, date, to);
		if (!weeks)
			continue;
		from_week = PQgetvalue(weeks, 0, 0);
		to_week = PQgetvalue(weeks, 0, 1);
		if (write_refuse(&w, strcmp(from_week, to_week) ? NULL : &r_same_week))
			break;
		/* copies into one week take turns, so a repeated copy finds the first one's shifts */
		if (!DB_EXEC(&tx, &stmt_week_lock, to_week))
			continue;
		copy_outcome_init(&o);
		r = DB_EXEC(&tx, &stmt_copy_shifts, from_week, to_week, actor,
			    v[1] && json_object_get_boolean(v[1]) ? "true" : "false");
		if (!r)
			continue;
		people = copy_note_shifts(req, r, &o);
		if (!DB_EXEC(&tx, &stmt_copy_lock_people, people))
			continue;
		n = PQntuples(r);
		for (i = 0; i < n; i++) {
			PGresult *p;

			if (PQgetisnull(r, i, 2))
				continue;
			p = DB_EXEC(&tx, &stmt_copy_assignment, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
				    PQgetvalue(r, i, 3), actor);
			if (!p)
				break;
			if (PQgetisnull(p, 0, 0))
				o.assignments++;
			else
				json_object_array_add(o.skipped_assignments, copy_skipped(r, i, PQgetvalue(p, 0, 0)));
		}
		if (i < n)
			continue;   /* an assignment failed: the scope retries or gives up */
		summary = copy_summary(from_week, to_week, &o);
		after = arena_strdup(&req->arena, json_object_to_json_string_ext(
			summary, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(summary);
		write_id(&w, week_audit_id(to_week));
		if (write_audit(&w, &tx, "copy", after))
			continue;
	}
	copy_outcome_release(&o);
	return write_answer(&w, 201);
}

int weeks_conflicts(struct request *req)
{
	const char *date;
	PGresult *r = NULL;

	if (param_date(req, "date", &date))
		return 0;
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_week_conflicts, date);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}
