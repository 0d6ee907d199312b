/*
 * Who sees what, end to end (sql/012_visibility.sql): every kind of caller
 * sees the same shifts whichever route shows them (the list, /me/shifts,
 * one shift, the week, the time sheet), the same crew on each, the time
 * entries of what they see, and only their own company's jobs and details.
 * Two companies, one published week with a shift each caller is on or not,
 * and an unpublished week; data seeded with SQL in weeks no other suite uses.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "handlers/vocabulary.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

#define WEEK "2033-03-09"          /* published */
#define NEXT_WEEK "2033-03-16"     /* not published */
#define LIST_RANGE "from=2033-03-06T00:00:00Z&to=2033-03-21T00:00:00Z&limit=500"
#define ENTRY_RANGE "from=2033-03-06&to=2033-03-20&limit=500"

enum { MANAGER, WORKER, CHIEF, MATE, CLIENT_A, CLIENT_B, CLIENT_NONE, NCALLERS };
static const char *const usernames[NCALLERS] = {
	"vis-manager", "vis-worker", "vis-chief", "vis-mate", "vis-client-a", "vis-client-b",
	"vis-client-none",
};
static struct principal callers[NCALLERS];

/*
 * The shifts: company A's led by the chief with the worker and the mate,
 * A's with the mate only, B's with the worker, A's in the unpublished week.
 */
enum { LED, OTHER, B_SHIFT, UNPUBLISHED, NSHIFTS };
static long long shifts[NSHIFTS];
static long long job_a, job_b, company_a, company_b;

/* Who sees which: managers all; in published weeks, workers theirs, clients their company's. */
static const bool sees[NCALLERS][NSHIFTS] = {
	[MANAGER] = { true, true, true, true },
	[WORKER] = { true, false, true, false },
	[CHIEF] = { true, false, false, false },
	[MATE] = { true, true, false, false },
	[CLIENT_A] = { true, true, false, false },
	[CLIENT_B] = { false, false, true, false },
	[CLIENT_NONE] = { false, false, false, false },
};

/* GET path as caller c: the parsed body (the caller puts it), the status in *status. */
static struct json_object *get(int c, const char *path, long *status)
{
	return call_json(&callers[c], "GET", path, NULL, status);
}

/* The object of array a whose member key ("id", "user_id") is id, or NULL. */
static struct json_object *find(struct json_object *a, const char *key, long long id)
{
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		if (int_at(o, key) == id)
			return o;
	}
	return NULL;
}

/* True when array a holds an object with that key (such as "id") equal to id. */
static bool listed(struct json_object *a, const char *key, long long id)
{
	return find(a, key, id) != NULL;
}

/* The names on a shift document's assignments, in their order, joined by commas. */
static void crew_names(struct json_object *shift, char *out, size_t cap)
{
	struct json_object *list = at(shift, "assignments");
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; list && i < json_object_array_length(list); i++) {
		struct json_object *one = json_object_array_get_idx(list, i);

		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i ? "," : "",
					str_at(one, "name"));
	}
}

static long long user_id(int c)
{
	return callers[c].user_id;
}

static void assign(long long shift, int c, const char *role)
{
	seed_assign(shift, user_id(c), role);
}

/* A closed entry for caller c on the shift, approved or only submitted. */
static void entry(long long shift, int c, bool approved)
{
	sql("WITH e AS (INSERT INTO time_entries (assignment_id, status, submitted_at, approved_at)"
	    "           SELECT a.id, 'clocked_out', now(), %s FROM assignments a"
	    "            WHERE a.shift_id = %lld AND a.user_id = %lld RETURNING id)"
	    " INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in, clock_out)"
	    " SELECT e.id, 1, s.starts_at, s.ends_at FROM e, shifts s WHERE s.id = %lld",
	    approved ? "now()" : "NULL", shift, user_id(c), shift);
}

/* Shift s fetched alone and its time sheet, as caller c: both there, or both 404. */
static void expect_fetch(int c, int s)
{
	char path[96];
	long one, sheet;

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", shifts[s]);
	json_object_put(get(c, path, &one));
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", shifts[s]);
	json_object_put(get(c, path, &sheet));
	if (one != (sees[c][s] ? 200 : 404) || sheet != one)
		fprintf(stderr, "%s, shift %d: %ld, sheet %ld\n", usernames[c], s, one, sheet);
	CU_ASSERT_EQUAL(one, sees[c][s] ? 200 : 404);
	CU_ASSERT_EQUAL(sheet, one);
}

static void test_each_caller_sees_the_same_shifts_on_every_route(void)
{
	int c, s;

	for (c = 0; c < NCALLERS; c++) {
		bool employee = c == WORKER || c == CHIEF || c == MATE;
		long status, week_status, next_status, mine_status = 0;
		struct json_object *list, *week, *next, *mine = NULL;

		list = get(c, "/api/v1/shifts?" LIST_RANGE, &status);
		week = get(c, "/api/v1/schedule/weeks/" WEEK, &week_status);
		next = get(c, "/api/v1/schedule/weeks/" NEXT_WEEK, &next_status);
		if (employee)
			mine = get(c, "/api/v1/me/shifts?" LIST_RANGE, &mine_status);
		CU_ASSERT_EQUAL(status, 200);
		CU_ASSERT_EQUAL(week_status, 200);
		CU_ASSERT_EQUAL(next_status, c == MANAGER ? 200 : 404);
		CU_ASSERT_EQUAL(mine_status, employee ? 200 : 0);
		for (s = 0; s < NSHIFTS; s++) {
			struct json_object *in_week = at(s == UNPUBLISHED ? next : week, "shifts");
			bool expected = sees[c][s];

			expect_fetch(c, s);
			CU_ASSERT_EQUAL(listed(at(list, "items"), "id", shifts[s]), expected);
			CU_ASSERT_EQUAL(listed(in_week, "id", shifts[s]), expected);
			if (mine)
				CU_ASSERT_EQUAL(listed(at(mine, "items"), "id", shifts[s]), expected);
		}
		json_object_put(list);
		json_object_put(week);
		json_object_put(next);
		json_object_put(mine);
	}
}

static void test_filters_never_widen_what_a_caller_sees(void)
{
	char path[160];
	long status;
	struct json_object *list;

	/* another company's shifts asked for by name: still none */
	snprintf(path, sizeof(path), "/api/v1/shifts?client_id=%lld&" LIST_RANGE, company_b);
	list = get(CLIENT_A, path, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(json_object_array_length(at(list, "items")), 0);
	json_object_put(list);
	/* a crewmate's shifts: only those the worker is on too */
	snprintf(path, sizeof(path), "/api/v1/shifts?user_id=%lld&" LIST_RANGE, user_id(MATE));
	list = get(WORKER, path, &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_TRUE(listed(at(list, "items"), "id", shifts[LED]));
	CU_ASSERT_FALSE(listed(at(list, "items"), "id", shifts[OTHER]));
	json_object_put(list);
	snprintf(path, sizeof(path), "/api/v1/shifts?job_id=%lld&" LIST_RANGE, job_b);
	list = get(CLIENT_A, path, &status);
	CU_ASSERT_EQUAL(json_object_array_length(at(list, "items")), 0);
	json_object_put(list);
}

/* The crew on the led shift as caller c sees it on the list, one shift and the week. */
static void expect_crew(int c, const char *expected)
{
	char path[96], names[256];
	long status;
	struct json_object *list = get(c, "/api/v1/shifts?" LIST_RANGE, &status);
	struct json_object *week = get(c, "/api/v1/schedule/weeks/" WEEK, &status);
	struct json_object *one;

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld", shifts[LED]);
	one = get(c, path, &status);
	crew_names(find(at(list, "items"), "id", shifts[LED]), names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, expected);
	crew_names(one, names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, expected);
	crew_names(find(at(week, "shifts"), "id", shifts[LED]), names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, expected);
	json_object_put(list);
	json_object_put(week);
	json_object_put(one);
}

static void test_the_crew_is_the_same_on_the_list_one_shift_and_the_week(void)
{
	/* ordered by role, then name: crew_chief before stagehand */
	expect_crew(MANAGER, "Vis Chief,Vis Mate,Vis Worker");
	expect_crew(CHIEF, "Vis Chief,Vis Mate,Vis Worker");
	expect_crew(CLIENT_A, "Vis Chief,Vis Mate,Vis Worker");
	expect_crew(WORKER, "Vis Worker");
	expect_crew(MATE, "Vis Mate");
}

/* True when a list of time entries holds the worker's entry on the shift. */
static bool lists_entry(struct json_object *items, int worker, int shift)
{
	size_t i;

	for (i = 0; items && i < json_object_array_length(items); i++) {
		struct json_object *e = json_object_array_get_idx(items, i);

		if (int_at(e, "user_id") == user_id(worker) &&
		    int_at(e, "shift.id") == shifts[shift])
			return true;
	}
	return false;
}

/* The sheet at path as caller c: whether it holds the worker's and the mate's entries. */
static void expect_sheet(int c, const char *path, bool worker, bool mate)
{
	long status;
	struct json_object *sheet = get(c, path, &status);

	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(listed(at(sheet, "items"), "user_id", user_id(WORKER)), worker);
	CU_ASSERT_EQUAL(listed(at(sheet, "items"), "user_id", user_id(MATE)), mate);
	json_object_put(sheet);
}

static void test_time_entries_follow_the_shifts_and_the_crew(void)
{
	static const struct {
		int caller;
		bool worker_led, mate_led, worker_b;   /* approved, submitted, approved */
	} cases[] = {
		{ MANAGER, true, true, true },
		{ WORKER, true, false, true },
		{ CHIEF, false, false, false },   /* the list is one's own time */
		{ MATE, false, true, false },
		{ CLIENT_A, true, false, false }, /* approved only, A's only */
		{ CLIENT_B, false, false, true },
		{ CLIENT_NONE, false, false, false },
	};
	char path[96];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long status;
		struct json_object *list = get(cases[i].caller, "/api/v1/timesheets?" ENTRY_RANGE,
					       &status);
		struct json_object *items = at(list, "items");

		CU_ASSERT_EQUAL(status, 200);
		CU_ASSERT_EQUAL(lists_entry(items, WORKER, LED), cases[i].worker_led);
		CU_ASSERT_EQUAL(lists_entry(items, MATE, LED), cases[i].mate_led);
		CU_ASSERT_EQUAL(lists_entry(items, WORKER, B_SHIFT), cases[i].worker_b);
		json_object_put(list);
	}
	/* the chief reads the crew's entries on the sheet of the shift they lead */
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", shifts[LED]);
	expect_sheet(CHIEF, path, true, true);
	expect_sheet(WORKER, path, true, false);
	expect_sheet(CLIENT_A, path, true, false);   /* the mate's entry is not approved */
}

static void test_clients_read_only_their_companys_jobs_and_details(void)
{
	char path[96];
	long status;
	struct json_object *o = get(CLIENT_A, "/api/v1/jobs?limit=500", &status);

	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_TRUE(listed(at(o, "items"), "id", job_a));
	CU_ASSERT_FALSE(listed(at(o, "items"), "id", job_b));
	json_object_put(o);
	snprintf(path, sizeof(path), "/api/v1/jobs/%lld", job_b);
	json_object_put(get(CLIENT_A, path, &status));
	CU_ASSERT_EQUAL(status, 404);
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", company_b);
	json_object_put(get(CLIENT_A, path, &status));
	CU_ASSERT_EQUAL(status, 404);
	snprintf(path, sizeof(path), "/api/v1/clients/%lld", company_a);
	json_object_put(get(CLIENT_A, path, &status));
	CU_ASSERT_EQUAL(status, 200);
	/* a client user linked to no company sees no company at all */
	o = get(CLIENT_NONE, "/api/v1/jobs?limit=500", &status);
	CU_ASSERT_EQUAL(status, 200);
	CU_ASSERT_EQUAL(json_object_array_length(at(o, "items")), 0);
	json_object_put(o);
	json_object_put(get(CLIENT_NONE, path, &status));
	CU_ASSERT_EQUAL(status, 404);
}

/* The words of list joined by commas equal the SQL array function's. */
static void expect_same_words(const char *const *list, const char *function)
{
	char words[256];
	size_t i, len = 0;

	for (i = 0; list[i]; i++)
		len += (size_t)snprintf(words + len, sizeof(words) - len, "%s%s", i ? "," : "",
					list[i]);
	CU_ASSERT_STRING_EQUAL(sql_text("SELECT array_to_string(%s(), ',')", function), words);
}

static void test_the_c_and_sql_word_lists_agree(void)
{
	expect_same_words(vocabulary_worker_roles, "es_worker_roles");
	expect_same_words(vocabulary_shift_parts, "es_shift_parts");
	expect_same_words(vocabulary_weekdays, "es_weekdays");
}

static int seed(void)
{
	static const char *const roles[NCALLERS] = {
		"manager", "employee", "employee", "employee", "client", "client", "client",
	};
	static const char *const names[NCALLERS] = {
		"Vis Manager", "Vis Worker", "Vis Chief", "Vis Mate",
		"Vis Client A", "Vis Client B", "Vis Client None",
	};
	long status;
	int c;

	company_a = seed_company("Vis A");
	company_b = seed_company("Vis B");
	job_a = seed_job(company_a, "Vis A job");
	job_b = seed_job(company_b, "Vis B job");
	for (c = 0; c < NCALLERS; c++)
		sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
		    " VALUES ('%s', '%s', '%s', nullif(%lld, 0), true, true)",
		    usernames[c], names[c], roles[c],
		    c == CLIENT_A ? company_a : c == CLIENT_B ? company_b : 0);
	for (c = 0; c < NCALLERS; c++)
		if (principal_for(usernames[c], &callers[c]))
			return -1;
	shifts[LED] = seed_shift(job_a, "'" WEEK "T08:00:00Z'", "'" WEEK "T12:00:00Z'", NULL);
	shifts[OTHER] = seed_shift(job_a, "'" WEEK "T13:00:00Z'", "'" WEEK "T17:00:00Z'", NULL);
	shifts[B_SHIFT] = seed_shift(job_b, "'2033-03-10T08:00:00Z'", "'2033-03-10T12:00:00Z'",
				     NULL);
	shifts[UNPUBLISHED] = seed_shift(job_a, "'" NEXT_WEEK "T08:00:00Z'",
					 "'" NEXT_WEEK "T12:00:00Z'", NULL);
	assign(shifts[LED], CHIEF, "crew_chief");
	assign(shifts[LED], WORKER, "stagehand");
	assign(shifts[LED], MATE, "stagehand");
	assign(shifts[OTHER], MATE, "stagehand");
	assign(shifts[B_SHIFT], WORKER, "stagehand");
	assign(shifts[UNPUBLISHED], WORKER, "stagehand");
	assign(shifts[UNPUBLISHED], CHIEF, "crew_chief");
	entry(shifts[LED], WORKER, true);
	entry(shifts[LED], MATE, false);
	entry(shifts[B_SHIFT], WORKER, true);
	/* published the way a manager does it, whatever the week start setting */
	status = call(&callers[MANAGER], "POST", "/api/v1/schedule/weeks/" WEEK "/publish", NULL,
		      NULL);
	return status == 200 ? 0 : -1;
}

static int suite_init(void)
{
	if (e2e_init() || serve_start(NULL) <= 0)
		return 1;
	return seed() ? 1 : 0;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "each caller sees the same shifts on every route", test_each_caller_sees_the_same_shifts_on_every_route },
		{ "filters never widen what a caller sees", test_filters_never_widen_what_a_caller_sees },
		{ "the crew is the same on the list, one shift and the week", test_the_crew_is_the_same_on_the_list_one_shift_and_the_week },
		{ "time entries follow the shifts and the crew", test_time_entries_follow_the_shifts_and_the_crew },
		{ "clients read only their company's jobs and details", test_clients_read_only_their_companys_jobs_and_details },
		{ "the C and SQL word lists agree", test_the_c_and_sql_word_lists_agree },
		{ NULL, NULL },
	};

	return cu_run("e2e visibility", suite_init, e2e_done, tests);
}
