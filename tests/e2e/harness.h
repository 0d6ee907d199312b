#ifndef ES_E2E_HARNESS_H
#define ES_E2E_HARNESS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/strbuf.h"

/*
 * End-to-end harness: tests/e2e/run starts PostgreSQL and exports
 * ES_E2E_RUN (run directory), ES_E2E_TOP (source tree) and
 * ES_TEST_DATABASE (conninfo). Each suite starts nginx with the project's
 * site config and its own `easyshifts serve` with the settings it needs,
 * then speaks HTTP to nginx with libcurl.
 *
 * What the suites share, one header each:
 *   harness.h      processes (nginx, the server, the fake Google), HTTP, clocks
 *   principal.h    signed-in users: sessions, headers, requests as someone
 *   json_at.h      values at dotted paths of a JSON answer
 *   seed.h         rows written straight into the tables (users, clients, jobs, shifts)
 *   audit.h        counting audit_log rows
 *   tests/lib/sql.h  the test database: statements, numbers and texts
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
/* Stops the server, the fake Google and nginx, closes the database; 0 (a CUnit teardown). */
int e2e_done(void);

/*
 * Starts `easyshifts serve` with debug routes on and the given NULL-ended
 * list of "KEY=VALUE" environment settings (EASYSHIFTS_*). Waits until
 * /healthz answers. Returns the master pid or -1.
 */
pid_t serve_start(const char *const *env);
/* SIGTERM to the master; returns its exit status (-1 if it had to be killed). */
int serve_stop(void);
pid_t serve_pid(void);

/* Content-Type: application/json and nothing else (NULL-ended, for http()). */
extern const char *const json_ct[];

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
/* The base URL http() prefixes: nginx's ("http://127.0.0.1:12345") unless set. */
const char *base_url(void);
/* Sends http() to another server from now on (the smoke suite's installed ones). */
void http_use_base(const char *url);

/* Whether the response body holds needle. */
bool body_has(const struct http_res *res, const char *needle);
/* The response body parsed (json_object_put it); NULL when it is not JSON. */
struct json_object *body_json(const struct http_res *res);

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

/* Runs `tests/stack CMD RUN ARGS...`; returns its exit status. */
int stack(const char *cmd, const char *args);

/* Worker pids from /status (up to max); returns how many. */
int worker_pids(pid_t *pids, int max);
/* Seconds on the monotonic clock. */
double now_s(void);
void sleep_ms(long ms);
/*
 * The wall clock moved by seconds, as RFC 3339 UTC ("2026-03-01T08:00:00Z").
 * One of eight static buffers used in turn (not across threads).
 */
const char *rfc3339_from_now(long seconds);

#endif
