/*
 * Availability (SPEC §2 "availability", §3 "Shifts and schedule"). Workers
 * say, per day and shift part of a week, whether they are available,
 * unavailable or would prefer to work, while the week's request window is
 * open (a week without a window is closed); a new submission replaces the
 * previous one. Managers read the whole week: who answered what, who has
 * not answered. Submissions land in the audit log as entity availability,
 * the worker's id as its id.
 */
#include "handlers/enhanced_schedule.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/schedule_week.h"
#include "handlers/vocabulary.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

/* Each day and shift part of a week at most once. */
#define MAX_ENTRIES 21

#define ACTIVE_EMPLOYEE "u.role = 'employee' AND u.active AND u.approved"

static const struct stmt stmt_week_availability = STMT("availability_week",
	"SELECT json_build_object(" SCHEDULE_WEEK_FIELDS ","
	"  'items', coalesce((SELECT json_agg(json_build_object('user_id', u.id, 'name', u.name,"
	"        'availability', CASE WHEN v.user_id IS NOT NULL THEN json_build_object("
	"            'entries', v.entries, 'note', v.note, 'submitted_at', v.submitted_at) END)"
	"        ORDER BY u.name, u.id)"
	"      FROM users u LEFT JOIN availability v ON v.user_id = u.id AND v.week_start = w.week_start"
	"     WHERE " ACTIVE_EMPLOYEE "), '[]'),"
	"  'missing', coalesce((SELECT json_agg(json_build_object('user_id', u.id, 'name', u.name)"
	"                                       ORDER BY u.name, u.id)"
	"      FROM users u"
	"     WHERE " ACTIVE_EMPLOYEE
	"       AND NOT EXISTS (SELECT 1 FROM availability v"
	"                        WHERE v.user_id = u.id AND v.week_start = w.week_start)), '[]'))"
	"  FROM " SCHEDULE_WEEK_ROW);
static const struct stmt stmt_mine = STMT("availability_mine",
	"SELECT json_build_object(" SCHEDULE_WEEK_FIELDS ","
	"  'entries', coalesce(v.entries, '[]'), 'note', v.note, 'submitted_at', v.submitted_at)"
	"  FROM " SCHEDULE_WEEK_ROW
	"  LEFT JOIN availability v ON v.week_start = w.week_start AND v.user_id = $2::bigint");
/*
 * The week's first and last day and whether its window is open now. The
 * week row is share-locked: a manager moving the window waits for a
 * submission in flight, and the other way round.
 */
static const struct stmt stmt_window = STMT("availability_window",
	"WITH k AS (SELECT es_week_start($1::date, es_first_weekday()) AS ws),"
	" sw AS (SELECT * FROM schedule_weeks WHERE week_start = (SELECT ws FROM k) FOR SHARE)"
	" SELECT es_iso_date(k.ws), es_iso_date(k.ws + 6),"
	"        coalesce(now() >= sw.request_opens_at AND now() < sw.request_closes_at, false),"
	"        to_json(sw.request_opens_at) #>> '{}', to_json(sw.request_closes_at) #>> '{}'"
	"   FROM k LEFT JOIN sw ON true");
/* Replaces the submission (entries in day and part order); the submission before and after. */
static const struct stmt stmt_submit = STMT("availability_submit",
	"WITH before AS (SELECT json_build_object('week_start', week_start, 'entries', entries,"
	"                                         'note', note, 'submitted_at', submitted_at) AS doc"
	"                  FROM availability WHERE user_id = $1::bigint AND week_start = $2::date"
	"                   FOR UPDATE),"
	" up AS (INSERT INTO availability AS v (user_id, week_start, entries, note, submitted_at)"
	"        SELECT $1::bigint, $2::date,"
	"               coalesce(jsonb_agg(e ORDER BY e ->> 'date',"
	"                                  array_position(es_shift_parts(), e ->> 'part')), '[]'),"
	"               $4, now()"
	"          FROM jsonb_array_elements($3::jsonb) AS e"
	"        ON CONFLICT (user_id, week_start) DO UPDATE"
	"           SET entries = excluded.entries, note = excluded.note,"
	"               submitted_at = excluded.submitted_at"
	"        RETURNING json_build_object('week_start', v.week_start, 'entries', v.entries,"
	"                                    'note', v.note, 'submitted_at', v.submitted_at) AS doc)"
	" SELECT (SELECT doc FROM before), (SELECT doc FROM up)");

static const char *const states[] = { "available", "unavailable", "preferred", NULL };

static const struct refusal r_entries_invalid =
	REFUSAL(422, "validation_failed", "Some entries are not valid"),
	r_window_closed = CONFLICT("request_window_closed",
				   "This week's availability request window is not open");

static const char *member_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? field_string(v) : NULL;
}

/* Why entry e is not {date, part, state} with known values; NULL when it is. */
static const char *entry_problem(struct json_object *e)
{
	if (!json_object_is_type(e, json_type_object))
		return "must be an object {date, part, state}";
	json_object_object_foreach(e, key, val) {
		(void)val;
		if (strcmp(key, "date") && strcmp(key, "part") && strcmp(key, "state"))
			return "unknown field: an entry has only date, part and state";
	}
	if (!member_string(e, "date") || !text_is_date(member_string(e, "date")))
		return "date must be a date YYYY-MM-DD";
	if (!text_one_of(member_string(e, "part"), vocabulary_shift_parts))
		return "part must be morning, noon or evening";
	if (!text_one_of(member_string(e, "state"), states))
		return "state must be available, unavailable or preferred";
	return NULL;
}

static void entry_field(char *buf, size_t cap, size_t i)
{
	snprintf(buf, cap, "entries[%zu]", i);
}

/* Every entry's shape, and each date and part at most once; problems into *details. */
static void check_entries(struct json_object *entries, struct json_object **details)
{
	size_t i, j, n = json_object_array_length(entries);
	char field[32];

	if (n > MAX_ENTRIES) {
		*details = json_object_new_object();
		json_object_object_add(*details, "entries",
				       json_object_new_string("at most 21 entries: each day and part once"));
		return;
	}
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(entries, i);
		const char *why = entry_problem(e);

		for (j = 0; !why && j < i; j++) {
			struct json_object *o = json_object_array_get_idx(entries, j);

			if (!entry_problem(o) &&
			    !strcmp(member_string(o, "date"), member_string(e, "date")) &&
			    !strcmp(member_string(o, "part"), member_string(e, "part")))
				why = "the same date and part as an earlier entry";
		}
		if (why) {
			if (!*details)
				*details = json_object_new_object();
			entry_field(field, sizeof(field), i);
			json_object_object_add(*details, field, json_object_new_string(why));
		}
	}
}

/* Entries dated outside [first, last] (ISO dates compare as text); NULL when none. */
static struct json_object *entries_outside(struct json_object *entries, const char *first,
					   const char *last)
{
	struct json_object *details = NULL;
	size_t i, n = json_object_array_length(entries);
	char field[32];

	for (i = 0; i < n; i++) {
		const char *date = member_string(json_object_array_get_idx(entries, i), "date");

		if (strcmp(date, first) >= 0 && strcmp(date, last) <= 0)
			continue;
		if (!details)
			details = json_object_new_object();
		entry_field(field, sizeof(field), i);
		json_object_object_add(details, field, json_object_new_string("date outside the week"));
	}
	return details;
}

int availability_week(struct request *req)
{
	const char *date;
	PGresult *r = NULL;

	if (param_date(req, "date", &date))
		return 0;
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_week_availability, date);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int availability_mine(struct request *req)
{
	const char *date;
	PGresult *r = NULL;

	if (param_date(req, "date", &date))
		return 0;
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_mine, date, param_text(req, req->user->id));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

static struct json_object *text_or_null(PGresult *r, int column)
{
	return PQgetisnull(r, 0, column) ? NULL : json_object_new_string(PQgetvalue(r, 0, column));
}

/* The week's request window (a row of stmt_window): the refusal when it is not open, or NULL. */
static const struct refusal *window_refusal(struct request *req, PGresult *week)
{
	struct refusal *r;

	if (PQgetvalue(week, 0, 2)[0] == 't')
		return NULL;
	r = refusal_new(req, &r_window_closed, NULL);
	refusal_add(r, "opens_at", text_or_null(week, 3));
	return refusal_add(r, "closes_at", text_or_null(week, 4));
}

int availability_submit(struct request *req)
{
	static const struct field fields[] = {
		{ "entries", FIELD_ARRAY, true, 0, 0 },
		{ "note", FIELD_STRING, false, 0, 2000 },
	};
	struct json_object *v[2], *details = NULL;
	const char *date, *entries, *doc = NULL;
	struct write_op w;

	if (param_date(req, "date", &date) || body_validate(req, fields, 2, v))
		return 0;
	check_entries(v[0], &details);
	if (details)
		return refusal_send_with(req, &r_entries_invalid, details);
	entries = json_object_to_json_string_ext(v[0], JSON_C_TO_STRING_PLAIN);
	write_init(&w, req, "availability", req->user->id);
	DB_TX(req, tx) {
		PGresult *week = DB_EXEC(&tx, &stmt_window, date), *r;

		if (!week)
			continue;
		if (write_refuse(&w, window_refusal(req, week)))
			break;
		details = entries_outside(v[0], PQgetvalue(week, 0, 0), PQgetvalue(week, 0, 1));
		if (write_refuse(&w, details ? refusal_new(req, &r_entries_invalid, details) : NULL))
			break;
		r = DB_EXEC(&tx, &stmt_submit, w.id_text, PQgetvalue(week, 0, 0), entries,
			    field_string(v[1]));
		if (!r)
			continue;
		w.before = PQgetisnull(r, 0, 0) ? NULL : PQgetvalue(r, 0, 0);
		if (write_audit(&w, &tx, "submit", PQgetvalue(r, 0, 1)))
			continue;
		r = DB_EXEC(&tx, &stmt_mine, date, w.id_text);
		if (!r)
			continue;
		doc = PQgetvalue(r, 0, 0);
	}
	if (!write_done(&w))
		return write_answer(&w, 200);
	return resp_json_text(req, 200, doc, strlen(doc));
}
