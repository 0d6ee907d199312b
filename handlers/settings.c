/*
 * Settings (SPEC §3 "Settings and operations"): one validated document in
 * the settings table. Every signed-in user may read it (it holds no
 * secret); managers and admins change it with a partial document whose
 * top-level keys replace the stored ones. Each key is checked here, with a
 * reason per field; the schema's es_valid_settings is the last line.
 *
 * Nothing caches the document: every request that needs a setting reads it
 * from the database, so a change applies from the next request on, in
 * every worker.
 */
#include "handlers/settings.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/errors.h"
#include "handlers/vocabulary.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define MAX_TIERS 5

static const struct stmt stmt_settings_get = STMT("settings_get",
	"SELECT doc::text FROM settings WHERE id = 1");
static const struct stmt stmt_settings_lock = STMT("settings_lock",
	"SELECT doc::text FROM settings WHERE id = 1 FOR UPDATE");
/*
 * Schedule weeks are keyed by their first day: moving the first weekday
 * while weeks exist would cut their publication and availability loose.
 */
static const struct stmt stmt_week_start_in_use = STMT("settings_week_start_in_use",
	"SELECT (SELECT doc ->> 'week_start' FROM settings WHERE id = 1) IS DISTINCT FROM $1"
	"       AND EXISTS (SELECT 1 FROM schedule_weeks)");
static const struct stmt stmt_zone_known = STMT("settings_zone_known",
	"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)");
static const struct stmt stmt_settings_update = STMT("settings_update",
	"UPDATE settings SET doc = doc || $1::jsonb, updated_at = now(), updated_by = $2::bigint"
	" WHERE id = 1 RETURNING doc::text");

static const struct refusal r_settings_invalid =
	REFUSAL(422, "validation_failed", "Some settings are not valid"),
	r_unknown_zone = INVALID("time_zone", "unknown time zone"),
	r_week_start_in_use = CONFLICT("week_start_in_use",
				      "Schedule weeks exist: the first day of the week cannot change now");

enum key {
	K_TIME_ZONE, K_WEEK_START, K_SHIFT_PARTS, K_MAX_CLOCK_PAIRS, K_MIN_REST_HOURS,
	K_ALLOW_OVERLAP, K_CLOCK_WINDOW, K_OVERTIME, K_SESSION_TIMEOUT, K_SESSION_LIFETIME,
	K_SIGNUP, K_GOOGLE_SIGNUP, K_GOOGLE_LINK, K_HOSTED_DOMAIN, NKEYS
};

/* The document's keys and their JSON types; the rules follow in settings_check(). */
static const struct field keys[NKEYS] = {
	[K_TIME_ZONE] = { "time_zone", FIELD_STRING, false, 0, 0 },
	[K_WEEK_START] = { "week_start", FIELD_STRING, false, 0, 0 },
	[K_SHIFT_PARTS] = { "shift_parts", FIELD_OBJECT, false, 0, 0 },
	[K_MAX_CLOCK_PAIRS] = { "max_clock_pairs", FIELD_INT, false, 0, 0 },
	[K_MIN_REST_HOURS] = { "min_rest_hours", FIELD_INT, false, 0, 0 },
	[K_ALLOW_OVERLAP] = { "allow_overlapping_shifts", FIELD_BOOL, false, 0, 0 },
	[K_CLOCK_WINDOW] = { "clock_window_hours", FIELD_INT, false, 0, 0 },
	[K_OVERTIME] = { "overtime", FIELD_OBJECT, false, 0, 0 },
	[K_SESSION_TIMEOUT] = { "session_timeout_minutes", FIELD_INT, false, 0, 0 },
	[K_SESSION_LIFETIME] = { "session_lifetime_days", FIELD_INT, false, 0, 0 },
	[K_SIGNUP] = { "signup_enabled", FIELD_BOOL, false, 0, 0 },
	[K_GOOGLE_SIGNUP] = { "google_signup_enabled", FIELD_BOOL, false, 0, 0 },
	[K_GOOGLE_LINK] = { "google_link_by_email", FIELD_BOOL, false, 0, 0 },
	[K_HOSTED_DOMAIN] = { "google_hosted_domain", FIELD_STRING, false, 0, 0 },
};

static const struct {
	enum key key;
	long min, max;
	const char *reason;
} int_ranges[] = {
	{ K_MAX_CLOCK_PAIRS, 1, 10, "an integer from 1 to 10" },
	{ K_MIN_REST_HOURS, 0, 48, "an integer from 0 to 48" },
	{ K_CLOCK_WINDOW, 0, 72, "an integer from 0 to 72" },
	{ K_SESSION_TIMEOUT, 5, 10080, "an integer from 5 to 10080" },
	{ K_SESSION_LIFETIME, 1, 90, "an integer from 1 to 90" },
};


static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The shape of a zone name ("Europe/Paris", "Etc/GMT+5"); PostgreSQL says whether it exists. */
static bool zone_name_shaped(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 1; i < n; i++)
		if (!is_alnum(s[i]) && !strchr("_+/-", s[i]))
			return false;
	return true;
}

/* A lower-case DNS name with at least two labels: "example.com". */
static bool domain_valid(const char *s)
{
	size_t label = 0, labels = 1, n = strlen(s), i;

	if (n < 3 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (!label || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label)) {
			label++;
		} else {
			return false;
		}
	}
	return label && s[n - 1] != '-' && labels >= 2;
}

/* "HH:MM" from 00:00 to 23:59, or 24:00. */
static bool hhmm_valid(struct json_object *v)
{
	const char *s = field_string(v);

	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	if (!strcmp(s, "24:00"))
		return true;
	return s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[3] >= '0' &&
	       s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && (s[0] < '2' || s[1] <= '3');
}

/* True when obj is an object with exactly the n given keys. */
static bool has_exactly(struct json_object *obj, const char *const *names, size_t n)
{
	size_t i;

	if (!json_object_is_type(obj, json_type_object) || (size_t)json_object_object_length(obj) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!json_object_object_get_ex(obj, names[i], NULL))
			return false;
	return true;
}

/* {"morning": {"start": "08:00", "end": "12:00"}, "noon": ..., "evening": ...}; start < end. */
static void check_shift_parts(struct json_object *parts, struct json_object **details)
{
	static const char *const bounds[] = { "start", "end" };
	char field[48];
	size_t i;

	if (!has_exactly(parts, vocabulary_shift_parts, vocabulary_count(vocabulary_shift_parts))) {
		details_add(details, "shift_parts", "exactly morning, noon and evening");
		return;
	}
	for (i = 0; vocabulary_shift_parts[i]; i++) {
		struct json_object *part = json_object_object_get(parts, vocabulary_shift_parts[i]);
		struct json_object *start = json_object_object_get(part, "start");
		struct json_object *end = json_object_object_get(part, "end");

		if (!has_exactly(part, bounds, 2) || !hhmm_valid(start) || !hhmm_valid(end) ||
		    strcmp(json_object_get_string(start), json_object_get_string(end)) >= 0) {
			snprintf(field, sizeof(field), "shift_parts.%s", vocabulary_shift_parts[i]);
			details_add(details, field, "{start, end}: HH:MM times, start before end");
		}
	}
}

/* True when hours is a whole number of minutes (to within float noise: 7.5, 8.25). */
static bool whole_minutes(double hours)
{
	double minutes = hours * 60, off = minutes - (double)(long long)(minutes + 0.5);

	return off > -1e-9 && off < 1e-9;
}

static bool is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/*
 * Overtime tiers: [{"after_hours": 8, "multiplier": 1.5}, ...], at most
 * MAX_TIERS, after_hours above 0, at most max_hours, a whole number of
 * minutes and ascending; multiplier from 1 to 10.
 */
static void check_tiers(struct json_object *tiers, const char *name, double max_hours,
			struct json_object **details)
{
	static const char *const tier_keys[] = { "after_hours", "multiplier" };
	char field[64], reason[96];
	double previous = 0;
	size_t i, n;

	if (!json_object_is_type(tiers, json_type_array)) {
		details_add(details, name, "an array of tiers {after_hours, multiplier}");
		return;
	}
	n = json_object_array_length(tiers);
	if (n > MAX_TIERS) {
		details_add(details, name, "at most 5 tiers");
		return;
	}
	for (i = 0; i < n; i++) {
		struct json_object *tier = json_object_array_get_idx(tiers, i), *after, *mult;
		double hours;

		if (!has_exactly(tier, tier_keys, 2)) {
			snprintf(field, sizeof(field), "%s[%zu]", name, i);
			details_add(details, field, "an object {after_hours, multiplier}");
			return;
		}
		after = json_object_object_get(tier, "after_hours");
		mult = json_object_object_get(tier, "multiplier");
		hours = is_number(after) ? json_object_get_double(after) : -1;
		snprintf(field, sizeof(field), "%s[%zu].after_hours", name, i);
		if (!(hours > 0 && hours <= max_hours)) {
			snprintf(reason, sizeof(reason), "a number of hours above 0, at most %g", max_hours);
			details_add(details, field, reason);
			return;
		}
		if (!whole_minutes(hours)) {
			details_add(details, field, "a whole number of minutes (8, 7.5, 8.25 ...)");
			return;
		}
		if (hours <= previous) {
			details_add(details, field, "thresholds must ascend");
			return;
		}
		previous = hours;
		snprintf(field, sizeof(field), "%s[%zu].multiplier", name, i);
		if (!is_number(mult) || !(json_object_get_double(mult) >= 1 &&
					  json_object_get_double(mult) <= 10)) {
			details_add(details, field, "a number from 1 to 10");
			return;
		}
	}
}

/* {"daily": [tiers], "weekly": [tiers]}: daily thresholds up to 24 hours, weekly up to 168. */
static void check_overtime(struct json_object *overtime, struct json_object **details)
{
	static const char *const periods[] = { "daily", "weekly" };

	if (!has_exactly(overtime, periods, 2)) {
		details_add(details, "overtime", "exactly daily and weekly");
		return;
	}
	check_tiers(json_object_object_get(overtime, "daily"), "overtime.daily", 24, details);
	check_tiers(json_object_object_get(overtime, "weekly"), "overtime.weekly", 168, details);
}

/* The rules of every given key (the types were checked); the reasons go to *details. */
static void settings_check(struct request *req, struct json_object *const *v,
			   struct json_object **details)
{
	size_t i;

	json_object_object_foreach(req->json, key, value) {
		if (!value && strcmp(key, keys[K_HOSTED_DOMAIN].name))
			details_add(details, key, "must not be null");
	}
	if (v[K_TIME_ZONE] && !zone_name_shaped(field_string(v[K_TIME_ZONE])))
		details_add(details, "time_zone", "a time zone name such as Europe/Paris");
	if (v[K_WEEK_START] && !text_one_of(field_string(v[K_WEEK_START]), vocabulary_weekdays))
		details_add(details, "week_start", "a weekday name in lower case (monday ...)");
	if (v[K_SHIFT_PARTS])
		check_shift_parts(v[K_SHIFT_PARTS], details);
	for (i = 0; i < sizeof(int_ranges) / sizeof(int_ranges[0]); i++) {
		struct json_object *x = v[int_ranges[i].key];

		if (x && (json_object_get_int64(x) < int_ranges[i].min ||
			  json_object_get_int64(x) > int_ranges[i].max))
			details_add(details, keys[int_ranges[i].key].name, int_ranges[i].reason);
	}
	if (v[K_OVERTIME])
		check_overtime(v[K_OVERTIME], details);
	if (v[K_HOSTED_DOMAIN] && !domain_valid(field_string(v[K_HOSTED_DOMAIN])))
		details_add(details, "google_hosted_domain", "a lower-case domain such as example.com, or null");
}

int settings_get(struct request *req)
{
	PGresult *r = NULL;

	DB_READ_ONE(req, tx) {
		r = DB_EXEC0(&tx, &stmt_settings_get);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int settings_update(struct request *req)
{
	struct json_object *v[NKEYS], *details = NULL;
	const char *zone, *change, *week_start;
	struct write_op w;

	if (body_validate(req, keys, NKEYS, v))
		return 0;
	settings_check(req, v, &details);
	if (details)
		return refusal_send_with(req, &r_settings_invalid, details);
	zone = field_string(v[K_TIME_ZONE]);
	week_start = field_string(v[K_WEEK_START]);
	change = json_object_to_json_string_ext(req->json, JSON_C_TO_STRING_PLAIN);
	write_init(&w, req, "settings", 1);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC0(&tx, &stmt_settings_lock);

		if (!r)
			continue;
		write_lock(&w, r, NULL);   /* the one settings row */
		if (zone) {
			r = DB_EXEC(&tx, &stmt_zone_known, zone);
			if (!r)
				continue;
			if (write_refuse(&w, PQgetvalue(r, 0, 0)[0] == 't' ? NULL : &r_unknown_zone))
				break;
		}
		if (week_start) {
			r = DB_EXEC(&tx, &stmt_week_start_in_use, week_start);
			if (!r)
				continue;
			if (write_refuse(&w, PQgetvalue(r, 0, 0)[0] == 't' ? &r_week_start_in_use : NULL))
				break;
		}
		r = DB_EXEC(&tx, &stmt_settings_update, change, param_text(req, req->user->id));
		if (!r)
			continue;
		/* a change to what is already there is no change: no audit row */
		w.after = PQgetvalue(r, 0, 0);
		if (strcmp(w.before, w.after) && write_audit(&w, &tx, "update", w.after))
			continue;
	}
	return write_answer(&w, 200);
}
