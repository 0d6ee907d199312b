#ifndef ES_HANDLERS_OPS_H
#define ES_HANDLERS_OPS_H

struct request;

/* GET /healthz: the process answers; no database. */
int ops_healthz(struct request *req);
/* GET /readyz: 200 when the database answers through the pool, else 503. */
int ops_readyz(struct request *req);
/* GET /status: workers, requests and pool counters; ?format=prometheus for text. */
int ops_status(struct request *req);

/*
 * Deletes what has expired: sessions past their lifetime, failed-login
 * rows older than a day, unused sign-in states. Run by one worker every few
 * minutes (not a route). Returns 0 or an ES_E* code.
 */
int ops_housekeeping(struct request *req);

#endif
