#ifndef ES_WORKER_H
#define ES_WORKER_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "auth/google_verify.h"
#include "core/config.h"
#include "fcgi/scoreboard.h"
#include "http/router.h"
#include "pool/pool.h"

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
	struct google_verifier google;   /* JWKS cache shared by the threads */
	const struct route *routes;
	size_t nroutes;
};

extern struct worker_state worker;

/*
 * Runs a worker process: `threads` accept loops on listen_fd until SIGTERM,
 * SIGQUIT or max_requests, then lets in-flight requests finish and returns
 * the exit status. Signals must be blocked by the caller (the master does).
 */
int worker_run(const struct config *cfg, int listen_fd, struct scoreboard *sb, int index);

#endif
