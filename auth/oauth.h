#ifndef ES_OAUTH_H
#define ES_OAUTH_H

#include "base/strbuf.h"

struct config;

/*
 * Exchanges an authorization code at the configured token endpoint
 * (google_token_url) with libcurl: client id and secret, the PKCE verifier
 * and the redirect URI. On success appends the ID token to id_token and
 * returns 0; ES_EUNAVAIL when the endpoint cannot be reached or fails,
 * ES_EINVAL when it refuses the code or answers without an id_token.
 */
int oauth_exchange_code(const struct config *cfg, const char *code, const char *verifier,
			const char *redirect_uri, struct strbuf *id_token);

/* The redirect URI Google sends the browser back to. */
void oauth_redirect_uri(const struct config *cfg, struct strbuf *out);

/* Appends s percent-encoded for a URL query component (RFC 3986 unreserved kept). */
void url_encode(struct strbuf *out, const char *s);

#endif
