#ifndef ES_POOL_H
#define ES_POOL_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct config;
struct stmt;

/* Counters a pool keeps; they live in the scoreboard so /status can read them. */
struct pool_stats {
	uint64_t acquires;
	uint64_t waits;
	uint64_t timeouts;
	uint64_t connects;        /* connections opened */
	uint64_t closes;          /* connections closed, whatever the reason */
	uint64_t connect_failures;
	uint64_t recycled;
	uint64_t broken;
	uint32_t open;
	uint32_t in_use;
};

struct pool_conn {
	PGconn *pg;
	bool open;
	bool in_use;
	bool overflow;
	bool broken;              /* set by db code: discard on release */
	struct timespec created;
	struct timespec last_used;
	double recycle_after_s;   /* pool_recycle_s with jitter */
	double idle_close_after_s; /* overflow only: pool_overflow_idle_s with jitter */
	const struct stmt **prepared;
	size_t nprepared, prepared_cap;
};

struct pool_settings {
	const char *conninfo;
	int size;
	int max_overflow;
	int overflow_idle_s;      /* an idle overflow connection closes after this; 0: at once */
	int timeout_ms;
	int recycle_s;
	int preping_idle_s;
	int connect_timeout_s;
	int statement_timeout_ms;
	bool named_statements;
	int tx_max_retries;       /* runs of a DB_TX body after the first, at most */
};

/*
 * A small libpq pool for one worker process, shared by its threads. Opened
 * after fork; connections are made lazily. Thread safe.
 */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pool_settings set;
	struct pool_conn *conns;  /* size + max_overflow slots, the first size are regular */
	int nslots;
	struct pool_stats *stats;
	struct pool_stats own_stats;
	struct timespec down_until;  /* while in the future, acquire fails fast */
	bool probing;                /* one thread is trying to reconnect */
};

/* Settings from the configuration. */
void pool_settings_from_config(struct pool_settings *set, const struct config *cfg);
/* stats may be NULL (the pool keeps its own). The conninfo string is copied. */
int pool_init(struct pool *pool, const struct pool_settings *set, struct pool_stats *stats);
/* Closes every connection; no connection may be in use. */
void pool_release(struct pool *pool);

/*
 * Hands out a healthy connection. Returns 0, ES_ETIMEOUT when every
 * connection stayed busy for timeout_ms, or ES_EUNAVAIL when the database
 * cannot be reached (fails fast for a short while after a failed connect).
 */
int pool_acquire(struct pool *pool, struct pool_conn **out);
/*
 * Returns a connection: a transaction left open is rolled back, a broken
 * connection is closed. An overflow connection stays open for the next
 * acquire (pool_reap closes it once idle long enough).
 */
void pool_put(struct pool *pool, struct pool_conn *conn);
/*
 * Closes the overflow connections idle for longer than overflow_idle_s
 * (each with its own jitter, so they do not all go at once). Cheap; the
 * worker calls it about once a second.
 */
void pool_reap(struct pool *pool);
/* True while acquire would fail fast because the database was found down. */
bool pool_database_down(struct pool *pool);
/* Seconds a client should wait before retrying after a 503. */
int pool_retry_after_s(const struct pool *pool);

/* Atomic counter helpers (the stats may be in shared memory). */
#define POOL_COUNT(pool, field) __atomic_add_fetch(&(pool)->stats->field, 1, __ATOMIC_RELAXED)

#endif
