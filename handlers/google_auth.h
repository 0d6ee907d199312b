#ifndef ES_HANDLERS_GOOGLE_AUTH_H
#define ES_HANDLERS_GOOGLE_AUTH_H

struct config;
struct request;

/*
 * The worker process's Google key cache (JWKS), shared by its threads:
 * made after the fork from cfg's google_* keys, released when the threads
 * have stopped.
 */
void google_auth_init(const struct config *cfg);
void google_auth_release(void);

/* POST /auth/google {credential, g_csrf_token?}: the Identity Services button. */
int google_auth_credential(struct request *req);
/* GET /auth/google/start?next=/path: 302 to the provider with state, nonce, PKCE. */
int google_auth_start(struct request *req);
/* GET /auth/google/callback?code&state: exchange, verify, sign in, 302 to next. */
int google_auth_callback(struct request *req);
/* POST /auth/google/link {credential}: link a Google account to the caller. */
int google_auth_link(struct request *req);

#endif
