#ifndef ES_DB_H
#define ES_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "pool/pool.h"
#include "pool/sqlstate.h"

struct arena;

/*
 * A SQL statement declared next to the code that runs it. It is prepared
 * under its name the first time a connection runs it (again after a
 * reconnect), or sent with PQexecParams when named statements are off.
 */
struct stmt {
	const char *name;
	const char *sql;
};

#define STMT(n, text) { (n), (text) }

enum db_mode {
	DB_RW,            /* READ WRITE, READ COMMITTED */
	DB_RO,            /* READ ONLY */
	DB_SERIALIZABLE,  /* READ WRITE, SERIALIZABLE */
	DB_READ,          /* one read-only statement, no BEGIN/COMMIT: one round trip */
};

/*
 * What a request lends its transaction scopes, and what the last one did.
 * struct request embeds one as its member `db`: the pool sets the outcome
 * there without knowing the request.
 */
struct db_ctx {
	struct pool *pool;        /* the worker's pool (NULL in unit tests) */
	struct arena *arena;      /* results are freed with it */
	const char *request_id;   /* named in the logs */
	/* outcome of the last scope, set when it ends (see DB_TX) */
	int err;
	enum db_failure failure;  /* what the failed statement meant (ES_EDB) */
	char sqlstate[6];
	char constraint[64];      /* the constraint a 23xxx failure names, or "" */
};

enum db_tx_phase { TX_START, TX_BODY, TX_DONE };

/* One transaction scope; see DB_TX. */
struct db_tx {
	struct db_ctx *ctx;
	struct pool *pool;
	struct pool_conn *conn;
	enum db_mode mode;
	enum db_tx_phase phase;
	int attempts;           /* runs of the body so far */
	int err;                /* ES_EDB after a failed statement, else 0 */
	enum db_failure failure;
	char sqlstate[6];
	char constraint[64];    /* the constraint a 23xxx failure names, or "" */
};

/*
 * DB_TX(req, tx) { ... } runs the body inside BEGIN ... COMMIT on a pooled
 * connection of req->db (req: a struct request, or anything holding a
 * struct db_ctx named db).
 *   - natural end of the body: COMMIT;
 *   - `continue` after a failed db_exec: ROLLBACK, and the body runs again
 *     when the failure was a serialization failure or deadlock (bounded by
 *     tx_max_retries), or a lost connection before COMMIT;
 *   - `break`, `return` or `goto` out of the body: ROLLBACK (cleanup attribute).
 * Afterwards req->db.err says what happened: 0 committed (or the body left
 * early), ES_EUNAVAIL database unavailable or commit outcome unknown,
 * ES_ETIMEOUT pool exhausted, ES_EDB a statement failed (req->db.failure
 * says how, req->db.sqlstate and req->db.constraint which).
 * The body may run more than once: build the response after the scope.
 */
#define DB_TX_MODE(req, tx, mode)                                                     \
	for (struct db_tx tx __attribute__((cleanup(db_tx_cleanup))) =                \
		     db_tx_open(&(req)->db, (mode));                                  \
	     db_tx_step(&tx);)
#define DB_TX(req, tx) DB_TX_MODE(req, tx, DB_RW)
#define DB_TX_RO(req, tx) DB_TX_MODE(req, tx, DB_RO)
/* For a body that runs exactly one read statement (a snapshot of its own). */
#define DB_READ_ONE(req, tx) DB_TX_MODE(req, tx, DB_READ)

struct db_tx db_tx_open(struct db_ctx *ctx, enum db_mode mode);
/* Drives the scope; true: run the body (again). */
bool db_tx_step(struct db_tx *tx);
/* Rolls back and returns the connection if the scope was left early. */
void db_tx_cleanup(struct db_tx *tx);

/*
 * Runs stmt with n text parameters (NULL entries are SQL NULL). Returns the
 * result (owned by the context's arena, freed with it) or NULL on failure,
 * with tx->err, tx->failure and tx->sqlstate set and the failure logged.
 */
PGresult *db_exec(struct db_tx *tx, const struct stmt *stmt, int n, const char *const *params);
/* Convenience for db_exec with a literal parameter list. */
#define DB_EXEC(tx, stmt, ...)                                                         \
	db_exec((tx), (stmt), (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
		(const char *const[]){ __VA_ARGS__ })
#define DB_EXEC0(tx, stmt) db_exec((tx), (stmt), 0, NULL)

/* Number of times COMMIT was sent (for the tests). */
extern unsigned long db_commit_count;

#endif
