#ifndef ES_HANDLERS_TIMESHEET_RULES_H
#define ES_HANDLERS_TIMESHEET_RULES_H

#include <stdbool.h>

struct refusal;

/*
 * Who may do what to a time entry (SPEC §3 "Time sheets"), as pure
 * functions of the facts the handler read: each returns the refusal of
 * the action, or NULL when the caller may go on.
 */

enum sheet_action { ACT_CLOCK, ACT_EDIT, ACT_SUBMIT, ACT_APPROVE, ACT_REJECT };
enum sheet_state { STATE_DRAFT, STATE_SUBMITTED, STATE_APPROVED };

/* The caller's standing on one shift. */
struct standing {
	bool visible;   /* the shift exists and the caller may see its sheet */
	bool manager;
	bool chief;     /* holds crew_chief on it (and may see it) */
	bool client;    /* sees approved entries only */
};

/* One entry as the rules see it. */
struct entry_facts {
	enum sheet_state state;
	const char *status;     /* not_started | clocked_in | clocked_out | absent */
	bool own;               /* the caller's own entry */
};

/* What clocking in or out depends on. */
struct clock_facts {
	long pairs;             /* clock pairs recorded */
	long open;              /* of them not clocked out */
	long max_pairs;         /* settings.max_clock_pairs */
	bool in_window;         /* now is inside the shift's clock window */
	bool elsewhere;         /* the worker is clocked in on another entry */
};

/*
 * One action on one entry. Approved entries are frozen for everyone; a
 * worker acts on their own entry only until it is submitted; the crew
 * chief clocks and edits until it is submitted, managers until approval;
 * a submitted entry needs every pair closed and something recorded; only
 * managers approve and reject, and only what was submitted.
 */
const struct refusal *entry_refusal(enum sheet_action act, const struct standing *st,
				    const struct entry_facts *e);
/* Clocking in (in) or out: one open pair at a time, within the limit and the window. */
const struct refusal *clock_refusal(bool in, const struct clock_facts *f);
/* Marking absent: only once, and only while no time is recorded (pairs: how many). */
const struct refusal *absent_refusal(const struct entry_facts *e, long pairs);
/* Ending the shift: managers and its crew chief, within the window while anyone is in. */
const struct refusal *end_refusal(const struct standing *st, long clocked_in, bool in_window);

#endif
