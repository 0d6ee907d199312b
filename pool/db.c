#include "pool/db.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/errors.h"
#include "base/log.h"

unsigned long db_commit_count;

static void pgresult_free(void *r)
{
	PQclear(r);
}

static bool conn_has_prepared(const struct pool_conn *c, const struct stmt *stmt)
{
	size_t i;

	for (i = 0; i < c->nprepared; i++)
		if (c->prepared[i] == stmt)
			return true;
	return false;
}

static void conn_mark_prepared(struct pool_conn *c, const struct stmt *stmt)
{
	if (c->nprepared == c->prepared_cap) {
		size_t cap = c->prepared_cap ? c->prepared_cap * 2 : 32;
		const struct stmt **p = realloc(c->prepared, cap * sizeof(*p));

		if (!p)
			abort();
		c->prepared = p;
		c->prepared_cap = cap;
	}
	c->prepared[c->nprepared++] = stmt;
}

/* Records a failure on the scope; returns NULL for db_exec to hand back. */
static PGresult *tx_fail(struct db_tx *tx, PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	bool bad = !tx->conn->pg || PQstatus(tx->conn->pg) == CONNECTION_BAD;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	const char *constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;

	tx->err = ES_EDB;
	tx->failure = sqlstate_classify(state, bad);
	snprintf(tx->sqlstate, sizeof(tx->sqlstate), "%s", state ? state : "");
	snprintf(tx->constraint, sizeof(tx->constraint), "%s", constraint ? constraint : "");
	if (tx->failure == DB_FAIL_CONNECTION)
		tx->conn->broken = true;
	if (!msg && tx->conn->pg)
		msg = PQerrorMessage(tx->conn->pg);
	if (tx->failure != DB_FAIL_RETRY && tx->failure != DB_FAIL_UNIQUE &&
	    tx->failure != DB_FAIL_FOREIGN_KEY && tx->failure != DB_FAIL_CHECK) {
		struct strbuf kv = STRBUF_INIT;

		log_kv(&kv, "req_id", tx->ctx->request_id ? tx->ctx->request_id : "");
		log_kv(&kv, "stmt", what);
		log_kv(&kv, "sqlstate", tx->sqlstate);
		log_kv(&kv, "error", msg ? msg : "");
		log_line(LOG_WARN, "db_error", &kv);
		strbuf_release(&kv);
	}
	PQclear(r);
	return NULL;
}

PGresult *db_exec(struct db_tx *tx, const struct stmt *stmt, int n, const char *const *params)
{
	struct pool_conn *c = tx->conn;
	PGresult *r;
	ExecStatusType st;

	if (!c || tx->phase != TX_BODY) {
		tx->err = ES_EDB;
		tx->failure = DB_FAIL_OTHER;
		return NULL;
	}
	if (tx->err)   /* an earlier statement failed: the transaction is aborted */
		return NULL;
	if (tx->pool->set.named_statements) {
		if (!conn_has_prepared(c, stmt)) {
			r = PQprepare(c->pg, stmt->name, stmt->sql, 0, NULL);
			if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
				return tx_fail(tx, r, stmt->name);
			PQclear(r);
			conn_mark_prepared(c, stmt);
		}
		r = PQexecPrepared(c->pg, stmt->name, n, params, NULL, NULL, 0);
	} else {
		r = PQexecParams(c->pg, stmt->sql, n, NULL, params, NULL, NULL, 0);
	}
	st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return tx_fail(tx, r, stmt->name);
	if (tx->ctx->arena)
		arena_defer(tx->ctx->arena, pgresult_free, r);
	return r;
}

static bool tx_simple(struct db_tx *tx, const char *sql)
{
	PGresult *r = PQexec(tx->conn->pg, sql);

	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		tx_fail(tx, r, sql);
		return false;
	}
	PQclear(r);
	return true;
}

static const char *begin_sql(enum db_mode mode)
{
	switch (mode) {
	case DB_RO: return "BEGIN READ ONLY";
	case DB_SERIALIZABLE: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
	default: return "BEGIN";
	}
}

static void tx_finish(struct db_tx *tx, int err)
{
	if (tx->conn) {
		pool_put(tx->pool, tx->conn);
		tx->conn = NULL;
	}
	tx->phase = TX_DONE;
	tx->ctx->err = err;
	tx->ctx->failure = tx->failure;
	memcpy(tx->ctx->sqlstate, tx->sqlstate, sizeof(tx->sqlstate));
	memcpy(tx->ctx->constraint, tx->constraint, sizeof(tx->constraint));
}

/* Acquires a connection and sends BEGIN; a connection that died while idle is replaced. */
static int tx_begin(struct db_tx *tx)
{
	int tries, rc;

	for (tries = 0; tries <= tx->pool->set.size; tries++) {
		rc = pool_acquire(tx->pool, &tx->conn);
		if (rc)
			return rc;
		tx->err = 0;
		tx->failure = DB_FAIL_NONE;
		tx->sqlstate[0] = '\0';
		tx->constraint[0] = '\0';
		if (tx->mode == DB_READ || tx_simple(tx, begin_sql(tx->mode)))
			return 0;
		pool_put(tx->pool, tx->conn);
		tx->conn = NULL;
		if (tx->failure != DB_FAIL_CONNECTION)
			return ES_EDB;
	}
	return ES_EUNAVAIL;
}

static void retry_pause(struct db_tx *tx)
{
	unsigned int seed = (unsigned int)(uintptr_t)tx ^ (unsigned int)tx->attempts;

	usleep((useconds_t)(1000 * tx->attempts + rand_r(&seed) % 5000));
}

struct db_tx db_tx_open(struct db_ctx *ctx, enum db_mode mode)
{
	struct db_tx tx;

	memset(&tx, 0, sizeof(tx));
	tx.ctx = ctx;
	tx.pool = ctx->pool;
	tx.mode = mode;
	tx.phase = TX_START;
	ctx->err = 0;
	ctx->failure = DB_FAIL_NONE;
	ctx->sqlstate[0] = '\0';
	ctx->constraint[0] = '\0';
	return tx;
}

bool db_tx_step(struct db_tx *tx)
{
	int rc;

	switch (tx->phase) {
	case TX_DONE:
		return false;
	case TX_START:
		break;
	case TX_BODY:
		if (!tx->err && tx->mode == DB_READ) {
			tx_finish(tx, 0);
			return false;
		}
		if (!tx->err) {
			__atomic_add_fetch(&db_commit_count, 1, __ATOMIC_RELAXED);
			if (tx_simple(tx, "COMMIT")) {
				tx_finish(tx, 0);
				return false;
			}
			if (tx->failure != DB_FAIL_RETRY) {
				/* the server may or may not have committed: never retry blindly */
				tx_finish(tx, tx->failure == DB_FAIL_CONNECTION ? ES_EUNAVAIL : ES_EDB);
				return false;
			}
		}
		/* the body failed (or COMMIT hit a serialization failure) */
		if ((tx->failure == DB_FAIL_RETRY || tx->failure == DB_FAIL_CONNECTION) &&
		    tx->attempts <= tx->pool->set.tx_max_retries) {
			pool_put(tx->pool, tx->conn);
			tx->conn = NULL;
			retry_pause(tx);
			break;
		}
		tx_finish(tx, tx->failure == DB_FAIL_CONNECTION ? ES_EUNAVAIL : ES_EDB);
		return false;
	}
	rc = tx_begin(tx);
	if (rc) {
		tx_finish(tx, rc == ES_EDB ? ES_EDB : rc);
		return false;
	}
	tx->phase = TX_BODY;
	tx->attempts++;
	tx->ctx->err = 0;
	return true;
}

void db_tx_cleanup(struct db_tx *tx)
{
	if (tx->phase == TX_BODY)
		tx_finish(tx, tx->err);
}
