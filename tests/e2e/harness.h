#ifndef ES_E2E_HARNESS_H
#define ES_E2E_HARNESS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/strbuf.h"

/*
 * End-to-end harness: tests/e2e/run starts PostgreSQL and exports
 * ES_E2E_RUN (run directory), ES_E2E_TOP (source tree) and
 * ES_TEST_DATABASE (conninfo). Each suite starts nginx with the project's
 * site config and its own `easyshifts serve` with the settings it needs,
 * then speaks HTTP to nginx with libcurl.
 */

struct http_res {
	long status;
	struct strbuf headers;
	struct strbuf body;
	double seconds;
	int curl_error;   /* CURLcode; 0 when a response arrived */
};

/* Reads the environment, starts nginx on a free port. 0 or -1. */
int e2e_init(void);
/* Stops the server and nginx. */
void e2e_done(void);

/*
 * Starts `easyshifts serve` with debug routes on and the given NULL-ended
 * list of "KEY=VALUE" environment settings (EASYSHIFTS_*). Waits until
 * /healthz answers. Returns the master pid or -1.
 */
pid_t serve_start(const char *const *env);
/* SIGTERM to the master; returns its exit status (-1 if it had to be killed). */
int serve_stop(void);
pid_t serve_pid(void);

/* One HTTP request to a full URL (no redirects followed). */
void http_url(struct http_res *res, const char *method, const char *url, const char *body,
	      const char *const *extra_headers);
/* One HTTP request to nginx; body may be NULL; extra_headers NULL-ended. */
void http(struct http_res *res, const char *method, const char *path, const char *body,
	  const char *const *extra_headers);
void http_get(struct http_res *res, const char *path);
void http_res_release(struct http_res *res);
/* The value of a response header (case-insensitive name), or NULL. Static buffer. */
const char *http_header(const struct http_res *res, const char *name);
/* Runs n GET requests at once; results[i] must be released by the caller. */
void http_parallel(int n, const char *path, struct http_res *results);

/* The value a Set-Cookie header gives cookie name ("" when it deletes it), or NULL. Static buffer. */
const char *http_set_cookie(const struct http_res *res, const char *name);
/* The whole Set-Cookie line for name (attributes included), or NULL. Static buffer. */
const char *http_set_cookie_line(const struct http_res *res, const char *name);
/* nginx's base URL, e.g. "http://127.0.0.1:12345". */
const char *base_url(void);

/*
 * Starts the fake Google (tests/fakeidp) on a free port; returns the port
 * or -1. fake_google_env() gives the EASYSHIFTS_GOOGLE_* settings pointing
 * at it (NULL-ended, static).
 */
int fake_google_start(void);
void fake_google_stop(void);
const char *const *fake_google_env(void);
/* POSTs a JSON body to the fake's /control. */
void fake_google_control(const char *json);
/* A token minted by the fake with the given query string (e.g. "sub=x&nonce=y"); static buffer. */
const char *fake_google_mint(const char *query);

/* A signed-in principal: headers for cookie + CSRF (and JSON) requests. */
struct principal {
	char cookie[128];
	char csrf[128];
	const char *headers[4];   /* Content-Type, Cookie, X-CSRF-Token, NULL */
	long long user_id;
};

/*
 * Writes a session for username straight into the sessions table (no
 * password hashing) and fills p. Returns 0, or -1 when there is no such user.
 */
int principal_for(const char *username, struct principal *p);

/* A libpq connection to the test database (one per process, lazily). */
PGconn *db(void);
/* Runs sql and returns the first column of the first row as a long (-1 on error). */
long db_long(const char *sql);
/* Runs sql (errors abort the test run). */
void db_exec_sql(const char *sql);

/* Runs `tests/stack CMD RUN ARGS...`; returns its exit status. */
int stack(const char *cmd, const char *args);

/* Worker pids from /status (up to max); returns how many. */
int worker_pids(pid_t *pids, int max);
double now_s(void);
void sleep_ms(long ms);

#endif
