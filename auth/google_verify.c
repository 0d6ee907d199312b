#include "auth/google_verify.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GV_MAX_TOKEN (16 * 1024)
#define GV_MIN_RSA_BITS 2048
#define JWKS_MAX_BODY (256 * 1024)
#define JWKS_TIMEOUT_MS 5000L
#define JWKS_RETRY_S 30
/* Upper bound for every configured or served lifetime: keys rotate, and it keeps time math small. */
#define GV_MAX_SECONDS 86400

#define GV_DEFAULT_JWKS_URL "https://www.googleapis.com/oauth2/v3/certs"
#define GV_DEFAULT_ISSUERS "accounts.google.com,https://accounts.google.com"

struct jwks_key {
	char *kid;
	EVP_PKEY *pkey;
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static time_t gv_time_now(void)
{
	return time(NULL);
}

/* ---- base64url ---- */

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

void b64url_encode(const unsigned char *in, size_t len, struct strbuf *out)
{
	const char *a = b64url_alphabet;
	size_t i;

	strbuf_grow(out, (len + 2) / 3 * 4);
	for (i = 0; i + 3 <= len; i += 3) {
		unsigned long w = (unsigned long)in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		strbuf_addch(out, a[w >> 18 & 63]);
		strbuf_addch(out, a[w >> 12 & 63]);
		strbuf_addch(out, a[w >> 6 & 63]);
		strbuf_addch(out, a[w & 63]);
	}
	if (len - i == 1) {
		strbuf_addch(out, a[in[i] >> 2]);
		strbuf_addch(out, a[(in[i] & 3) << 4]);
	} else if (len - i == 2) {
		strbuf_addch(out, a[in[i] >> 2]);
		strbuf_addch(out, a[(in[i] & 3) << 4 | in[i + 1] >> 4]);
		strbuf_addch(out, a[(in[i + 1] & 15) << 2]);
	}
}

/*
 * Appends the decoded bytes to out. Refuses characters outside the
 * alphabet, padding, a length of 4n+1 and non-zero unused trailing bits
 * (so every byte string has exactly one accepted encoding); out is left
 * as it was on error.
 */
int b64url_decode(const char *in, size_t len, struct strbuf *out)
{
	size_t start = out->len;
	unsigned long acc = 0;
	int bits = 0;
	size_t i;
	int d;

	if (len % 4 == 1)
		return -1;
	strbuf_grow(out, len / 4 * 3 + 2);
	for (i = 0; i < len; i++) {
		d = b64url_value((unsigned char)in[i]);
		if (d < 0)
			goto out_truncate;
		acc = (acc << 6 | (unsigned long)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (char)(acc >> bits & 0xff));
		}
	}
	if (acc & ((1UL << bits) - 1))
		goto out_truncate;
	return 0;

out_truncate:
	out->len = start;
	if (out->cap)
		out->buf[start] = '\0';
	return -1;
}

/* ---- text helpers ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The next item of the comma-separated list in [*pos, end), trimmed of
 * blanks, as [*a, *b); false when the list is exhausted.
 */
static bool list_next(const char **pos, const char *end, const char **a, const char **b)
{
	const char *comma;

	if (!*pos)
		return false;
	comma = memchr(*pos, ',', (size_t)(end - *pos));
	*a = *pos;
	*b = comma ? comma : end;
	*pos = comma ? comma + 1 : NULL;
	while (*a < *b && is_blank(**a))
		(*a)++;
	while (*b > *a && is_blank((*b)[-1]))
		(*b)--;
	return true;
}

/* ---- JSON helpers ---- */

static bool json_only_space(const char *s, size_t len)
{
	for (; len; s++, len--)
		if (!is_blank(*s))
			return false;
	return true;
}

/* Parses exactly s[0..len) as one JSON object (strict, UTF-8); NULL otherwise. */
static struct json_object *json_parse_object(const char *s, size_t len)
{
	struct json_tokener *tok;
	struct json_object *obj;

	if (len == 0 || len > INT_MAX || memchr(s, '\0', len))
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, s, (int)len);
	if (obj && (json_tokener_get_error(tok) != json_tokener_success ||
		    !json_only_space(s + json_tokener_get_parse_end(tok),
				     len - json_tokener_get_parse_end(tok)) ||
		    !json_object_is_type(obj, json_type_object))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* The string member key of obj; NULL when absent, not a string, or holding a NUL. */
static const char *json_str(struct json_object *obj, const char *key, size_t *len)
{
	struct json_object *val;
	const char *s;
	size_t n;

	if (!json_object_object_get_ex(obj, key, &val) || !json_object_is_type(val, json_type_string))
		return NULL;
	s = json_object_get_string(val);
	n = (size_t)json_object_get_string_len(val);
	if (strlen(s) != n)
		return NULL;
	if (len)
		*len = n;
	return s;
}

static bool json_string_is(struct json_object *val, const char *want)
{
	size_t n = strlen(want);

	return json_object_is_type(val, json_type_string) &&
	       (size_t)json_object_get_string_len(val) == n &&
	       memcmp(json_object_get_string(val), want, n) == 0;
}

/* Whether member key of obj is the string want; if_absent when there is no such member. */
static bool field_is(struct json_object *obj, const char *key, const char *want, bool if_absent)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val))
		return if_absent;
	return json_string_is(val, want);
}

/* 1 with *t when member key is an integer, 0 when absent, -1 when of another type. */
static int json_time(struct json_object *obj, const char *key, int64_t *t)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val))
		return 0;
	if (!json_object_is_type(val, json_type_int))
		return -1;
	*t = json_object_get_int64(val);
	return 1;
}

/* ---- JWKS ---- */

static void jwks_keys_free(struct jwks_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(keys[i].kid);
		EVP_PKEY_free(keys[i].pkey);
	}
	free(keys);
}

static BIGNUM *bn_from_b64url(const char *s)
{
	struct strbuf raw = STRBUF_INIT;
	BIGNUM *bn = NULL;

	if (b64url_decode(s, strlen(s), &raw) == 0 && raw.len)
		bn = BN_bin2bn((const unsigned char *)raw.buf, (int)raw.len, NULL);
	strbuf_release(&raw);
	return bn;
}

/* An RSA public key from the JWK's base64url modulus and exponent; NULL when unusable. */
static EVP_PKEY *rsa_key_from_jwk(const char *n64, const char *e64)
{
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx;
	BIGNUM *n, *e;

	n = bn_from_b64url(n64);
	if (!n)
		return NULL;
	e = bn_from_b64url(e64);
	if (!e)
		goto out_free_n;
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		goto out_free_e;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out_free_bld;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out_free_bld;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!ctx)
		goto out_free_params;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1 ||
	    EVP_PKEY_get_bits(pkey) < GV_MIN_RSA_BITS) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
out_free_params:
	OSSL_PARAM_free(params);
out_free_bld:
	OSSL_PARAM_BLD_free(bld);
out_free_e:
	BN_free(e);
out_free_n:
	BN_free(n);
	return pkey;
}

/* Fills key from one JWK when it is an RS256 signing key; -1 to skip it. */
static int jwk_to_key(struct json_object *jwk, struct jwks_key *key)
{
	const char *kid, *n, *e;

	if (!json_object_is_type(jwk, json_type_object) || !field_is(jwk, "kty", "RSA", false) ||
	    !field_is(jwk, "use", "sig", true) || !field_is(jwk, "alg", "RS256", true))
		return -1;
	kid = json_str(jwk, "kid", NULL);
	n = json_str(jwk, "n", NULL);
	e = json_str(jwk, "e", NULL);
	if (!kid || !*kid || !n || !e)
		return -1;
	key->pkey = rsa_key_from_jwk(n, e);
	if (!key->pkey)
		return -1;
	key->kid = xstrdup(kid);
	return 0;
}

/* The usable keys of a JWKS document; -1 when it is not one or has none. */
static int jwks_parse(const struct strbuf *body, struct jwks_key **out, size_t *nout)
{
	struct json_object *doc, *arr;
	struct jwks_key *keys;
	size_t i, n, nkeys = 0;
	int rc = -1;

	doc = json_parse_object(body->buf, body->len);
	if (!doc)
		return -1;
	if (!json_object_object_get_ex(doc, "keys", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		goto out_put_doc;
	n = json_object_array_length(arr);
	if (n == 0)
		goto out_put_doc;
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		abort();
	for (i = 0; i < n; i++)
		if (jwk_to_key(json_object_array_get_idx(arr, i), &keys[nkeys]) == 0)
			nkeys++;
	ERR_clear_error();
	if (nkeys == 0) {
		free(keys);
		goto out_put_doc;
	}
	*out = keys;
	*nout = nkeys;
	rc = 0;
out_put_doc:
	json_object_put(doc);
	return rc;
}

static EVP_PKEY *jwks_lookup(const struct google_verifier *v, const char *kid)
{
	size_t i;

	for (i = 0; i < v->nkeys; i++)
		if (strcmp(v->keys[i].kid, kid) == 0)
			return v->keys[i].pkey;
	return NULL;
}

/*
 * Fetches the JWKS and, when it holds usable keys, replaces the cache.
 * Called and returns with v->mu held. With keys cached the lock is dropped
 * around the fetch, so other threads keep verifying with the current keys;
 * with none it is held, so they wait for this fetch instead of each
 * starting one (and failing) on their own.
 */
static void jwks_refresh(struct google_verifier *v, time_t now)
{
	struct strbuf body = STRBUF_INIT;
	struct jwks_key *keys = NULL;
	bool unlock = v->nkeys > 0;
	long max_age = -1;
	size_t nkeys = 0;
	int rc;

	v->fetches++;
	if (unlock)
		pthread_mutex_unlock(&v->mu);
	rc = v->fetch(v->fetch_ctx, v->cfg.jwks_url, &body, &max_age);
	if (rc == 0)
		rc = jwks_parse(&body, &keys, &nkeys);
	strbuf_release(&body);
	if (unlock)
		pthread_mutex_lock(&v->mu);
	if (rc)
		return;
	jwks_keys_free(v->keys, v->nkeys);
	v->keys = keys;
	v->nkeys = nkeys;
	if (max_age < 0)
		max_age = v->cfg.default_max_age_s;
	v->fetched_at = now;
	v->expires_at = now + (max_age < GV_MAX_SECONDS ? max_age : GV_MAX_SECONDS);
}

/*
 * A reference to the key named kid (EVP_PKEY_free it), fetching the JWKS
 * when the cache has expired, or once per cooldown for an unknown kid.
 */
static enum google_verify_result jwks_get_key(struct google_verifier *v, const char *kid,
					      time_t now, EVP_PKEY **pkey)
{
	enum google_verify_result r = GV_OK;
	bool fetched = false;
	EVP_PKEY *key;

	pthread_mutex_lock(&v->mu);
	if (now >= v->expires_at) {
		/* Claimed before fetching: a failed refresh is retried only after this delay. */
		v->expires_at = now + (v->cfg.default_max_age_s < JWKS_RETRY_S ?
				       v->cfg.default_max_age_s : JWKS_RETRY_S);
		jwks_refresh(v, now);
		fetched = true;
	}
	key = jwks_lookup(v, kid);
	if (!key && v->nkeys && !fetched &&
	    now - v->last_unknown_kid_fetch >= v->cfg.unknown_kid_cooldown_s) {
		v->last_unknown_kid_fetch = now;
		jwks_refresh(v, now);
		key = jwks_lookup(v, kid);
	}
	if (key)
		EVP_PKEY_up_ref(key);
	else
		r = v->nkeys ? GV_UNKNOWN_KEY : GV_KEYS_UNAVAILABLE;
	pthread_mutex_unlock(&v->mu);
	*pkey = key;
	return r;
}

/* ---- verifier ---- */

/* A configured duration: below min selects def; capped at GV_MAX_SECONDS. */
static long config_seconds(long val, long min, long def)
{
	if (val < min)
		return def;
	return val < GV_MAX_SECONDS ? val : GV_MAX_SECONDS;
}

static const char *config_str(const char *val, const char *def)
{
	return xstrdup(val && *val ? val : def);
}

int google_verifier_init(struct google_verifier *v, const struct google_verifier_config *cfg,
			 jwks_fetch_fn fetch, void *fetch_ctx)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_init(&v->mu, NULL);
	v->cfg.jwks_url = config_str(cfg->jwks_url, GV_DEFAULT_JWKS_URL);
	v->cfg.client_id = config_str(cfg->client_id, "");
	v->cfg.issuers = config_str(cfg->issuers, GV_DEFAULT_ISSUERS);
	v->cfg.hosted_domain = config_str(cfg->hosted_domain, "");
	v->cfg.skew_s = config_seconds(cfg->skew_s, 0, 60);
	/* 0 would mean a fetch per request: never what a configuration wants. */
	v->cfg.unknown_kid_cooldown_s = config_seconds(cfg->unknown_kid_cooldown_s, 1, 60);
	v->cfg.default_max_age_s = config_seconds(cfg->default_max_age_s, 1, 300);
	v->fetch = fetch ? fetch : jwks_fetch_curl;
	v->fetch_ctx = fetch_ctx;
	v->now = gv_time_now;
	return 0;
}

void google_verifier_release(struct google_verifier *v)
{
	jwks_keys_free(v->keys, v->nkeys);
	free((char *)v->cfg.jwks_url);
	free((char *)v->cfg.client_id);
	free((char *)v->cfg.issuers);
	free((char *)v->cfg.hosted_domain);
	pthread_mutex_destroy(&v->mu);
	memset(v, 0, sizeof(*v));
}

/* ---- token checks ---- */

/* alg must be RS256 and kid present; *kid points into header. */
static enum google_verify_result check_header(struct json_object *header, const char **kid)
{
	if (!field_is(header, "alg", "RS256", false))
		return GV_BAD_ALG;
	*kid = json_str(header, "kid", NULL);
	if (!*kid || !**kid)
		return GV_MALFORMED;
	return GV_OK;
}

static enum google_verify_result check_signature(EVP_PKEY *pkey, const char *input, size_t len,
						 const struct strbuf *sig)
{
	enum google_verify_result r = GV_BAD_SIGNATURE;
	EVP_MD_CTX *md;

	md = EVP_MD_CTX_new();
	if (!md)
		abort();
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
	    EVP_DigestVerifyUpdate(md, input, len) == 1 &&
	    EVP_DigestVerifyFinal(md, (const unsigned char *)sig->buf, sig->len) == 1)
		r = GV_OK;
	else
		ERR_clear_error();
	EVP_MD_CTX_free(md);
	return r;
}

/* Whether iss is one of the comma-separated entries of list. */
static bool issuer_allowed(const char *list, const char *iss, size_t len)
{
	const char *pos = list, *a, *b;

	while (list_next(&pos, list + strlen(list), &a, &b))
		if (len && (size_t)(b - a) == len && memcmp(a, iss, len) == 0)
			return true;
	return false;
}

static bool audience_allowed(struct json_object *claims, const char *client_id)
{
	struct json_object *aud;
	size_t i, n;

	if (!*client_id || !json_object_object_get_ex(claims, "aud", &aud))
		return false;
	if (!json_object_is_type(aud, json_type_array))
		return json_string_is(aud, client_id);
	n = json_object_array_length(aud);
	for (i = 0; i < n; i++)
		if (json_string_is(json_object_array_get_idx(aud, i), client_id))
			return true;
	return false;
}

static enum google_verify_result check_claims(const struct google_verifier_config *cfg,
					      struct json_object *claims, time_t now,
					      const char *nonce)
{
	const char *s;
	size_t len;
	int64_t t;
	int has;

	s = json_str(claims, "iss", &len);
	if (!s || !issuer_allowed(cfg->issuers, s, len))
		return GV_BAD_ISSUER;
	if (!audience_allowed(claims, cfg->client_id))
		return GV_BAD_AUDIENCE;
	if (json_time(claims, "exp", &t) != 1)
		return GV_MALFORMED;
	if (t < now - cfg->skew_s)
		return GV_EXPIRED;
	if (json_time(claims, "iat", &t) != 1)
		return GV_MALFORMED;
	if (t > now + cfg->skew_s)
		return GV_NOT_YET_VALID;
	has = json_time(claims, "nbf", &t);
	if (has < 0)
		return GV_MALFORMED;
	if (has && t > now + cfg->skew_s)
		return GV_NOT_YET_VALID;
	if (nonce) {
		s = json_str(claims, "nonce", &len);
		if (!s || len != strlen(nonce) || CRYPTO_memcmp(s, nonce, len) != 0)
			return GV_BAD_NONCE;
	}
	if (*cfg->hosted_domain && !field_is(claims, "hd", cfg->hosted_domain, false))
		return GV_BAD_HOSTED_DOMAIN;
	s = json_str(claims, "sub", &len);
	if (!s || !len)
		return GV_MALFORMED;
	return GV_OK;
}

static char *claim_dup(struct json_object *claims, const char *key)
{
	const char *s = json_str(claims, key, NULL);

	return s ? xstrdup(s) : NULL;
}

static void identity_fill(struct google_identity *id, struct json_object *claims)
{
	struct json_object *ev;

	id->sub = claim_dup(claims, "sub");
	id->email = claim_dup(claims, "email");
	id->name = claim_dup(claims, "name");
	id->picture = claim_dup(claims, "picture");
	id->hd = claim_dup(claims, "hd");
	id->email_verified = json_object_object_get_ex(claims, "email_verified", &ev) &&
			     (json_object_is_type(ev, json_type_boolean) ?
				      json_object_get_boolean(ev) : json_string_is(ev, "true"));
}

/* The JSON object encoded in one base64url part of the token; NULL when malformed. */
static struct json_object *jwt_part_json(const char *part, size_t len)
{
	struct strbuf raw = STRBUF_INIT;
	struct json_object *obj = NULL;

	if (b64url_decode(part, len, &raw) == 0)
		obj = json_parse_object(raw.buf, raw.len);
	strbuf_release(&raw);
	return obj;
}

enum google_verify_result google_verify(struct google_verifier *v, const char *token,
					const char *expected_nonce, struct google_identity *id)
{
	struct json_object *header, *claims;
	struct strbuf sig = STRBUF_INIT;
	const char *dot1, *dot2, *end, *kid;
	enum google_verify_result r;
	EVP_PKEY *pkey;
	size_t len;
	time_t now;

	memset(id, 0, sizeof(*id));
	len = strnlen(token, GV_MAX_TOKEN + 1);
	if (len > GV_MAX_TOKEN)
		return GV_MALFORMED;
	end = token + len;
	dot1 = memchr(token, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1)) : NULL;
	if (!dot2 || memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)))
		return GV_MALFORMED;

	header = jwt_part_json(token, (size_t)(dot1 - token));
	if (!header)
		return GV_MALFORMED;
	r = check_header(header, &kid);
	if (r != GV_OK)
		goto out_put_header;
	claims = jwt_part_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (!claims) {
		r = GV_MALFORMED;
		goto out_put_header;
	}
	if (dot2 + 1 == end || b64url_decode(dot2 + 1, (size_t)(end - dot2 - 1), &sig) != 0) {
		r = GV_MALFORMED;
		goto out_release_sig;
	}

	now = v->now();
	r = jwks_get_key(v, kid, now, &pkey);
	if (r != GV_OK)
		goto out_release_sig;
	r = check_signature(pkey, token, (size_t)(dot2 - token), &sig);
	if (r == GV_OK)
		r = check_claims(&v->cfg, claims, now, expected_nonce);
	if (r == GV_OK)
		identity_fill(id, claims);
	EVP_PKEY_free(pkey);
out_release_sig:
	strbuf_release(&sig);
	json_object_put(claims);
out_put_header:
	json_object_put(header);
	return r;
}

void google_identity_release(struct google_identity *id)
{
	free(id->sub);
	free(id->email);
	free(id->name);
	free(id->picture);
	free(id->hd);
	memset(id, 0, sizeof(*id));
}

const char *google_verify_result_name(enum google_verify_result r)
{
	switch (r) {
	case GV_OK: return "ok";
	case GV_MALFORMED: return "malformed_token";
	case GV_BAD_ALG: return "unsupported_algorithm";
	case GV_UNKNOWN_KEY: return "unknown_key";
	case GV_BAD_SIGNATURE: return "bad_signature";
	case GV_BAD_ISSUER: return "bad_issuer";
	case GV_BAD_AUDIENCE: return "bad_audience";
	case GV_EXPIRED: return "token_expired";
	case GV_NOT_YET_VALID: return "token_not_yet_valid";
	case GV_BAD_NONCE: return "bad_nonce";
	case GV_BAD_HOSTED_DOMAIN: return "bad_hosted_domain";
	case GV_KEYS_UNAVAILABLE: return "keys_unavailable";
	}
	return "unknown_result";
}

/* ---- libcurl fetcher ---- */

struct jwks_response {
	struct strbuf *body;
	long max_age;
	bool no_cache;
};

static size_t jwks_on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct jwks_response *resp = ud;
	size_t n = size * nmemb;

	if (n > JWKS_MAX_BODY - resp->body->len)
		return 0;
	strbuf_add(resp->body, data, n);
	return n;
}

/* Delta-seconds, optionally quoted, capped at GV_MAX_SECONDS; -1 when not a number. */
static long parse_seconds(const char *p, size_t len)
{
	long val = 0;
	size_t i;

	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p++;
		len -= 2;
	}
	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (val < GV_MAX_SECONDS)
			val = val * 10 + (p[i] - '0');
	}
	return val < GV_MAX_SECONDS ? val : GV_MAX_SECONDS;
}

/* Reads the directives of one Cache-Control header value. */
static void cache_control_parse(const char *p, size_t len, struct jwks_response *resp)
{
	static const char max_age[] = "max-age=";
	const size_t prefix = sizeof(max_age) - 1;
	const char *pos = p, *a, *b;
	long val;

	while (list_next(&pos, p + len, &a, &b)) {
		if (b - a == 8 && (strncasecmp(a, "no-store", 8) == 0 ||
				   strncasecmp(a, "no-cache", 8) == 0)) {
			resp->no_cache = true;
		} else if ((size_t)(b - a) > prefix && strncasecmp(a, max_age, prefix) == 0) {
			val = parse_seconds(a + prefix, (size_t)(b - a) - prefix);
			if (val >= 0)
				resp->max_age = val;
		}
	}
}

static size_t jwks_on_header(char *data, size_t size, size_t nitems, void *ud)
{
	static const char name[] = "cache-control:";
	struct jwks_response *resp = ud;
	size_t n = size * nitems;

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a proxy CONNECT or 100-continue): only the last counts. */
		resp->max_age = -1;
		resp->no_cache = false;
	} else if (n > sizeof(name) - 1 && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		cache_control_parse(data + sizeof(name) - 1, n - (sizeof(name) - 1), resp);
	}
	return n;
}

int jwks_fetch_curl(void *ctx, const char *url, struct strbuf *body, long *max_age_s)
{
	struct jwks_response resp = { body, -1, false };
	long status = 0;
	int rc = -1;
	CURL *curl;

	curl = curl_easy_init();
	if (!curl)
		return -1;
	if (curl_easy_setopt(curl, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, JWKS_TIMEOUT_MS) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)JWKS_MAX_BODY) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, jwks_on_body) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, jwks_on_header) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &resp) != CURLE_OK)
		goto out_cleanup;
	if (curl_easy_perform(curl) != CURLE_OK ||
	    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
	    status < 200 || status >= 300)
		goto out_cleanup;
	*max_age_s = resp.no_cache ? 0 : resp.max_age;
	rc = 0;
out_cleanup:
	curl_easy_cleanup(curl);
	return rc;
}
