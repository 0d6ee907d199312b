#ifndef ES_HANDLERS_DEBUG_H
#define ES_HANDLERS_DEBUG_H

/*
 * Routes for the test suites only (access ACCESS_DEBUG: 404 unless the
 * configuration sets debug_routes). They exercise the runtime: body parsing,
 * holding a pooled connection, the backend pid, scope rollback.
 */
struct request;

int debug_echo(struct request *req);
int debug_sleep(struct request *req);
int debug_backend(struct request *req);
int debug_tx_write(struct request *req);

#endif
