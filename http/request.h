#ifndef ES_REQUEST_H
#define ES_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "http/response.h"
#include "http/router.h"
#include "pool/db.h"

struct auth_user;
struct config;
struct json_object;

struct kv {
	const char *key;
	const char *value;
};

/*
 * One request, from accept to FCGX_Finish_r. Everything it points to lives
 * in its arena, released by req_reset() once the response is sent.
 */
struct request {
	struct arena arena;
	const struct config *cfg;
	char **envp;                /* FastCGI parameters */
	/* reads up to n body bytes; returns bytes read, 0 at the end, <0 on error */
	int (*read_body)(void *ctx, char *buf, int n);
	void *read_ctx;

	const char *method;
	const char *path;           /* decoded, without the /api/v1 prefix */
	struct kv *query;
	size_t nquery;
	struct kv *cookies;
	size_t ncookies;
	const char *captures[ROUTE_MAX_CAPTURES];
	const char *capture_names[ROUTE_MAX_CAPTURES];
	size_t ncaptures;
	const struct route *route;
	char request_id[65];

	char *body;
	size_t body_len;
	struct json_object *json;   /* parsed body, NULL when there was none */

	struct auth_user *user;     /* the signed-in user (routes above ACCESS_DEBUG) */

	struct db_ctx db;           /* db.pool: the worker's; db.err: outcome of the last DB_TX */
	struct response resp;
};

#define API_PREFIX "/api/v1"

/* Ready for a first request; set req->db.pool for database work. */
void req_init(struct request *req, const struct config *cfg);
/* Frees what the last request used; the request is ready for the next one. */
void req_reset(struct request *req);
void req_release(struct request *req);

/*
 * Reads method, path, query string, cookies and the request id from envp.
 * Returns 0, or ES_EINVAL when the path cannot be decoded (a 400).
 */
int req_parse(struct request *req, char **envp);

/* The request a transaction scope was opened on (DB_TX(req, tx) opens it on req->db). */
struct request *req_from_tx(const struct db_tx *tx);

/* A FastCGI parameter (e.g. "HTTP_X_CSRF_TOKEN"), or NULL. */
const char *req_param(const struct request *req, const char *name);
/* The first query parameter named name, percent-decoded, or NULL. */
const char *req_query(const struct request *req, const char *name);
const char *req_cookie(const struct request *req, const char *name);
/* The path segment captured by {name} in the route pattern, or NULL. */
const char *req_capture(const struct request *req, const char *name);

/*
 * Reads the body (when there is one) and parses it as JSON into req->json.
 * Returns 0, or sets the error response itself (413, 415, 400) and returns
 * ES_ETOOBIG / ES_EINVAL / ES_EIO.
 */
int req_read_json(struct request *req);

/* Percent-decodes s[0..len) into the arena; '+' is a space when form is true. NULL if invalid. */
char *req_percent_decode(struct arena *a, const char *s, size_t len, bool form);
/* Splits "a=1&b=2" into decoded pairs (arena-owned). */
size_t req_parse_query_string(struct arena *a, const char *qs, struct kv **out);
/* Splits a Cookie header into pairs (arena-owned). */
size_t req_parse_cookie_header(struct arena *a, const char *header, struct kv **out);

#endif
