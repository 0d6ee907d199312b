#ifndef ES_HANDLERS_WRITE_H
#define ES_HANDLERS_WRITE_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db_tx;
struct refusal;
struct request;

/*
 * One write, the same way every time. Inside the transaction scope: lock
 * the row and check the caller may see it, check the rule (a refusal),
 * change the row, record one audit row; after the scope, answer. The
 * scope's body may run more than once, so the answer is made from what
 * the last run left here:
 *
 *	struct write_op w;
 *
 *	write_init(&w, req, "job", id);
 *	DB_TX(req, tx) {
 *		PGresult *r = DB_EXEC(&tx, &stmt_job_lock, w.id_text);
 *
 *		if (!r)
 *			continue;                             a failed statement
 *		if (write_lock(&w, r, &r_no_job) || write_refuse(&w, job_rule(...)))
 *			break;                                a refusal rolls back
 *		r = DB_EXEC(&tx, &stmt_job_update, w.id_text, doc);
 *		if (!r || write_audit(&w, &tx, "update", PQgetvalue(r, 0, 0)))
 *			continue;
 *	}
 *	return write_answer(&w, 200);
 */
struct write_op {
	struct request *req;
	const char *entity;             /* as the audit log names it */
	long long id;                   /* the row (write_id when only the scope knows it) */
	const char *id_text;            /* id as a statement parameter */
	/*
	 * The row before and after the change (JSON; after is NULL once the row
	 * is deleted). write_lock and write_audit set them; a change that finds
	 * its row another way, or whose statement writes its own audit row
	 * (es_audit), sets them itself.
	 */
	const char *before;
	const char *after;
	const struct refusal *refusal;  /* why the write was refused, or NULL */
};

void write_init(struct write_op *w, struct request *req, const char *entity, long long id);
/* The row's id, once known: a create made it, or the row was found by another key. */
void write_id(struct write_op *w, long long id);

/*
 * The first step of each run of the body: locked is the result of the
 * statement that locked the row (its first column the row's JSON), or no
 * row when there is none the caller may see, refused with missing.
 * Returns 0, or ES_ECONFLICT when refused (leave the body with break).
 */
int write_lock(struct write_op *w, PGresult *locked, const struct refusal *missing);

/* Refuses the write when r is not NULL. Returns ES_ECONFLICT when refused (break), else 0. */
int write_refuse(struct write_op *w, const struct refusal *r);

/*
 * Records the row after the change (NULL: deleted) and its one audit row:
 * action by the caller on the write's entity and id, the row before and
 * after. Returns 0 or ES_EDB (leave the body with continue).
 */
int write_audit(struct write_op *w, struct db_tx *tx, const char *action, const char *after);

/* True once the scope committed the write: it was neither refused nor failed. */
bool write_done(const struct write_op *w);

/*
 * The handler's answer after the scope: the failure for dispatch, the
 * refusal, or status with the row after (204: no body). Returns what the
 * handler returns.
 */
int write_answer(const struct write_op *w, int status);

#endif
