#ifndef ES_GOOGLE_VERIFY_H
#define ES_GOOGLE_VERIFY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/strbuf.h"

/*
 * Google ID token verification (SPEC §3): RS256 only, signature checked
 * with OpenSSL against keys from a JWKS document fetched over HTTPS with
 * libcurl, cached for the response's Cache-Control max-age, kept when a
 * refresh fails, refetched at most once per cooldown on an unknown kid.
 * One cache per worker process, shared by its threads.
 */

/* Fetches url; fills body and max_age_s (-1 when the response had no max-age). 0 or -1. */
typedef int (*jwks_fetch_fn)(void *ctx, const char *url, struct strbuf *body, long *max_age_s);

/*
 * A NULL/empty string, a negative skew_s, or a cooldown/max-age <= 0 selects
 * the default; durations are capped at a day (so is a served max-age).
 */
struct google_verifier_config {
	const char *jwks_url;
	const char *client_id;          /* the required aud; none refuses every token */
	const char *issuers;            /* comma-separated accepted iss values */
	const char *hosted_domain;      /* required hd, or NULL/"" for none */
	long skew_s;                    /* clock skew allowed on exp/iat/nbf (default 60) */
	long unknown_kid_cooldown_s;    /* min seconds between refetches for unknown kids (default 60) */
	long default_max_age_s;         /* cache time when the response has no max-age (default 300) */
};

struct jwks_key;   /* opaque: kid + EVP_PKEY */

struct google_verifier {
	pthread_mutex_t mu;
	struct google_verifier_config cfg;   /* strings copied */
	struct jwks_key *keys;
	size_t nkeys;
	time_t fetched_at;
	time_t expires_at;
	time_t last_unknown_kid_fetch;
	unsigned long fetches;               /* how many times fetch was called (tests, /status) */
	jwks_fetch_fn fetch;
	void *fetch_ctx;
	time_t (*now)(void);                 /* time source; tests may replace it */
};

/* The verified identity; strings owned by the struct (google_identity_release). */
struct google_identity {
	char *sub;
	char *email;          /* NULL when absent */
	bool email_verified;
	char *name;           /* NULL when absent */
	char *picture;        /* NULL when absent */
	char *hd;             /* NULL when absent */
};

enum google_verify_result {
	GV_OK = 0,
	GV_MALFORMED,         /* not three base64url parts, bad JSON, too large (> 16 KiB) */
	GV_BAD_ALG,           /* alg other than RS256 (none, HS256, ...) */
	GV_UNKNOWN_KEY,       /* kid not in the JWKS even after the allowed refetch */
	GV_BAD_SIGNATURE,
	GV_BAD_ISSUER,
	GV_BAD_AUDIENCE,
	GV_EXPIRED,           /* exp + skew < now */
	GV_NOT_YET_VALID,     /* nbf or iat - skew > now */
	GV_BAD_NONCE,         /* expected_nonce given and the token's differs or is missing */
	GV_BAD_HOSTED_DOMAIN,
	GV_KEYS_UNAVAILABLE,  /* no usable keys: JWKS could not be fetched and nothing cached */
};

/* Copies cfg; fetch NULL means the libcurl fetcher. Returns 0. */
int google_verifier_init(struct google_verifier *v, const struct google_verifier_config *cfg,
			 jwks_fetch_fn fetch, void *fetch_ctx);
void google_verifier_release(struct google_verifier *v);

/*
 * Verifies token; expected_nonce may be NULL (no nonce check). On GV_OK fills
 * id (release with google_identity_release); otherwise id is zeroed. Thread safe.
 */
enum google_verify_result google_verify(struct google_verifier *v, const char *token,
					const char *expected_nonce, struct google_identity *id);
void google_identity_release(struct google_identity *id);
/* A stable snake_case name for a result, for logs and error codes. */
const char *google_verify_result_name(enum google_verify_result r);

/* The production fetcher (libcurl, 5 s timeout, HTTPS certificate checks on). */
int jwks_fetch_curl(void *ctx, const char *url, struct strbuf *body, long *max_age_s);

/* base64url without padding (RFC 7515 §2). Decode returns -1 on bad input. */
void b64url_encode(const unsigned char *in, size_t len, struct strbuf *out);
int b64url_decode(const char *in, size_t len, struct strbuf *out);

#endif
