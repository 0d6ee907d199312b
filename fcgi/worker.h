#ifndef ES_WORKER_H
#define ES_WORKER_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "base/config.h"
#include "fcgi/scoreboard.h"
#include "http/dispatch.h"
#include "pool/pool.h"

/*
 * What the program runs in each worker process (fcgi/main.c fills it from
 * handlers/): the table its threads dispatch, and what the process does
 * around them. Any hook may be NULL.
 */
struct worker_hooks {
	const struct dispatch_table *table;
	/* after the fork, before the threads accept: state the threads share */
	void (*init)(const struct config *cfg);
	/* after the threads have stopped */
	void (*release)(void);
	/* every few minutes in worker 0, on a request of its own: 0 or an ES_E* code */
	int (*housekeeping)(struct request *req);
};

/* The one piece of mutable process state a worker has. */
struct worker_state {
	const struct config *cfg;
	struct scoreboard *sb;
	struct sb_worker *slot;
	int index;
	int listen_fd;
	int wake[2];                 /* readable once the worker is stopping */
	volatile sig_atomic_t stopping;
	unsigned long max_requests;  /* with jitter; 0: unlimited */
	unsigned long served;
	struct pool pool;
	const struct worker_hooks *hooks;
};

extern struct worker_state worker;

/*
 * Runs a worker process: `threads` accept loops on listen_fd serving
 * hooks->table until SIGTERM, SIGQUIT or max_requests, then lets in-flight
 * requests finish and returns the exit status. Signals must be blocked by
 * the caller (the master does).
 */
int worker_run(const struct config *cfg, const struct worker_hooks *hooks, int listen_fd,
	       struct scoreboard *sb, int index);

#endif
