/*
 * The time sheet's rules (SPEC §3 "Time sheets"): who may do what to an
 * entry, and when a worker can be clocked, marked absent or clocked out
 * at the shift's end. Each rule is a function of the facts the handler
 * read; a refusal is named by its status and code.
 */
#include <stddef.h>
#include <string.h>

#include "handlers/timesheet_rules.h"
#include "http/refusal.h"
#include "tests/lib/cu.h"

static const struct standing manager = { .visible = true, .manager = true };
static const struct standing chief = { .visible = true, .chief = true };
static const struct standing worker = { .visible = true };
static const struct standing client = { .visible = true, .client = true };

static const struct entry_facts draft_out = { STATE_DRAFT, "clocked_out", false };
static const struct entry_facts own_draft = { STATE_DRAFT, "clocked_out", true };
static const struct entry_facts own_submitted = { STATE_SUBMITTED, "clocked_out", true };
static const struct entry_facts submitted = { STATE_SUBMITTED, "clocked_out", false };
static const struct entry_facts approved = { STATE_APPROVED, "clocked_out", false };

/* True when r refuses with status and code (NULL code: r allows). */
static bool refuses(const struct refusal *r, int status, const char *code)
{
	if (!code)
		return r == NULL;
	return r && r->status == status && !strcmp(r->code, code);
}

static void test_approved_entries_are_frozen_for_everyone(void)
{
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_CLOCK, &manager, &approved), 409, "entry_approved"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &manager, &approved), 409, "entry_approved"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &chief, &approved), 409, "entry_approved"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_APPROVE, &manager, &approved), 409, "entry_approved"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_REJECT, &manager, &approved), 409, "entry_approved"));
}

static void test_a_refused_conflict_names_its_rule(void)
{
	const struct refusal *r = entry_refusal(ACT_EDIT, &chief, &submitted);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->rule, "entry_submitted");
}

static void test_a_worker_edits_and_submits_their_own_entry_until_submitted(void)
{
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &worker, &own_draft), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &worker, &own_draft), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &worker, &own_submitted), 409, "entry_submitted"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &worker, &own_submitted), 409,
			       "already_submitted"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &worker, &draft_out), 403, "forbidden"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_CLOCK, &worker, &own_draft), 403, "forbidden"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_APPROVE, &worker, &own_submitted), 403, "forbidden"));
}

static void test_the_crew_chief_leads_until_submission_but_never_approves(void)
{
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_CLOCK, &chief, &draft_out), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &chief, &draft_out), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &chief, &draft_out), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_CLOCK, &chief, &submitted), 409, "entry_submitted"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_APPROVE, &chief, &submitted), 403, "forbidden"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_REJECT, &chief, &submitted), 403, "forbidden"));
}

static void test_a_manager_edits_what_is_submitted_and_approves_only_that(void)
{
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_EDIT, &manager, &submitted), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_APPROVE, &manager, &submitted), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_REJECT, &manager, &submitted), 0, NULL));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_APPROVE, &manager, &draft_out), 409, "not_submitted"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_CLOCK, &client, &draft_out), 403, "forbidden"));
}

static void test_a_submitted_entry_is_closed_and_has_something_recorded(void)
{
	const struct entry_facts in = { STATE_DRAFT, "clocked_in", false };
	const struct entry_facts nothing = { STATE_DRAFT, "not_started", false };
	const struct entry_facts absent = { STATE_DRAFT, "absent", false };

	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &chief, &in), 409, "open_pair"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &chief, &nothing), 409, "not_started"));
	CU_ASSERT_TRUE(refuses(entry_refusal(ACT_SUBMIT, &chief, &absent), 0, NULL));
}

static void test_clocking_in_takes_one_open_pair_within_the_limit_and_the_window(void)
{
	const struct clock_facts fresh = { 0, 0, 3, true, false };
	const struct clock_facts open = { 1, 1, 3, true, false };
	const struct clock_facts full = { 3, 0, 3, true, false };
	const struct clock_facts elsewhere = { 0, 0, 3, true, true };
	const struct clock_facts late = { 0, 0, 3, false, false };

	CU_ASSERT_TRUE(refuses(clock_refusal(true, &fresh), 0, NULL));
	CU_ASSERT_TRUE(refuses(clock_refusal(true, &open), 409, "already_clocked_in"));
	CU_ASSERT_TRUE(refuses(clock_refusal(true, &full), 409, "max_clock_pairs"));
	CU_ASSERT_TRUE(refuses(clock_refusal(true, &elsewhere), 409, "clocked_in_elsewhere"));
	CU_ASSERT_TRUE(refuses(clock_refusal(true, &late), 409, "outside_clock_window"));
}

static void test_clocking_out_needs_an_open_pair_and_the_window(void)
{
	const struct clock_facts open = { 1, 1, 3, true, false };
	const struct clock_facts closed = { 1, 0, 3, true, false };
	const struct clock_facts late = { 3, 1, 3, false, true };

	CU_ASSERT_TRUE(refuses(clock_refusal(false, &open), 0, NULL));
	CU_ASSERT_TRUE(refuses(clock_refusal(false, &closed), 409, "not_clocked_in"));
	CU_ASSERT_TRUE(refuses(clock_refusal(false, &late), 409, "outside_clock_window"));
}

static void test_a_worker_is_marked_absent_once_and_only_without_time(void)
{
	const struct entry_facts absent = { STATE_DRAFT, "absent", false };
	const struct entry_facts nothing = { STATE_DRAFT, "not_started", false };

	CU_ASSERT_TRUE(refuses(absent_refusal(&nothing, 0), 0, NULL));
	CU_ASSERT_TRUE(refuses(absent_refusal(&absent, 0), 409, "already_absent"));
	CU_ASSERT_TRUE(refuses(absent_refusal(&draft_out, 1), 409, "time_recorded"));
}

static void test_the_shift_is_ended_by_its_leads_within_the_window_while_anyone_is_in(void)
{
	CU_ASSERT_TRUE(refuses(end_refusal(&worker, 0, true), 403, "forbidden"));
	CU_ASSERT_TRUE(refuses(end_refusal(&chief, 2, true), 0, NULL));
	CU_ASSERT_TRUE(refuses(end_refusal(&manager, 2, false), 409, "outside_clock_window"));
	CU_ASSERT_TRUE(refuses(end_refusal(&manager, 0, false), 0, NULL));
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "approved entries are frozen for everyone", test_approved_entries_are_frozen_for_everyone },
		{ "a refused conflict names its rule", test_a_refused_conflict_names_its_rule },
		{ "a worker edits and submits their own entry until submitted",
		  test_a_worker_edits_and_submits_their_own_entry_until_submitted },
		{ "the crew chief leads until submission but never approves",
		  test_the_crew_chief_leads_until_submission_but_never_approves },
		{ "a manager edits what is submitted and approves only that",
		  test_a_manager_edits_what_is_submitted_and_approves_only_that },
		{ "a submitted entry is closed and has something recorded",
		  test_a_submitted_entry_is_closed_and_has_something_recorded },
		{ "clocking in takes one open pair within the limit and the window",
		  test_clocking_in_takes_one_open_pair_within_the_limit_and_the_window },
		{ "clocking out needs an open pair and the window",
		  test_clocking_out_needs_an_open_pair_and_the_window },
		{ "a worker is marked absent once and only without time",
		  test_a_worker_is_marked_absent_once_and_only_without_time },
		{ "the shift is ended by its leads within the window while anyone is in",
		  test_the_shift_is_ended_by_its_leads_within_the_window_while_anyone_is_in },
		{ NULL, NULL },
	};

	return cu_run("timesheet rules", NULL, NULL, tests);
}
