#ifndef ES_E2E_PRINCIPAL_H
#define ES_E2E_PRINCIPAL_H

#include <json-c/json.h>

#include "tests/e2e/harness.h"

/*
 * Someone the suites send requests as: a user with a session and the
 * headers that carry it. headers is what every request of this principal
 * sends; it points into the struct, so a principal is filled in place and
 * never copied.
 */
struct principal {
	long long user_id;       /* -1 when anonymous */
	char token[64];          /* the session token; "" when anonymous */
	char cookie[96];         /* "Cookie: es_session=<token>" */
	char csrf[96];           /* "X-CSRF-Token: <csrf>" */
	char bearer[96];         /* "Authorization: Bearer <token>" */
	const char *headers[4];  /* NULL-ended: Content-Type first, then the session's */
};

/*
 * A browser: a fresh session for username written straight into the
 * sessions table (no password, no login request), sent as the cookie with
 * its CSRF token. Returns 0, or -1 when there is no such user.
 */
int principal_for(const char *username, struct principal *p);
/* The same session sent as an API client does: Authorization: Bearer, no cookie. */
int principal_bearer_for(const char *username, struct principal *p);
/* No session: Content-Type only. */
void principal_anonymous(struct principal *p);
/* Writes p's session into the table again (after the suite emptied it); same token. */
void principal_renew(const struct principal *p);

/*
 * Signs username in through POST /api/v1/auth/login, as a browser does.
 * Returns the status; on 200 p (if given) holds the session as a browser
 * (cookie and CSRF). With keep the response is handed over (release it).
 */
long principal_login(struct principal *p, const char *username, const char *password,
		     struct http_res *keep);
/* The same sign-in asking for a Bearer token too ("bearer": true); on 200 p->token holds it. */
long principal_login_with_token(struct principal *p, const char *username, const char *password,
				struct http_res *keep);

/*
 * One request to nginx as p (NULL: no headers at all). Returns the status
 * (0 when no answer came); a 5xx is printed. With keep the response is
 * handed over (release it), otherwise released.
 */
long call(const struct principal *p, const char *method, const char *path, const char *body,
	  struct http_res *keep);
/* The same, returning the parsed body (json_object_put it; NULL when not JSON) and the status. */
struct json_object *call_json(const struct principal *p, const char *method, const char *path,
			      const char *body, long *status);

#endif
