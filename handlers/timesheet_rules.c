#include "handlers/timesheet_rules.h"

#include <string.h>

#include "http/refusal.h"

static const struct refusal
	r_not_crew_lead = REFUSAL(403, "forbidden",
				  "Only managers and this shift's crew chief do that"),
	r_not_yours = REFUSAL(403, "forbidden",
			      "Only managers, this shift's crew chief and the worker themselves do that"),
	r_not_manager = REFUSAL(403, "forbidden", "Only managers approve and reject time"),
	r_approved = CONFLICT("entry_approved", "The entry is approved: it is frozen"),
	r_submitted = CONFLICT("entry_submitted",
			       "The entry is submitted; a manager can reject it back to draft"),
	r_already_submitted = CONFLICT("already_submitted", "The entry is already submitted"),
	r_not_submitted = CONFLICT("not_submitted", "Only a submitted entry is approved or rejected"),
	r_open_pair = CONFLICT("open_pair",
			       "The worker is still clocked in: every pair must be closed to submit"),
	r_not_started = CONFLICT("not_started",
				 "Nothing is recorded: clock the worker or mark them absent first"),
	r_clocked_in = CONFLICT("already_clocked_in", "The worker is already clocked in"),
	r_not_clocked_in = CONFLICT("not_clocked_in", "The worker is not clocked in"),
	r_elsewhere = CONFLICT("clocked_in_elsewhere",
			       "The worker is clocked in on another shift or role"),
	r_max_pairs = CONFLICT("max_clock_pairs",
			       "The entry has settings.max_clock_pairs pairs already"),
	r_outside_window = CONFLICT("outside_clock_window",
				    "Now is not within settings.clock_window_hours of the shift; edit "
				    "the pairs instead"),
	r_time_recorded = CONFLICT("time_recorded",
				   "Time is recorded for this worker; remove the pairs to mark them absent"),
	r_already_absent = CONFLICT("already_absent", "The worker is already marked absent");

const struct refusal *entry_refusal(enum sheet_action act, const struct standing *st,
				    const struct entry_facts *e)
{
	bool crew_lead = st->manager || st->chief;

	switch (act) {
	case ACT_CLOCK:
		if (!crew_lead)
			return &r_not_crew_lead;
		if (e->state == STATE_APPROVED)
			return &r_approved;
		if (e->state == STATE_SUBMITTED)
			return &r_submitted;
		return NULL;
	case ACT_EDIT:
		if (!crew_lead && !e->own)
			return &r_not_yours;
		if (e->state == STATE_APPROVED)
			return &r_approved;
		/* a submitted entry waits for a manager: what is approved is what was seen */
		if (e->state == STATE_SUBMITTED && !st->manager)
			return &r_submitted;
		return NULL;
	case ACT_SUBMIT:
		if (!crew_lead && !e->own)
			return &r_not_yours;
		if (e->state == STATE_APPROVED)
			return &r_approved;
		if (e->state == STATE_SUBMITTED)
			return &r_already_submitted;
		if (!strcmp(e->status, "clocked_in"))
			return &r_open_pair;
		if (!strcmp(e->status, "not_started"))
			return &r_not_started;
		return NULL;
	case ACT_APPROVE:
	case ACT_REJECT:
		if (!st->manager)
			return &r_not_manager;
		if (e->state == STATE_APPROVED)
			return &r_approved;
		if (e->state == STATE_DRAFT)
			return &r_not_submitted;
		return NULL;
	}
	return NULL;
}

const struct refusal *clock_refusal(bool in, const struct clock_facts *f)
{
	if (in) {
		if (f->open)
			return &r_clocked_in;
		if (f->pairs >= f->max_pairs)
			return &r_max_pairs;
		if (f->elsewhere)
			return &r_elsewhere;
	} else if (!f->open) {
		return &r_not_clocked_in;
	}
	return f->in_window ? NULL : &r_outside_window;
}

const struct refusal *absent_refusal(const struct entry_facts *e, long pairs)
{
	if (!strcmp(e->status, "absent"))
		return &r_already_absent;
	return pairs ? &r_time_recorded : NULL;
}

const struct refusal *end_refusal(const struct standing *st, long clocked_in, bool in_window)
{
	if (!st->manager && !st->chief)
		return &r_not_crew_lead;
	return clocked_in && !in_window ? &r_outside_window : NULL;
}
