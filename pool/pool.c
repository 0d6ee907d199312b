#include "pool/pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/errors.h"
#include "base/log.h"

/* How long acquire fails fast after the database was found unreachable. */
#define POOL_DOWN_HOLD_MS 500
#define POOL_CONNECT_TRIES 3
#define POOL_CONNECT_BACKOFF_MS 50

static void ts_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static double ts_diff_s(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) + (double)(a->tv_nsec - b->tv_nsec) / 1e9;
}

static void ts_add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static long ts_until_ms(const struct timespec *deadline)
{
	struct timespec now;

	ts_now(&now);
	return (long)(ts_diff_s(deadline, &now) * 1000.0);
}

void pool_settings_from_config(struct pool_settings *set, const struct config *cfg)
{
	set->conninfo = cfg->database;
	set->size = cfg->pool_size;
	set->max_overflow = cfg->pool_max_overflow;
	set->overflow_idle_s = cfg->pool_overflow_idle_s;
	set->timeout_ms = cfg->pool_timeout_ms;
	set->recycle_s = cfg->pool_recycle_s;
	set->preping_idle_s = cfg->pool_preping_idle_s;
	set->connect_timeout_s = cfg->pool_connect_timeout_s;
	set->statement_timeout_ms = cfg->statement_timeout_ms;
	set->named_statements = cfg->pool_named_statements;
	set->tx_max_retries = cfg->tx_max_retries;
}

int pool_init(struct pool *pool, const struct pool_settings *set, struct pool_stats *stats)
{
	pthread_condattr_t attr;

	memset(pool, 0, sizeof(*pool));
	pool->set = *set;
	pool->set.conninfo = strdup(set->conninfo);
	pool->nslots = set->size + set->max_overflow;
	pool->conns = calloc((size_t)pool->nslots, sizeof(*pool->conns));
	if (!pool->set.conninfo || !pool->conns)
		abort();
	pool->stats = stats ? stats : &pool->own_stats;
	pthread_mutex_init(&pool->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&pool->cv, &attr);
	pthread_condattr_destroy(&attr);
	return 0;
}

static void conn_close(struct pool *pool, struct pool_conn *c)
{
	if (c->pg) {
		PQfinish(c->pg);
		c->pg = NULL;
		__atomic_sub_fetch(&pool->stats->open, 1, __ATOMIC_RELAXED);
		POOL_COUNT(pool, closes);
	}
	c->open = false;
	c->broken = false;
	c->nprepared = 0;
}

void pool_release(struct pool *pool)
{
	int i;

	for (i = 0; i < pool->nslots; i++) {
		conn_close(pool, &pool->conns[i]);
		free(pool->conns[i].prepared);
	}
	free(pool->conns);
	free((char *)pool->set.conninfo);
	pthread_mutex_destroy(&pool->mu);
	pthread_cond_destroy(&pool->cv);
}

/* A number in [0, 1) from a per-thread generator. */
static double jitter(void)
{
	static __thread unsigned int seed;

	if (!seed)
		seed = (unsigned int)getpid() ^ (unsigned int)(uintptr_t)&seed ^ (unsigned int)time(NULL);
	return (double)rand_r(&seed) / ((double)RAND_MAX + 1.0);
}

static int conn_connect_once(struct pool *pool, struct pool_conn *c)
{
	char timeout[32], options[96], user_timeout[32];
	/*
	 * TCP keepalives and tcp_user_timeout: a frozen database host or a
	 * network partition fails the connection in seconds, not the kernel's
	 * fifteen minutes of retransmissions. statement_timeout and jit go in
	 * the startup options, except in pgbouncer mode (no named statements),
	 * which refuses startup options: set them on the role there.
	 */
	const char *keys[] = { "dbname", "connect_timeout", "application_name", "keepalives",
			       "keepalives_idle", "keepalives_interval", "keepalives_count",
			       "tcp_user_timeout", "options", NULL };
	const char *vals[] = { pool->set.conninfo, timeout, "easyshifts", "1", "10", "5", "3",
			       user_timeout, options, NULL };

	snprintf(timeout, sizeof(timeout), "%d", pool->set.connect_timeout_s);
	snprintf(user_timeout, sizeof(user_timeout), "%d",
		 pool->set.statement_timeout_ms ? pool->set.statement_timeout_ms + 5000 : 30000);
	if (pool->set.named_statements)
		snprintf(options, sizeof(options), "-c statement_timeout=%d -c jit=off",
			 pool->set.statement_timeout_ms);
	else
		vals[8] = NULL;   /* ends the list before "options" */
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	if (log_enabled(LOG_DEBUG)) {
		struct strbuf kv = STRBUF_INIT;

		log_kv(&kv, "error", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		log_line(LOG_DEBUG, "db_connect_failed", &kv);
		strbuf_release(&kv);
	}
	PQfinish(c->pg);
	c->pg = NULL;
	return ES_EUNAVAIL;
}

/* Up to POOL_CONNECT_TRIES attempts, the pause doubling, never past the deadline. */
static int conn_connect(struct pool *pool, struct pool_conn *c, const struct timespec *deadline)
{
	long delay = POOL_CONNECT_BACKOFF_MS;
	int attempt;

	for (attempt = 1;; attempt++) {
		if (conn_connect_once(pool, c) == 0) {
			POOL_COUNT(pool, connects);
			__atomic_add_fetch(&pool->stats->open, 1, __ATOMIC_RELAXED);
			c->open = true;
			c->broken = false;
			c->nprepared = 0;
			ts_now(&c->created);
			c->last_used = c->created;
			c->recycle_after_s = pool->set.recycle_s * (0.9 + 0.2 * jitter());
			c->idle_close_after_s = pool->set.overflow_idle_s * (0.8 + 0.4 * jitter());
			return 0;
		}
		POOL_COUNT(pool, connect_failures);
		if (attempt == POOL_CONNECT_TRIES || ts_until_ms(deadline) < delay)
			return ES_EUNAVAIL;
		usleep((useconds_t)delay * 1000);
		delay *= 2;
	}
}

static bool conn_ping(struct pool_conn *c)
{
	PGresult *r = PQexec(c->pg, "");
	bool ok = r && PQresultStatus(r) == PGRES_EMPTY_QUERY;

	PQclear(r);
	return ok;
}

/* Readies a connection this thread owns: recycle when old, ping when idle long. */
static int conn_make_ready(struct pool *pool, struct pool_conn *c, const struct timespec *deadline)
{
	struct timespec now;

	ts_now(&now);
	if (c->open && ts_diff_s(&now, &c->created) >= c->recycle_after_s) {
		conn_close(pool, c);
		POOL_COUNT(pool, recycled);
	} else if (c->open && ts_diff_s(&now, &c->last_used) >= pool->set.preping_idle_s &&
		   !conn_ping(c)) {
		conn_close(pool, c);
		POOL_COUNT(pool, broken);
	}
	if (!c->open)
		return conn_connect(pool, c, deadline);
	return 0;
}

bool pool_database_down(struct pool *pool)
{
	struct timespec now;
	bool down;

	pthread_mutex_lock(&pool->mu);
	ts_now(&now);
	down = ts_diff_s(&pool->down_until, &now) > 0;
	pthread_mutex_unlock(&pool->mu);
	return down;
}

int pool_retry_after_s(const struct pool *pool)
{
	return 1;
}

/*
 * The most recently used idle connection, a regular one before any
 * overflow: overflow connections serve only bursts, so that once the load
 * fits the regular ones again they stay idle and pool_reap closes them.
 */
static struct pool_conn *pick_idle(struct pool *pool)
{
	struct pool_conn *best = NULL;
	int i;

	for (i = 0; i < pool->nslots; i++) {
		struct pool_conn *c = &pool->conns[i];

		if (c->in_use || !c->open)
			continue;
		if (!best || (best->overflow && !c->overflow) ||
		    (best->overflow == c->overflow && ts_diff_s(&c->last_used, &best->last_used) > 0))
			best = c;
	}
	return best;
}

static struct pool_conn *pick_free_slot(struct pool *pool)
{
	int i;

	for (i = 0; i < pool->nslots; i++)
		if (!pool->conns[i].in_use && !pool->conns[i].open) {
			pool->conns[i].overflow = i >= pool->set.size;
			return &pool->conns[i];
		}
	return NULL;
}

int pool_acquire(struct pool *pool, struct pool_conn **out)
{
	struct timespec deadline, now;
	struct pool_conn *c;
	bool waited = false, probe = false;
	int rc;

	ts_now(&deadline);
	ts_add_ms(&deadline, pool->set.timeout_ms);
	POOL_COUNT(pool, acquires);
	pthread_mutex_lock(&pool->mu);
	for (;;) {
		ts_now(&now);
		c = pick_idle(pool);
		if (!c) {
			if (ts_diff_s(&pool->down_until, &now) > 0 || pool->probing) {
				pthread_mutex_unlock(&pool->mu);
				return ES_EUNAVAIL;
			}
			c = pick_free_slot(pool);
			if (c && pool->down_until.tv_sec)
				probe = pool->probing = true;
		}
		if (c)
			break;
		if (!waited) {
			POOL_COUNT(pool, waits);
			waited = true;
		}
		rc = pthread_cond_timedwait(&pool->cv, &pool->mu, &deadline);
		if (rc == ETIMEDOUT) {
			POOL_COUNT(pool, timeouts);
			pthread_mutex_unlock(&pool->mu);
			return ES_ETIMEOUT;
		}
	}
	c->in_use = true;
	__atomic_add_fetch(&pool->stats->in_use, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&pool->mu);

	rc = conn_make_ready(pool, c, &deadline);

	pthread_mutex_lock(&pool->mu);
	if (probe)
		pool->probing = false;
	if (rc) {
		ts_now(&pool->down_until);
		ts_add_ms(&pool->down_until, POOL_DOWN_HOLD_MS);
		c->in_use = false;
		__atomic_sub_fetch(&pool->stats->in_use, 1, __ATOMIC_RELAXED);
		pthread_cond_broadcast(&pool->cv);
	} else {
		memset(&pool->down_until, 0, sizeof(pool->down_until));
	}
	pthread_mutex_unlock(&pool->mu);
	if (rc)
		return ES_EUNAVAIL;
	*out = c;
	return 0;
}

/* After one lost connection, distrust the idle ones: ping them before use. */
static void suspect_idle(struct pool *pool)
{
	int i;

	for (i = 0; i < pool->nslots; i++)
		if (pool->conns[i].open && !pool->conns[i].in_use)
			memset(&pool->conns[i].last_used, 0, sizeof(struct timespec));
}

void pool_put(struct pool *pool, struct pool_conn *c)
{
	bool lost = false;

	if (!c)
		return;
	if (!c->broken && c->pg && PQstatus(c->pg) == CONNECTION_OK) {
		PGTransactionStatusType ts = PQtransactionStatus(c->pg);

		if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
			PGresult *r = PQexec(c->pg, "ROLLBACK");

			if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
				c->broken = true;
			PQclear(r);
		} else if (ts != PQTRANS_IDLE) {
			c->broken = true;
		}
	} else {
		c->broken = true;
		lost = c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD;
	}
	if (c->broken) {
		conn_close(pool, c);
		POOL_COUNT(pool, broken);
	} else if (c->overflow && pool->set.overflow_idle_s == 0) {
		conn_close(pool, c);
	} else {
		ts_now(&c->last_used);
	}
	pthread_mutex_lock(&pool->mu);
	if (lost)
		suspect_idle(pool);
	c->in_use = false;
	__atomic_sub_fetch(&pool->stats->in_use, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

void pool_reap(struct pool *pool)
{
	struct pool_conn *idle[64];
	struct timespec now;
	size_t n = 0, i;
	int k;

	pthread_mutex_lock(&pool->mu);
	ts_now(&now);
	for (k = pool->set.size; k < pool->nslots && n < sizeof(idle) / sizeof(idle[0]); k++) {
		struct pool_conn *c = &pool->conns[k];

		if (c->open && !c->in_use && ts_diff_s(&now, &c->last_used) >= c->idle_close_after_s) {
			c->in_use = true;   /* ours while it closes outside the lock */
			idle[n++] = c;
		}
	}
	pthread_mutex_unlock(&pool->mu);
	if (!n)
		return;
	for (i = 0; i < n; i++)
		conn_close(pool, idle[i]);
	pthread_mutex_lock(&pool->mu);
	for (i = 0; i < n; i++)
		idle[i]->in_use = false;
	pthread_cond_broadcast(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}
