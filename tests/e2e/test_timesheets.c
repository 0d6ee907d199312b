/*
 * Time sheets and settings end to end: the state machine as a table (every
 * action on every state by every kind of caller), clocking rules and the
 * race for one clock-in, editing rules, submit/approve/reject, what each
 * role sees, the overtime table (one expected figure per case, in minutes),
 * the CSV export byte for byte, and settings validation and reach.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/audit.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static struct principal manager, admin, chief, mate, client, other_client;
static long long company_id, job_id, other_job_id;
static long long chief_id, mate_id;

/* A shift of job (times as SQL expressions), its week published. */
static long long shift_on(long long job, const char *starts, const char *ends)
{
	long long id = seed_shift(job, starts, ends, "{\"stagehand\": 10, \"crew_chief\": 1}");

	sql("INSERT INTO schedule_weeks (week_start, published, published_at)"
	    " SELECT es_week_of(starts_at), true, now() FROM shifts WHERE id = %lld"
	    " ON CONFLICT (week_start) DO UPDATE SET published = true, published_at = now()", id);
	return id;
}

/* A shift around now led by the suite's chief, with the crewmate on it. */
static long long crew_shift(void)
{
	long long s = shift_on(job_id, "now() - interval '3 hours'", "now() + interval '5 hours'");

	seed_assign(s, chief_id, "crew_chief");
	seed_assign(s, mate_id, "stagehand");
	return s;
}

static long clock_action(const struct principal *p, long long shift, long long user, const char *action,
			 struct http_res *keep)
{
	char path[96], body[160];

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/clock", shift);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\",\"action\":\"%s\"}", user,
		 action);
	return call(p, "POST", path, body, keep);
}

static long edit(const struct principal *p, long long shift, long long user, const char *body,
		 struct http_res *keep)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/%lld/stagehand", shift, user);
	return call(p, "PUT", path, body, keep);
}

/* {"pairs":[{"in":a,"out":b}]} */
static const char *one_pair(const char *in, const char *out)
{
	static char body[256];

	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"}]}", in, out);
	return body;
}

static long shift_post(const struct principal *p, long long shift, const char *what, const char *body,
		       struct http_res *keep)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/%s", shift, what);
	return call(p, "POST", path, body, keep);
}

static long submit(const struct principal *p, long long shift, long long user)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"user_ids\":[%lld]}", user);
	return shift_post(p, shift, "timesheet/submit", body, NULL);
}

static long decide(const struct principal *p, long long shift, long long user, const char *what)
{
	char body[160];

	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\"%s}", user,
		 !strcmp(what, "reject") ? ",\"reason\":\"hours do not match the sign-in sheet\"" : "");
	return shift_post(p, shift, !strcmp(what, "reject") ? "timesheet/reject" : "timesheet/approve",
			  body, NULL);
}

/* The sheet's item for user as parsed JSON (caller puts root), or NULL. */
static struct json_object *sheet_item(const struct principal *p, long long shift, long long user,
				      struct json_object **root)
{
	char path[96];
	struct json_object *found = NULL;
	long status;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", shift);
	*root = call_json(p, "GET", path, NULL, &status);
	if (status != 200) {
		json_object_put(*root);
		*root = NULL;
	}
	for (i = 0; i < count_at(*root, "items"); i++) {
		struct json_object *it = json_object_array_get_idx(at(*root, "items"), i);

		if (int_at(it, "user_id") == user)
			found = it;
	}
	return found;
}

/* ---------------------------------------------------------------- the state machine */

enum fixture { F_EMPTY, F_IN, F_OUT, F_SUBMITTED, F_APPROVED, NFIXTURES };
enum action { A_IN, A_OUT, A_ABSENT, A_EDIT, A_SUBMIT, A_APPROVE, A_REJECT, NACTIONS };
enum who { W_MANAGER, W_ADMIN, W_CHIEF, W_OWN, W_MATE, W_CLIENT, NWHO };

static const char *const fixture_names[] = { "not started", "clocked in", "clocked out",
					     "submitted", "approved" };
static const char *const action_names[] = { "clock in", "clock out", "absent", "edit", "submit",
					    "approve", "reject" };
static const char *const who_names[] = { "manager", "admin", "crew chief", "the worker",
					 "a crewmate", "the client" };

/*
 * The expected status per fixture and action, one character per caller in
 * enum who order: 2 = 200, 3 = 403, 9 = 409.
 */
static const char *const matrix[NFIXTURES][NACTIONS] = {
	[F_EMPTY] = { "222333", "999333", "222333", "222233", "999933", "993333", "993333" },
	[F_IN] = { "999333", "222333", "999333", "222233", "999933", "993333", "993333" },
	[F_OUT] = { "222333", "999333", "999333", "222233", "222233", "993333", "993333" },
	[F_SUBMITTED] = { "999333", "999333", "999333", "229933", "999933", "223333", "223333" },
	[F_APPROVED] = { "999333", "999333", "999333", "999933", "999933", "993333", "993333" },
};

/* A fresh shift and worker with the entry in the fixture's state (submitted by the chief). */
static long long fixture_setup(enum fixture f, long long *worker, struct principal *own)
{
	static int n;
	char name[32];
	long long s = crew_shift();

	snprintf(name, sizeof(name), "sm-worker-%d", n++);
	*worker = seed_user(name, "Matrix Worker", "employee");
	principal_for(name, own);
	seed_assign(s, *worker, "stagehand");
	if (f == F_EMPTY)
		return s;
	sql("WITH e AS (INSERT INTO time_entries (assignment_id, status, submitted_at, submitted_by,"
	    "                                    approved_at, approved_by)"
	    "           SELECT id, '%s', %s, %s, %s, %s FROM assignments"
	    "            WHERE shift_id = %lld AND user_id = %lld RETURNING id)"
	    " INSERT INTO time_entry_pairs (time_entry_id, ordinal, clock_in, clock_out)"
	    " SELECT id, 1, now() - interval '2 hours', %s FROM e",
	    f == F_IN ? "clocked_in" : "clocked_out",
	    f >= F_SUBMITTED ? "now()" : "NULL",
	    f >= F_SUBMITTED ? "(SELECT id FROM users WHERE username = 'ts-chief')" : "NULL",
	    f == F_APPROVED ? "now()" : "NULL",
	    f == F_APPROVED ? "(SELECT id FROM users WHERE username = 'ts-manager')" : "NULL",
	    s, *worker, f == F_IN ? "NULL" : "now() - interval '1 hour'");
	return s;
}

/* Everything about an entry that an action could change, as one text. */
static const char *fingerprint(long long shift, long long worker)
{
	return sql_text("SELECT coalesce((SELECT te.status"
			"                        || es_entry_state(te.submitted_at, te.approved_at)"
			"                        || coalesce(te.notes, '') || coalesce(te.rejection_reason, '')"
			"                        || (SELECT count(*) || coalesce(max(clock_out)::text, 'open')"
			"                              FROM time_entry_pairs p WHERE p.time_entry_id = te.id)"
			"                   FROM time_entries te"
			"                   JOIN assignments a ON a.id = te.assignment_id"
			"                  WHERE a.shift_id = %lld AND a.user_id = %lld), 'none')",
			shift, worker);
}

static long run_action(enum action a, const struct principal *p, long long s, long long worker)
{
	switch (a) {
	case A_IN:
		return clock_action(p, s, worker, "in", NULL);
	case A_OUT:
		return clock_action(p, s, worker, "out", NULL);
	case A_ABSENT: {
		char body[96];

		snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\"}", worker);
		return shift_post(p, s, "absent", body, NULL);
	}
	case A_EDIT: {
		char body[256];

		snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"}],\"notes\":\"fixed\"}",
			 rfc3339_from_now(-150 * 60), rfc3339_from_now(-30 * 60));
		return edit(p, s, worker, body, NULL);
	}
	case A_SUBMIT:
		return submit(p, s, worker);
	case A_APPROVE:
		return decide(p, s, worker, "approve");
	case A_REJECT:
		return decide(p, s, worker, "reject");
	case NACTIONS:
		break;
	}
	return -1;
}

static void test_every_action_on_every_state_by_every_caller(void)
{
	int f, a, w;

	for (f = 0; f < NFIXTURES; f++)
		for (a = 0; a < NACTIONS; a++)
			for (w = 0; w < NWHO; w++) {
				const struct principal *by[NWHO] = { &manager, &admin, &chief, NULL, &mate,
								     &client };
				struct principal own;
				long long worker, s = fixture_setup((enum fixture)f, &worker, &own);
				char before[128], after[128];
				long want, got;

				by[W_OWN] = &own;
				snprintf(before, sizeof(before), "%s", fingerprint(s, worker));
				got = run_action((enum action)a, by[w], s, worker);
				snprintf(after, sizeof(after), "%s", fingerprint(s, worker));
				want = matrix[f][a][w] == '2' ? 200 : matrix[f][a][w] == '3' ? 403 : 409;
				if (got != want)
					fprintf(stderr, "state machine: %s on %s by %s: %ld, expected %ld\n",
						action_names[a], fixture_names[f], who_names[w], got, want);
				CU_ASSERT_EQUAL(got, want);
				/* a refusal changes nothing; every allowed action changes something */
				CU_ASSERT_EQUAL(strcmp(before, after) != 0, want == 200);
			}
}

static void test_the_sheet_says_what_each_caller_can_do(void)
{
	struct principal own;
	struct json_object *root, *item, *can;
	long long worker, s = fixture_setup(F_SUBMITTED, &worker, &own);

	item = sheet_item(&manager, s, worker, &root);
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "can", &can));
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(can, JSON_C_TO_STRING_PLAIN),
			       "{\"clock\":false,\"edit\":true,\"submit\":false,\"approve\":true,\"reject\":true}");
	json_object_put(root);
	item = sheet_item(&own, s, worker, &root);
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "can", &can));
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(can, JSON_C_TO_STRING_PLAIN),
			       "{\"clock\":false,\"edit\":false,\"submit\":false,\"approve\":false,\"reject\":false}");
	json_object_put(root);
	s = fixture_setup(F_OUT, &worker, &own);
	item = sheet_item(&own, s, worker, &root);
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "can", &can));
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(can, JSON_C_TO_STRING_PLAIN),
			       "{\"clock\":false,\"edit\":true,\"submit\":true,\"approve\":false,\"reject\":false}");
	json_object_put(root);
	item = sheet_item(&chief, s, worker, &root);
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "can", &can));
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(can, JSON_C_TO_STRING_PLAIN),
			       "{\"clock\":true,\"edit\":true,\"submit\":true,\"approve\":false,\"reject\":false}");
	json_object_put(root);
}

/* ---------------------------------------------------------------- clocking */

static long long fresh_worker(const char *username)
{
	return seed_user(username, "Clock Worker", "employee");
}

static void test_clock_in_and_out_up_to_the_pair_limit_each_audited(void)
{
	long long s = crew_shift(), w = fresh_worker("clock-pairs");
	long ins = audit_count("time_entry", "clock_in"), outs = audit_count("time_entry", "clock_out");
	struct http_res r;
	int i;

	seed_assign(s, w, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "out", &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"not_clocked_in\""));
	http_res_release(&r);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", NULL), 200);
		CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", &r), 409);
		CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"already_clocked_in\""));
		http_res_release(&r);
		CU_ASSERT_EQUAL(clock_action(&manager, s, w, "out", NULL), 200);
	}
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", &r), 409);   /* settings.max_clock_pairs = 3 */
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"max_clock_pairs\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count("time_entry", "clock_in"), ins + 3);
	CU_ASSERT_EQUAL(audit_count("time_entry", "clock_out"), outs + 3);
	/* the trail holds the entry before and after each action */
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log l"
				 " JOIN time_entries te ON te.id = l.entity_id"
				 " JOIN assignments a ON a.id = te.assignment_id"
				 " WHERE a.shift_id = %lld AND a.user_id = %lld"
				 " AND l.entity = 'time_entry' AND l.actor_id = %lld"
				 " AND ((l.action = 'clock_in'"
				 "       AND l.before ->> 'status' IN ('not_started', 'clocked_out')"
				 "       AND l.after ->> 'status' = 'clocked_in')"
				 "   OR (l.action = 'clock_out' AND l.before ->> 'status' = 'clocked_in'"
				 "       AND l.after ->> 'status' = 'clocked_out'))", s, w, chief_id), 3);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log l"
				 " JOIN time_entries te ON te.id = l.entity_id"
				 " JOIN assignments a ON a.id = te.assignment_id"
				 " WHERE a.shift_id = %lld AND a.user_id = %lld"
				 " AND l.action = 'clock_in' AND l.before ->> 'status' = 'not_started'"
				 " AND jsonb_array_length(l.after -> 'pairs') = 1", s, w), 1);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "sideways", NULL), 422);
	CU_ASSERT_EQUAL(clock_action(&chief, s, mate_id + 100000, "in", &r), 422);   /* not on the shift */
	CU_ASSERT_TRUE(body_has(&r, "\"user_id\""));
	http_res_release(&r);
}

static void test_a_chief_clocks_only_on_the_shift_they_lead(void)
{
	long long mine = crew_shift(), other = shift_on(job_id, "now() - interval '1 hour'",
							 "now() + interval '6 hours'");
	long long w = fresh_worker("clock-scope");

	seed_assign(mine, w, "stagehand");
	seed_assign(other, mate_id, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&chief, other, mate_id, "in", NULL), 404);   /* not on it at all */
	seed_assign(other, chief_id, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&chief, other, mate_id, "in", NULL), 403);   /* on it, not leading */
	CU_ASSERT_EQUAL(clock_action(&mate, mine, w, "in", NULL), 403);
	CU_ASSERT_EQUAL(clock_action(&chief, mine, w, "in", NULL), 200);
}

static void test_a_worker_is_never_clocked_in_on_two_shifts_at_once(void)
{
	long long a = crew_shift(), b = crew_shift(), w = fresh_worker("clock-twice");
	struct http_res r;

	seed_assign(a, w, "stagehand");
	seed_assign(b, w, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&chief, a, w, "in", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&manager, b, w, "in", &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"clocked_in_elsewhere\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(clock_action(&chief, a, w, "out", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&manager, b, w, "in", NULL), 200);
}

static void test_clocking_far_from_the_shift_is_refused(void)
{
	long long s = shift_on(job_id, "now() + interval '20 hours'", "now() + interval '28 hours'");
	long long w = fresh_worker("clock-early");
	struct http_res r;

	seed_assign(s, w, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&manager, s, w, "in", &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"outside_clock_window\""));
	http_res_release(&r);
}

static void test_absent_only_while_nothing_is_recorded(void)
{
	long long s = crew_shift(), w = fresh_worker("absentee"), w2 = fresh_worker("late-comer");
	char body[96];
	struct http_res r;

	seed_assign(s, w, "stagehand");
	seed_assign(s, w2, "stagehand");
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\"}", w);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "absent", body, &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"status\" : \"absent\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "absent", body, &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"already_absent\""));
	http_res_release(&r);
	/* turned up after all */
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", NULL), 200);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "absent", body, &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"time_recorded\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count("time_entry", "absent") >= 1, 1);
}

static void test_ending_the_shift_clocks_out_everyone_still_in(void)
{
	long long s = crew_shift(), w1 = fresh_worker("end-1"), w2 = fresh_worker("end-2");
	long long w3 = fresh_worker("end-3");
	long ends = audit_count("time_entry", "end_shift");
	struct http_res r;

	seed_assign(s, w1, "stagehand");
	seed_assign(s, w2, "stagehand");
	seed_assign(s, w3, "stagehand");
	CU_ASSERT_EQUAL(clock_action(&chief, s, w1, "in", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w2, "in", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w3, "in", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w3, "out", NULL), 200);
	CU_ASSERT_EQUAL(shift_post(&mate, s, "end", NULL, NULL), 403);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "end", "{\"now\":true}", NULL), 400);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "end", NULL, &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"items\":["));
	CU_ASSERT_FALSE(body_has(&r, "\"clocked_in\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM time_entry_pairs p JOIN time_entries te"
				 " ON te.id = p.time_entry_id JOIN assignments a ON a.id = te.assignment_id"
				 " WHERE a.shift_id = %lld AND p.clock_out IS NULL", s), 0);
	CU_ASSERT_EQUAL(audit_count("time_entry", "end_shift"), ends + 2);
	CU_ASSERT_EQUAL(shift_post(&manager, s, "end", "{}", NULL), 200);   /* nobody left: nothing to do */
	CU_ASSERT_EQUAL(audit_count("time_entry", "end_shift"), ends + 2);
}

struct racer {
	const struct principal *by;
	long long shift, user;
	long status;
};

static void *race_one(void *arg)
{
	struct racer *r = arg;

	r->status = clock_action(r->by, r->shift, r->user, "in", NULL);
	return NULL;
}

static void test_a_manager_and_the_chief_racing_to_clock_one_person_in_one_wins(void)
{
	long long s = crew_shift(), w = fresh_worker("raced");
	struct racer r[16];
	pthread_t t[16];
	int i, won = 0;

	seed_assign(s, w, "stagehand");
	for (i = 0; i < 16; i++) {
		r[i] = (struct racer){ i % 2 ? &chief : &manager, s, w, 0 };
		pthread_create(&t[i], NULL, race_one, &r[i]);
	}
	for (i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		won += r[i].status == 200;
		CU_ASSERT(r[i].status == 200 || r[i].status == 409);
	}
	CU_ASSERT_EQUAL(won, 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM time_entry_pairs p JOIN time_entries te"
				 " ON te.id = p.time_entry_id JOIN assignments a ON a.id = te.assignment_id"
				 " WHERE a.shift_id = %lld AND a.user_id = %lld", s, w), 1);
}

/* ---------------------------------------------------------------- editing */

static void expect_pairs_problem(long long s, long long w, const char *body, const char *field,
				 const char *reason_part)
{
	struct http_res r;
	char needle[96];

	CU_ASSERT_EQUAL(edit(&manager, s, w, body, &r), 422);
	snprintf(needle, sizeof(needle), "\"%s\":\"", field);
	if (!body_has(&r, needle) || !body_has(&r, reason_part))
		fprintf(stderr, "expected %s (%s), got %s\n", field, reason_part, r.body.buf);
	CU_ASSERT_TRUE(body_has(&r, needle) && body_has(&r, reason_part));
	http_res_release(&r);
}

static void test_edited_pairs_follow_every_rule(void)
{
	long long s = crew_shift(), w = fresh_worker("editor"), other = crew_shift();
	char body[512], t0[32], t1[32], t2[32], t3[32], t4[32], t5[32];
	struct http_res r;

	snprintf(t0, sizeof(t0), "%s", rfc3339_from_now(-170 * 60));
	snprintf(t1, sizeof(t1), "%s", rfc3339_from_now(-120 * 60));
	snprintf(t2, sizeof(t2), "%s", rfc3339_from_now(-100 * 60));
	snprintf(t3, sizeof(t3), "%s", rfc3339_from_now(-60 * 60));
	snprintf(t4, sizeof(t4), "%s", rfc3339_from_now(-40 * 60));
	snprintf(t5, sizeof(t5), "%s", rfc3339_from_now(-20 * 60));

	seed_assign(s, w, "stagehand");
	seed_assign(other, w, "general");
	expect_pairs_problem(s, w, one_pair(t1, t0), "pairs[0].out", "must be after in");
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"},{\"in\":\"%s\",\"out\":\"%s\"}]}",
		 t2, t3, t0, t1);
	expect_pairs_problem(s, w, body, "pairs[1].in", "in order");
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"},{\"in\":\"%s\",\"out\":\"%s\"}]}",
		 t0, t2, t1, t3);
	expect_pairs_problem(s, w, body, "pairs[1].in", "without overlap");
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"},{\"in\":\"%s\",\"out\":\"%s\"},"
		 "{\"in\":\"%s\",\"out\":\"%s\"},{\"in\":\"%s\"}]}", t0, t1, t2, t3, t4, t5,
		 rfc3339_from_now(-10 * 60));
	expect_pairs_problem(s, w, body, "pairs", "at most 3 pairs");
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\"},{\"in\":\"%s\",\"out\":\"%s\"}]}", t0, t2, t3);
	expect_pairs_problem(s, w, body, "pairs[0].out", "only the last pair may be open");
	expect_pairs_problem(s, w, one_pair(rfc3339_from_now(-20 * 60 * 60), t0), "pairs[0].in",
			     "within 12 hours of the shift");
	expect_pairs_problem(s, w, one_pair(t5, rfc3339_from_now(30 * 60)), "pairs[0].out",
			     "in the future");
	expect_pairs_problem(s, w, one_pair("2026-02-30T08:00:00Z", t0), "pairs[0]", "RFC 3339");
	expect_pairs_problem(s, w, one_pair("yesterday", t0), "pairs[0]", "RFC 3339");
	/* the same person's time on another shift or role cannot overlap */
	CU_ASSERT_EQUAL(edit(&manager, other, w, "{\"pairs\":[]}", NULL), 404);   /* role in the path */
	{
		char path[128];

		snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/%lld/general", other, w);
		CU_ASSERT_EQUAL(call(&manager, "PUT", path, one_pair(t0, t2), NULL), 200);
	}
	expect_pairs_problem(s, w, one_pair(t1, t3), "pairs[0].in", "another shift or role");
	/* shape errors */
	CU_ASSERT_EQUAL(edit(&manager, s, w, "{\"pairs\":[],\"colour\":\"red\"}", NULL), 400);
	CU_ASSERT_EQUAL(edit(&manager, s, w, "{\"pairs\":{}}", NULL), 400);
	CU_ASSERT_EQUAL(edit(&manager, s, w, "{\"notes\":\"x\"}", NULL), 422);
	{
		char long_notes[2100];

		snprintf(long_notes, sizeof(long_notes), "{\"pairs\":[],\"notes\":\"%02001d\"}", 0);
		CU_ASSERT_EQUAL(edit(&manager, s, w, long_notes, NULL), 422);
	}
	CU_ASSERT_EQUAL(edit(&manager, s, 999999, "{\"pairs\":[]}", NULL), 404);
	{
		char path[128];

		snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet/%lld/juggler", s, w);
		CU_ASSERT_EQUAL(call(&manager, "PUT", path, "{\"pairs\":[]}", NULL), 404);
	}
	/* a good one: pairs, totals, notes; an open last pair means clocked in */
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"%s\",\"out\":\"%s\"},{\"in\":\"%s\"}],"
		 "\"notes\":\"left for lunch, \\\"back\\\" late\"}", t3, t4, t5);
	CU_ASSERT_EQUAL(edit(&manager, s, w, body, &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"status\" : \"clocked_in\""));
	CU_ASSERT_TRUE(body_has(&r, "\"total_minutes\" : 20"));
	CU_ASSERT_TRUE(body_has(&r, "left for lunch, \\\"back\\\" late"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "out", NULL), 200);
	CU_ASSERT_EQUAL(audit_count("time_entry", "edit") >= 2, 1);
}

/* ---------------------------------------------------------------- submit, approve, reject */

static void test_reject_needs_a_reason_and_makes_a_draft_again(void)
{
	struct principal own;
	long long w, s = fixture_setup(F_SUBMITTED, &w, &own);
	struct json_object *root, *item, *rejection;
	char body[160];

	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\"}", w);
	CU_ASSERT_EQUAL(shift_post(&manager, s, "timesheet/reject", body, NULL), 422);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\",\"reason\":\"   \"}", w);
	CU_ASSERT_EQUAL(shift_post(&manager, s, "timesheet/reject", body, NULL), 422);
	CU_ASSERT_EQUAL(decide(&manager, s, w, "reject"), 200);
	item = sheet_item(&own, s, w, &root);
	CU_ASSERT_STRING_EQUAL(str_at(item, "state"), "draft");
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "rejection", &rejection));
	CU_ASSERT_STRING_EQUAL(str_at(rejection, "reason"), "hours do not match the sign-in sheet");
	json_object_put(root);
	/* the worker fixes it and submits again; the rejection is cleared */
	CU_ASSERT_EQUAL(edit(&own, s, w, one_pair(rfc3339_from_now(-150 * 60),
						  rfc3339_from_now(-70 * 60)), NULL), 200);
	CU_ASSERT_EQUAL(submit(&own, s, w), 200);
	item = sheet_item(&manager, s, w, &root);
	CU_ASSERT_STRING_EQUAL(str_at(item, "state"), "submitted");
	CU_ASSERT_TRUE(json_object_object_get_ex(item, "rejection", &rejection) && !rejection);
	CU_ASSERT_EQUAL(int_at(item, "total_minutes"), 80);
	json_object_put(root);
	CU_ASSERT_EQUAL(decide(&manager, s, w, "approve"), 200);
	CU_ASSERT_EQUAL(edit(&manager, s, w, "{\"pairs\":[]}", NULL), 409);   /* frozen */
	CU_ASSERT_EQUAL(decide(&admin, s, w, "reject"), 409);
	CU_ASSERT_EQUAL(audit_count("time_entry", "reject") >= 1, 1);
	CU_ASSERT_EQUAL(audit_count("time_entry", "approve") >= 1, 1);
}

static void test_submitting_the_whole_sheet_is_all_or_nothing(void)
{
	long long s = crew_shift(), w1 = fresh_worker("sheet-1"), w2 = fresh_worker("sheet-2");
	char body[160];
	struct http_res r;

	seed_assign(s, w1, "stagehand");
	seed_assign(s, w2, "stagehand");
	CU_ASSERT_EQUAL(edit(&chief, s, w1, one_pair(rfc3339_from_now(-170 * 60),
						     rfc3339_from_now(-10 * 60)), NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w2, "in", NULL), 200);
	/* the chief and the crewmate never clocked: not started */
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", "{}", &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"not_started\""));
	http_res_release(&r);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"stagehand\"}", mate_id);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "absent", body, NULL), 200);
	snprintf(body, sizeof(body), "{\"user_id\":%lld,\"role\":\"crew_chief\"}", chief_id);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "absent", body, NULL), 200);
	/* one still clocked in: nothing is submitted */
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", NULL, &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"open_pair\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM time_entries te JOIN assignments a"
				 " ON a.id = te.assignment_id WHERE te.submitted_at IS NOT NULL"
				 " AND a.shift_id = %lld", s), 0);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "end", NULL, NULL), 200);
	snprintf(body, sizeof(body), "{\"user_ids\":[%lld,%lld]}", w1, 999999LL);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", body, &r), 422);
	CU_ASSERT_TRUE(body_has(&r, "\"user_ids\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(shift_post(&mate, s, "timesheet/submit", body, NULL), 422);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", "{\"user_ids\":[\"x\"]}", NULL), 422);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", "{\"user_ids\":[]}", NULL), 422);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", "{\"user_ids\":7}", NULL), 400);
	snprintf(body, sizeof(body), "{\"user_ids\":[%lld]}", w1);
	CU_ASSERT_EQUAL(shift_post(&mate, s, "timesheet/submit", body, NULL), 403);   /* not theirs */
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", NULL, &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"state\":\"submitted\""));
	CU_ASSERT_FALSE(body_has(&r, "\"state\":\"draft\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "timesheet/submit", NULL, &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"nothing_to_submit\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count("time_entry", "submit") >= 4, 1);
}

/* ---------------------------------------------------------------- who sees what */

static void test_each_role_sees_its_part_of_the_sheet(void)
{
	struct principal own, stranger;
	long long w, s = fixture_setup(F_APPROVED, &w, &own);
	long long draft = fresh_worker("seen-draft");
	long long other = shift_on(other_job_id, "now() - interval '3 hours'", "now() + interval '5 hours'");
	char path[96];
	struct http_res r;

	seed_assign(s, draft, "stagehand");
	CU_ASSERT_EQUAL(edit(&manager, s, w, "{\"pairs\":[]}", NULL), 409);
	CU_ASSERT_EQUAL(edit(&chief, s, draft, one_pair(rfc3339_from_now(-120 * 60),
							rfc3339_from_now(-60 * 60)), NULL), 200);
	sql("UPDATE time_entries SET notes = 'internal note' WHERE approved_at IS NOT NULL");
	seed_user("ts-stranger", "Stranger", "employee");
	principal_for("ts-stranger", &stranger);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", s);

	http(&r, "GET", path, NULL, manager.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"Matrix Worker\"") && body_has(&r, "\"Clock Worker\""));
	http_res_release(&r);
	http(&r, "GET", path, NULL, chief.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"Matrix Worker\"") && body_has(&r, "\"Clock Worker\""));
	http_res_release(&r);
	http(&r, "GET", path, NULL, own.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"Matrix Worker\""));
	CU_ASSERT_FALSE(body_has(&r, "\"Clock Worker\"") || body_has(&r, "\"Chief\""));
	http_res_release(&r);
	http(&r, "GET", path, NULL, client.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"Matrix Worker\""));
	CU_ASSERT_FALSE(body_has(&r, "\"Clock Worker\""));   /* a draft */
	CU_ASSERT_FALSE(body_has(&r, "internal note"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&other_client, "GET", path, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&stranger, "GET", path, NULL, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", other);
	CU_ASSERT_EQUAL(call(&client, "GET", path, NULL, NULL), 404);

	/* /timesheets: a client only approved entries of their company, an employee their own */
	http(&r, "GET", "/api/v1/timesheets?status=draft", NULL, client.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 0"));
	http_res_release(&r);
	http(&r, "GET", "/api/v1/timesheets?limit=500", NULL, client.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FALSE(body_has(&r, "\"state\" : \"draft\"") ||
			body_has(&r, "\"state\" : \"submitted\""));
	CU_ASSERT_FALSE(body_has(&r, "internal note"));
	http_res_release(&r);
	http(&r, "GET", "/api/v1/timesheets", NULL, other_client.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 0"));
	http_res_release(&r);
	http(&r, "GET", "/api/v1/timesheets", NULL, own.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"total\" : 1"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/timesheets?status=waiting", NULL, NULL),
			422);
	CU_ASSERT_EQUAL(call(&manager, "GET", "/api/v1/timesheets?from=2026-13-01", NULL, NULL),
			422);
}

static void test_employees_do_not_see_unpublished_weeks(void)
{
	long long s = shift_on(job_id, "'2031-06-03T08:00:00Z'", "'2031-06-03T16:00:00Z'");
	char path[96];

	seed_assign(s, chief_id, "crew_chief");
	sql("UPDATE schedule_weeks SET published = false WHERE week_start = '2031-06-02'");
	snprintf(path, sizeof(path), "/api/v1/shifts/%lld/timesheet", s);
	CU_ASSERT_EQUAL(call(&chief, "GET", path, NULL, NULL), 404);
	CU_ASSERT_EQUAL(call(&manager, "GET", path, NULL, NULL), 200);
	CU_ASSERT_EQUAL(shift_post(&chief, s, "end", NULL, NULL), 404);
}

/* ---------------------------------------------------------------- hours and overtime */

/* A worked shift: the shift, the assignment and one pair over its whole length, submitted or not. */
static long long worked(long long user, const char *starts, const char *ends, bool submitted)
{
	char a[64], b[64];
	long long s;

	snprintf(a, sizeof(a), "'%s'", starts);
	snprintf(b, sizeof(b), "'%s'", ends);
	s = shift_on(job_id, a, b);
	seed_assign(s, user, "stagehand");
	CU_ASSERT_EQUAL(edit(&manager, s, user, one_pair(starts, ends), NULL), 200);
	if (submitted)
		CU_ASSERT_EQUAL(submit(&manager, s, user), 200);
	return s;
}

/* Minutes of the entry's tier (period, after_hours) from its overtime list. */
static long long tier_minutes(struct json_object *item, const char *period, int after_hours)
{
	struct json_object *tiers;
	size_t i;

	if (!json_object_object_get_ex(item, "overtime", &tiers))
		return -1;
	for (i = 0; i < json_object_array_length(tiers); i++) {
		struct json_object *t = json_object_array_get_idx(tiers, i);

		if (!strcmp(str_at(t, "period"), period) && int_at(t, "after_hours") == after_hours)
			return int_at(t, "minutes");
	}
	return -1;
}

/* One row of the overtime table: total, regular, daily 1.5x (over 8 h), daily 2.0x (over 12 h), weekly 1.5x. */
static void expect_hours(const char *what, long long s, long long user, long long total,
			 long long regular, long long daily15, long long daily20, long long weekly15)
{
	struct json_object *root, *item = sheet_item(&manager, s, user, &root);
	long long got[5] = { int_at(item, "total_minutes"), int_at(item, "regular_minutes"),
			     tier_minutes(item, "daily", 8), tier_minutes(item, "daily", 12),
			     tier_minutes(item, "weekly", 40) };
	long long want[5] = { total, regular, daily15, daily20, weekly15 };

	if (memcmp(got, want, sizeof(got)))
		fprintf(stderr, "overtime %s: got %lld/%lld/%lld/%lld/%lld, expected %lld/%lld/%lld/%lld/%lld\n",
			what, got[0], got[1], got[2], got[3], got[4], want[0], want[1], want[2], want[3],
			want[4]);
	CU_ASSERT_EQUAL(memcmp(got, want, sizeof(got)), 0);
	CU_ASSERT_EQUAL(int_at(item, "overtime_minutes"), total - regular);
	json_object_put(root);
}

static void test_overtime_of_single_shifts(void)
{
	long long w7 = fresh_worker("ot-7h"), w8 = fresh_worker("ot-8h"), w9 = fresh_worker("ot-9h");
	long long w13 = fresh_worker("ot-13h");

	expect_hours("7 h", worked(w7, "2026-09-07T08:00:00Z", "2026-09-07T15:00:00Z", true), w7,
		     420, 420, 0, 0, 0);
	expect_hours("8 h", worked(w8, "2026-09-08T08:00:00Z", "2026-09-08T16:00:00Z", true), w8,
		     480, 480, 0, 0, 0);
	expect_hours("9 h", worked(w9, "2026-09-09T08:00:00Z", "2026-09-09T17:00:00Z", true), w9,
		     540, 480, 60, 0, 0);
	expect_hours("13 h", worked(w13, "2026-09-10T06:00:00Z", "2026-09-10T19:00:00Z", true), w13,
		     780, 480, 240, 60, 0);
}

static void test_minutes_round_half_up_once_per_entry(void)
{
	long long a = fresh_worker("ot-round-a"), b = fresh_worker("ot-round-b");
	long long c = fresh_worker("ot-round-c");
	long long sa = worked(a, "2026-09-11T08:00:00Z", "2026-09-11T16:00:00Z", true);
	long long sb = worked(b, "2026-09-11T08:00:00Z", "2026-09-11T16:00:00Z", true);
	long long sc = worked(c, "2026-09-11T08:00:00Z", "2026-09-11T16:00:00Z", false);
	char body[256];

	CU_ASSERT_EQUAL(edit(&manager, sa, a, one_pair("2026-09-11T08:00:00Z", "2026-09-11T16:00:29.999Z"),
			     NULL), 200);
	CU_ASSERT_EQUAL(edit(&manager, sb, b, one_pair("2026-09-11T08:00:00Z", "2026-09-11T16:00:30Z"),
			     NULL), 200);
	expect_hours("8 h 29.999 s", sa, a, 480, 480, 0, 0, 0);
	expect_hours("8 h 30 s", sb, b, 481, 480, 1, 0, 0);
	/* two pairs of 20 s each: 40 s in all rounds to one minute (not 0 + 0) */
	snprintf(body, sizeof(body), "{\"pairs\":[{\"in\":\"2026-09-11T08:00:00Z\",\"out\":\"2026-09-11T08:00:20Z\"},"
		 "{\"in\":\"2026-09-11T09:00:00Z\",\"out\":\"2026-09-11T09:00:20Z\"}]}");
	CU_ASSERT_EQUAL(edit(&manager, sc, c, body, NULL), 200);
	expect_hours("2 x 20 s", sc, c, 1, 1, 0, 0, 0);
}

static void test_two_shifts_in_a_day_share_the_daily_threshold(void)
{
	long long w = fresh_worker("ot-two");
	long long first = worked(w, "2026-09-14T06:00:00Z", "2026-09-14T12:00:00Z", true);
	long long second = worked(w, "2026-09-14T13:00:00Z", "2026-09-14T18:00:00Z", true);

	expect_hours("6 h, same day", first, w, 360, 360, 0, 0, 0);
	expect_hours("then 5 h", second, w, 300, 120, 180, 0, 0);
}

static long put_settings(const char *body, struct http_res *keep);

/* Payroll does not move: an earlier entry submitted later leaves the approved one as approved. */
static void test_approved_hours_stay_as_approved(void)
{
	long long w = fresh_worker("ot-frozen");
	long long late = worked(w, "2026-09-17T14:00:00Z", "2026-09-17T22:00:00Z", true);

	CU_ASSERT_EQUAL(decide(&manager, late, w, "approve"), 200);
	expect_hours("8 h, approved", late, w, 480, 480, 0, 0, 0);
	/* 06:00-10:00 the same day, submitted after: it sorts first in the day */
	expect_hours("4 h earlier, submitted later",
		     worked(w, "2026-09-17T06:00:00Z", "2026-09-17T10:00:00Z", true), w, 240, 240, 0, 0, 0);
	expect_hours("the approved 8 h, unchanged", late, w, 480, 480, 0, 0, 0);
	CU_ASSERT_EQUAL(put_settings("{\"overtime\":{\"daily\":[{\"after_hours\":4,\"multiplier\":1.5}],"
				     "\"weekly\":[]}}", NULL), 200);
	expect_hours("the approved 8 h, after a settings change", late, w, 480, 480, 0, 0, 0);
	CU_ASSERT_EQUAL(put_settings("{\"overtime\":{\"daily\":[{\"after_hours\":8,\"multiplier\":1.5},"
				     "{\"after_hours\":12,\"multiplier\":2.0}],"
				     "\"weekly\":[{\"after_hours\":40,\"multiplier\":1.5}]}}", NULL), 200);
}

static void test_a_shift_across_midnight_counts_on_the_day_it_started(void)
{
	long long w = fresh_worker("ot-night");
	long long night = worked(w, "2026-09-15T20:00:00Z", "2026-09-16T06:00:00Z", true);
	long long next = worked(w, "2026-09-16T14:00:00Z", "2026-09-16T20:00:00Z", true);

	expect_hours("20:00-06:00", night, w, 600, 480, 120, 0, 0);
	expect_hours("14:00-20:00 the next day", next, w, 360, 360, 0, 0, 0);
}

static void test_a_45_hour_week(void)
{
	long long w = fresh_worker("ot-week"), nine = fresh_worker("ot-nines"), s[6], n[5];
	char a[32], b[32];
	int d;

	/* Monday to Friday 8 h, Saturday 5 h; Monday stays a draft for now */
	for (d = 0; d < 5; d++) {
		snprintf(a, sizeof(a), "2026-09-%02dT08:00:00Z", 21 + d);
		snprintf(b, sizeof(b), "2026-09-%02dT16:00:00Z", 21 + d);
		s[d] = worked(w, a, b, d > 0);
	}
	s[5] = worked(w, "2026-09-26T08:00:00Z", "2026-09-26T13:00:00Z", true);
	/* only submitted and approved entries count towards the week */
	expect_hours("Saturday, Monday a draft", s[5], w, 300, 300, 0, 0, 0);
	expect_hours("Monday, a draft", s[0], w, 480, 480, 0, 0, 0);
	CU_ASSERT_EQUAL(submit(&manager, s[0], w), 200);
	expect_hours("Monday", s[0], w, 480, 480, 0, 0, 0);
	expect_hours("Friday", s[4], w, 480, 480, 0, 0, 0);
	expect_hours("Saturday", s[5], w, 300, 0, 0, 0, 300);

	/* five 9 h days: daily overtime only, the week's regular minutes stop at 40 h */
	for (d = 0; d < 5; d++) {
		snprintf(a, sizeof(a), "2026-09-%02dT08:00:00Z", 21 + d);
		snprintf(b, sizeof(b), "2026-09-%02dT17:00:00Z", 21 + d);
		n[d] = worked(nine, a, b, true);
	}
	for (d = 0; d < 5; d++)
		expect_hours("9 h day of a 45 h week", n[d], nine, 540, 480, 60, 0, 0);
}

static long put_settings(const char *body, struct http_res *keep)
{
	return call(&manager, "PUT", "/api/v1/settings", body, keep);
}

static void test_a_week_across_the_dst_change_in_the_workplace_zone(void)
{
	long long w = fresh_worker("ot-dst"), s[6];
	char a[32], b[32];
	int d;

	CU_ASSERT_EQUAL(put_settings("{\"time_zone\":\"America/New_York\"}", NULL), 200);
	/* Monday 2 to Thursday 5 March 2026, 08:00-16:00 EST */
	for (d = 0; d < 4; d++) {
		snprintf(a, sizeof(a), "2026-03-%02dT13:00:00Z", 2 + d);
		snprintf(b, sizeof(b), "2026-03-%02dT21:00:00Z", 2 + d);
		s[d] = worked(w, a, b, true);
	}
	/* Saturday 22:00 EST to Sunday 07:00 EDT: the clocks skip an hour, 8 h worked */
	s[4] = worked(w, "2026-03-08T03:00:00Z", "2026-03-08T11:00:00Z", true);
	/* Sunday 21:00-01:00 EDT: Monday in UTC, still the week of 2 March in New York */
	s[5] = worked(w, "2026-03-09T01:00:00Z", "2026-03-09T05:00:00Z", true);
	expect_hours("Thursday", s[3], w, 480, 480, 0, 0, 0);
	expect_hours("Saturday night across the change", s[4], w, 480, 480, 0, 0, 0);
	expect_hours("Sunday evening", s[5], w, 240, 0, 0, 0, 240);
	CU_ASSERT_EQUAL(put_settings("{\"time_zone\":\"UTC\"}", NULL), 200);
	/* in UTC the Sunday shift starts a new week */
	expect_hours("Sunday evening, counted in UTC", s[5], w, 240, 240, 0, 0, 0);
}

/* ---------------------------------------------------------------- CSV */

static void test_csv_quotes_commas_quotes_newlines_and_keeps_utf8(void)
{
	const char *csv_headers[5] = { NULL, NULL, NULL, "Accept: text/csv", NULL };
	long long co, job, s, zoe, eq;
	char path[96], expected[2048];
	struct http_res r;

	co = seed_company("Acme, \"Quoted\" Ltd");
	job = seed_job(co, "Load-in\nStage Left");
	s = shift_on(job, "'2026-10-05T08:00:00Z'", "'2026-10-05T12:00:00Z'");
	zoe = seed_user("csv-zoe", "Zoë Ñúñez", "employee");
	eq = seed_user("csv-formula", "=HYPERLINK(\"x\")", "employee");
	seed_assign(s, zoe, "stagehand");
	seed_assign(s, eq, "stagehand");
	CU_ASSERT_EQUAL(edit(&manager, s, zoe, one_pair("2026-10-05T08:00:00Z", "2026-10-05T12:00:00Z"),
			     NULL), 200);
	CU_ASSERT_EQUAL(submit(&manager, s, zoe), 200);
	CU_ASSERT_EQUAL(decide(&manager, s, zoe, "approve"), 200);
	CU_ASSERT_EQUAL(edit(&manager, s, eq, "{\"pairs\":[{\"in\":\"2026-10-05T08:00:00Z\",\"out\":"
			     "\"2026-10-05T10:00:00Z\"},{\"in\":\"2026-10-05T10:30:00Z\",\"out\":"
			     "\"2026-10-05T12:00:00Z\"}],\"notes\":\"not exported\"}", NULL), 200);

	memcpy(csv_headers, manager.headers, 3 * sizeof(char *));
	snprintf(path, sizeof(path), "/api/v1/timesheets?client_id=%lld", co);
	http(&r, "GET", path, NULL, csv_headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Content-Type"), "text/csv; charset=utf-8");
	snprintf(expected, sizeof(expected),
		 "worker_id,worker,client,job,shift_start,shift_end,role,pairs,total_minutes,"
		 "regular_minutes,overtime_minutes,overtime,status,state\r\n"
		 "%lld,\"'=HYPERLINK(\"\"x\"\")\",\"Acme, \"\"Quoted\"\" Ltd\",\"Load-in\nStage Left\","
		 "2026-10-05T08:00:00Z,2026-10-05T12:00:00Z,stagehand,"
		 "2026-10-05T08:00:00Z/2026-10-05T10:00:00Z 2026-10-05T10:30:00Z/2026-10-05T12:00:00Z,"
		 "210,210,0,,clocked_out,draft\r\n"
		 "%lld,Zoë Ñúñez,\"Acme, \"\"Quoted\"\" Ltd\",\"Load-in\nStage Left\","
		 "2026-10-05T08:00:00Z,2026-10-05T12:00:00Z,stagehand,"
		 "2026-10-05T08:00:00Z/2026-10-05T12:00:00Z,240,240,0,,clocked_out,approved\r\n",
		 eq, zoe);
	if (!r.body.buf || strcmp(r.body.buf, expected))
		fprintf(stderr, "CSV:\n%s\nexpected:\n%s\n", r.body.buf, expected);
	CU_ASSERT_STRING_EQUAL(r.body.buf, expected);
	http_res_release(&r);

	/* the overtime column and the approved-only view of the client */
	snprintf(path, sizeof(path), "/api/v1/timesheets?user_id=%lld",
		 seed_user_id("ot-9h"));
	http(&r, "GET", path, NULL, csv_headers);
	CU_ASSERT_TRUE(body_has(&r, ",540,480,60,daily>8h@1.5x=60,clocked_out,submitted\r\n"));
	http_res_release(&r);
}

/* ---------------------------------------------------------------- settings */

static void expect_setting_refused(const char *body, long status, const char *field)
{
	struct http_res r;
	char needle[96];

	CU_ASSERT_EQUAL(put_settings(body, &r), status);
	snprintf(needle, sizeof(needle), "\"%s\"", field);
	if (r.status != status || !body_has(&r, needle))
		fprintf(stderr, "settings %s: %ld %s\n", body, r.status, r.body.buf);
	CU_ASSERT_TRUE(body_has(&r, needle));
	http_res_release(&r);
}

static void test_settings_are_read_by_everyone_and_changed_by_managers(void)
{
	long audits = audit_count("settings", "update");
	struct http_res r;

	http(&r, "GET", "/api/v1/settings", NULL, client.headers);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"max_clock_pairs\": 3") &&
		       body_has(&r, "\"clock_window_hours\": 12"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(call(&chief, "PUT", "/api/v1/settings", "{\"min_rest_hours\":1}", NULL),
			403);
	CU_ASSERT_EQUAL(put_settings("{\"min_rest_hours\":10,\"google_hosted_domain\":\"example.com\"}", &r),
			200);
	CU_ASSERT_TRUE(body_has(&r, "\"min_rest_hours\": 10") &&
		       body_has(&r, "\"max_clock_pairs\": 3"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_count("settings", "update"), audits + 1);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM audit_log WHERE entity = 'settings'"
				 " AND (before ->> 'min_rest_hours') = '8' AND (after ->> 'min_rest_hours') = '10'"), 1);
	CU_ASSERT_EQUAL(put_settings("{\"min_rest_hours\":8,\"google_hosted_domain\":null}", &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"google_hosted_domain\": null"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(put_settings("{}", NULL), 200);   /* nothing changed, nothing audited */
	CU_ASSERT_EQUAL(audit_count("settings", "update"), audits + 2);
}

static void test_settings_validation_names_each_field(void)
{
	struct http_res r;

	expect_setting_refused("{\"time_zone\":\"Mars/Olympus\"}", 422, "time_zone");
	/* weeks exist (published above): their first day cannot move under them */
	expect_setting_refused("{\"week_start\":\"sunday\"}", 409, "week_start_in_use");
	expect_setting_refused("{\"time_zone\":\"Europe/Paris; DROP\"}", 422, "time_zone");
	expect_setting_refused("{\"overtime\":{\"daily\":[{\"after_hours\":-8,\"multiplier\":1.5}],"
			       "\"weekly\":[]}}", 422, "overtime.daily[0].after_hours");
	expect_setting_refused("{\"overtime\":{\"daily\":[{\"after_hours\":12,\"multiplier\":1.5},"
			       "{\"after_hours\":8,\"multiplier\":2}],\"weekly\":[]}}", 422,
			       "overtime.daily[1].after_hours");
	expect_setting_refused("{\"overtime\":{\"daily\":[{\"after_hours\":7.3333,\"multiplier\":1.5}],"
			       "\"weekly\":[]}}", 422, "overtime.daily[0].after_hours");
	expect_setting_refused("{\"overtime\":{\"daily\":[],\"weekly\":[{\"after_hours\":40,"
			       "\"multiplier\":0.5}]}}", 422, "overtime.weekly[0].multiplier");
	expect_setting_refused("{\"overtime\":{\"daily\":[]}}", 422, "overtime");
	expect_setting_refused("{\"week_start\":\"funday\",\"max_clock_pairs\":11,\"clock_window_hours\":-1}",
			       422, "max_clock_pairs");
	expect_setting_refused("{\"week_start\":\"funday\"}", 422, "week_start");
	expect_setting_refused("{\"clock_window_hours\":-1}", 422, "clock_window_hours");
	expect_setting_refused("{\"shift_parts\":{\"morning\":{\"start\":\"12:00\",\"end\":\"08:00\"},"
			       "\"noon\":{\"start\":\"12:00\",\"end\":\"17:00\"},"
			       "\"evening\":{\"start\":\"17:00\",\"end\":\"22:00\"}}}", 422, "shift_parts.morning");
	expect_setting_refused("{\"signup_enabled\":null}", 422, "signup_enabled");
	expect_setting_refused("{\"google_hosted_domain\":\"Example.COM\"}", 422, "google_hosted_domain");
	expect_setting_refused("{\"colour\":\"red\"}", 400, "colour");
	expect_setting_refused("{\"max_clock_pairs\":\"3\"}", 400, "max_clock_pairs");
	expect_setting_refused("{\"max_clock_pairs\":3.0}", 400, "max_clock_pairs");
	/* nothing of a refused change is kept */
	http(&r, "GET", "/api/v1/settings", NULL, manager.headers);
	CU_ASSERT_TRUE(body_has(&r, "\"time_zone\": \"UTC\"") &&
		       body_has(&r, "\"week_start\": \"monday\""));
	http_res_release(&r);
	/* half-hour thresholds are whole minutes */
	CU_ASSERT_EQUAL(put_settings("{\"overtime\":{\"daily\":[{\"after_hours\":7.5,\"multiplier\":1.5}],"
				     "\"weekly\":[{\"after_hours\":40,\"multiplier\":1.5}]}}", NULL), 200);
	CU_ASSERT_EQUAL(put_settings("{\"overtime\":{\"daily\":[{\"after_hours\":8,\"multiplier\":1.5},"
				     "{\"after_hours\":12,\"multiplier\":2.0}],\"weekly\":[{\"after_hours\":40,"
				     "\"multiplier\":1.5}]}}", NULL), 200);
}

struct reader {
	long status;
	bool saw;
};

static void *read_settings(void *arg)
{
	struct reader *rd = arg;
	struct http_res r;

	http(&r, "GET", "/api/v1/settings", NULL, manager.headers);
	rd->status = r.status;
	rd->saw = body_has(&r, "\"max_clock_pairs\": 1,");
	http_res_release(&r);
	return NULL;
}

static void test_a_settings_change_reaches_every_worker_on_the_next_request(void)
{
	struct reader rd[32];
	pthread_t t[32];
	long long s = crew_shift(), w = fresh_worker("one-pair");
	struct http_res r;
	int i, saw = 0;

	seed_assign(s, w, "stagehand");
	for (i = 0; i < 32; i++)   /* every worker has served the document before */
		pthread_create(&t[i], NULL, read_settings, &rd[i]);
	for (i = 0; i < 32; i++)
		pthread_join(t[i], NULL);
	CU_ASSERT_EQUAL(put_settings("{\"max_clock_pairs\":1}", NULL), 200);
	for (i = 0; i < 32; i++)
		pthread_create(&t[i], NULL, read_settings, &rd[i]);
	for (i = 0; i < 32; i++) {
		pthread_join(t[i], NULL);
		saw += rd[i].status == 200 && rd[i].saw;
	}
	CU_ASSERT_EQUAL(saw, 32);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "out", NULL), 200);
	CU_ASSERT_EQUAL(clock_action(&chief, s, w, "in", &r), 409);
	CU_ASSERT_TRUE(body_has(&r, "\"rule\":\"max_clock_pairs\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(put_settings("{\"max_clock_pairs\":3}", NULL), 200);
}

static int suite_init(void)
{
	if (e2e_init())
		return 1;
	sql("INSERT INTO client_companies (name) VALUES ('Time Co'), ('Other Time Co')");
	company_id = sql_long("SELECT id FROM client_companies WHERE name = 'Time Co'");
	sql("INSERT INTO jobs (client_company_id, name) SELECT id, name || ' job'"
	    " FROM client_companies WHERE name IN ('Time Co', 'Other Time Co')");
	job_id = sql_long("SELECT id FROM jobs WHERE name = 'Time Co job'");
	other_job_id = sql_long("SELECT id FROM jobs WHERE name = 'Other Time Co job'");
	seed_user("ts-manager", "Manager", "manager");
	seed_user("ts-admin", "Admin", "admin");
	chief_id = seed_user("ts-chief", "Chief", "employee");
	mate_id = seed_user("ts-mate", "Mate", "employee");
	sql("INSERT INTO certifications (user_id, can_crew_chief)"
	    " SELECT id, true FROM users WHERE username = 'ts-chief'");
	sql("INSERT INTO users (username, name, role, client_company_id, active, approved)"
	    " SELECT CASE name WHEN 'Time Co' THEN 'ts-client' ELSE 'ts-other-client' END,"
	    "        'Client', 'client', id, true, true"
	    "   FROM client_companies WHERE name IN ('Time Co', 'Other Time Co')");
	if (principal_for("ts-manager", &manager) || principal_for("ts-admin", &admin) ||
	    principal_for("ts-chief", &chief) || principal_for("ts-mate", &mate) ||
	    principal_for("ts-client", &client) || principal_for("ts-other-client", &other_client))
		return 1;
	return serve_start(NULL) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every action on every state by every caller", test_every_action_on_every_state_by_every_caller },
		{ "the sheet says what each caller can do", test_the_sheet_says_what_each_caller_can_do },
		{ "clock in and out up to the pair limit, each audited", test_clock_in_and_out_up_to_the_pair_limit_each_audited },
		{ "a chief clocks only on the shift they lead", test_a_chief_clocks_only_on_the_shift_they_lead },
		{ "a worker is never clocked in on two shifts at once", test_a_worker_is_never_clocked_in_on_two_shifts_at_once },
		{ "clocking far from the shift is refused", test_clocking_far_from_the_shift_is_refused },
		{ "absent only while nothing is recorded", test_absent_only_while_nothing_is_recorded },
		{ "ending the shift clocks out everyone still in", test_ending_the_shift_clocks_out_everyone_still_in },
		{ "a manager and the chief racing to clock one person in: one wins", test_a_manager_and_the_chief_racing_to_clock_one_person_in_one_wins },
		{ "edited pairs follow every rule", test_edited_pairs_follow_every_rule },
		{ "reject needs a reason and makes a draft again", test_reject_needs_a_reason_and_makes_a_draft_again },
		{ "submitting the whole sheet is all or nothing", test_submitting_the_whole_sheet_is_all_or_nothing },
		{ "each role sees its part of the sheet", test_each_role_sees_its_part_of_the_sheet },
		{ "employees do not see unpublished weeks", test_employees_do_not_see_unpublished_weeks },
		{ "overtime of single shifts: 7, 8, 9, 13 h", test_overtime_of_single_shifts },
		{ "minutes round half up, once per entry", test_minutes_round_half_up_once_per_entry },
		{ "two shifts in a day share the daily threshold", test_two_shifts_in_a_day_share_the_daily_threshold },
		{ "approved hours stay as approved", test_approved_hours_stay_as_approved },
		{ "a shift across midnight counts on the day it started", test_a_shift_across_midnight_counts_on_the_day_it_started },
		{ "a 45-hour week", test_a_45_hour_week },
		{ "a week across the DST change in the workplace zone", test_a_week_across_the_dst_change_in_the_workplace_zone },
		{ "CSV quotes commas, quotes, newlines and keeps UTF-8", test_csv_quotes_commas_quotes_newlines_and_keeps_utf8 },
		{ "settings are read by everyone and changed by managers", test_settings_are_read_by_everyone_and_changed_by_managers },
		{ "settings validation names each field", test_settings_validation_names_each_field },
		{ "a settings change reaches every worker on the next request", test_a_settings_change_reaches_every_worker_on_the_next_request },
		{ NULL, NULL },
	};

	return cu_run("e2e time sheets", suite_init, e2e_done, tests);
}
