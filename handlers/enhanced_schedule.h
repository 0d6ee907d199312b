#ifndef ES_HANDLERS_ENHANCED_SCHEDULE_H
#define ES_HANDLERS_ENHANCED_SCHEDULE_H

struct request;

/*
 * GET /schedule/weeks/{date}/availability (managers): the week's fields,
 * every active approved employee with their submitted availability or null
 * (items), and those who have not answered (missing).
 */
int availability_week(struct request *req);
/* GET /me/availability/{date}: the week's fields and the caller's entries, note, submitted_at. */
int availability_mine(struct request *req);
/*
 * PUT /me/availability/{date} {entries: [{date, part, state}], note}:
 * replaces the caller's submission while the week's request window is
 * open (else 409 request_window_closed); 422 naming the index of each bad
 * entry.
 */
int availability_submit(struct request *req);

#endif
