/*
 * fake_google: a stand-in for Google's OAuth 2.0 / OpenID Connect endpoints
 * (authorization, token, JWKS) on 127.0.0.1, for the end-to-end and browser
 * tests, which run without internet. It also mints ID tokens on demand and
 * lets a test inject failures through POST /control. See README.md.
 *
 * One process and one thread; every connection carries one request and
 * is answered with "Connection: close". Connections are multiplexed in a
 * ppoll() loop so an idle one cannot stall the others. Out of memory
 * aborts (a test tool has nothing better to do).
 */
#include "base/strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER_MAX (16 * 1024)
#define BODY_MAX (64 * 1024)
#define IO_TIMEOUT_MS 5000
#define DRAIN_TIMEOUT_MS 1000
#define CONN_MAX 64
#define CODE_TTL 60
#define TOKEN_TTL 3600
#define FORM_MAX 64
#define PKCE_CHALLENGE_LEN 43

#define DEFAULT_CLIENT_ID "test-client.apps.googleusercontent.com"
#define DEFAULT_CLIENT_SECRET "test-secret"
#define DEFAULT_ISSUER "https://accounts.google.com"
#define DEFAULT_MAX_AGE 300
#define DEFAULT_SUB "google-sub-1"
#define DEFAULT_EMAIL "worker@example.com"
#define DEFAULT_NAME "Test Worker"
#define PICTURE_URL "https://example.com/p.png"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Who signs in; strings are owned, hd may be NULL (no hd claim). */
struct identity {
	char *sub;
	char *email;
	bool email_verified;
	char *name;
	char *hd;
};

/* An issued, not yet exchanged authorization code. */
struct code {
	struct code *next;
	char *code;
	char *redirect_uri;
	char *nonce;
	char *challenge;
	struct identity who;
	time_t expires;
};

struct config {
	unsigned int port;
	const char *port_file;
	const char *client_id;
	const char *client_secret;
	const char *issuer;
	long max_age;
};

/* All mutable state of the provider. */
struct idp {
	struct config cfg;
	EVP_PKEY *key;
	struct strbuf kid;
	unsigned int key_generation;
	struct identity next_identity;
	struct code *codes;
	bool fail_jwks;
	bool fail_token;
	bool bad_signature;
	bool wrong_nonce;
	int64_t n_jwks;
	int64_t n_authorize;
	int64_t n_token;
	int64_t n_mint;
};

/* Claims of one ID token; NULL nonce/hd are left out. */
struct claims {
	const char *iss;
	const char *aud;
	const char *sub;
	const char *email;
	bool email_verified;
	const char *name;
	const char *nonce;
	const char *hd;
	int64_t iat;
	int64_t exp;
};

/* Decoded application/x-www-form-urlencoded pairs, pointing into storage. */
struct form {
	size_t n;
	char *name[FORM_MAX];
	char *value[FORM_MAX];
	char *storage;
};

struct request {
	struct strbuf raw;	/* header section, NUL-split in place */
	struct strbuf body;
	const char *method;
	const char *path;
	const char *query;
	const char *content_type;
	const char *authorization;
};

struct response {
	int status;
	const char *content_type;
	struct strbuf headers;	/* extra header lines, each ending in CRLF */
	struct strbuf body;
};

/* What the peer must do next on a connection. */
enum conn_state {
	CONN_READ_HEAD,
	CONN_READ_BODY,
	CONN_DRAIN,	/* answered; read and drop until EOF so close() sends no RST */
};

/* A connection being served; the event loop multiplexes up to CONN_MAX. */
struct conn {
	int fd;
	enum conn_state state;
	int64_t deadline;
	size_t content_length;
	struct request req;
};

struct route {
	const char *method;
	const char *path;
	void (*handle)(struct idp *idp, const struct request *req, struct response *resp);
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

/* ---- JSON helpers (json-c allocation failure aborts) ---- */

static json_object *jcheck(json_object *o)
{
	if (!o)
		abort();
	return o;
}

static void jadd(json_object *obj, const char *key, json_object *val)
{
	if (json_object_object_add(obj, key, jcheck(val)))
		abort();
}

static void jadd_str(json_object *obj, const char *key, const char *val)
{
	jadd(obj, key, json_object_new_string(val));
}

static const char *json_text(json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_FLAGS);

	if (!s)
		abort();
	return s;
}

/* ---- encodings ---- */

/* Appends the unpadded base64url encoding of data. */
static void b64url_add(struct strbuf *out, const void *data, size_t len)
{
	unsigned char *dst;
	int i, n;

	strbuf_grow(out, 4 * ((len + 2) / 3) + 1);
	dst = (unsigned char *)out->buf + out->len;
	n = EVP_EncodeBlock(dst, data, (int)len);
	while (n > 0 && dst[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		if (dst[i] == '+')
			dst[i] = '-';
		else if (dst[i] == '/')
			dst[i] = '_';
	}
	out->len += (size_t)n;
	out->buf[out->len] = '\0';
}

/* Appends s percent-encoded for a URL query value (RFC 3986 unreserved kept). */
static void pct_add(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(out, (char)*p);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[*p >> 4]);
			strbuf_addch(out, hex[*p & 15]);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Form-decodes s in place ('+' is a space). -1 on a bad escape or %00. */
static int pct_decode(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s; s++) {
		if (*s == '+') {
			*w++ = ' ';
		} else if (*s == '%') {
			hi = hexval(s[1]);
			if (hi < 0)
				return -1;
			lo = hexval(s[2]);
			if (lo < 0 || (hi | lo) == 0)
				return -1;
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

/* Parses a query string or form body. 0, or -1 when malformed; form_release() either way. */
static int form_parse(struct form *f, const char *s, size_t len)
{
	char *p, *next, *eq;

	f->n = 0;
	f->storage = malloc(len + 1);
	if (!f->storage)
		abort();
	memcpy(f->storage, s, len);
	f->storage[len] = '\0';
	for (p = f->storage; p; p = next) {
		next = strchr(p, '&');
		if (next)
			*next++ = '\0';
		if (!*p)
			continue;
		if (f->n == FORM_MAX)
			return -1;
		eq = strchr(p, '=');
		if (eq)
			*eq++ = '\0';
		else
			eq = p + strlen(p);
		if (pct_decode(p) || pct_decode(eq))
			return -1;
		f->name[f->n] = p;
		f->value[f->n] = eq;
		f->n++;
	}
	return 0;
}

/* The first value of name, or NULL. */
static const char *form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name))
			return f->value[i];
	return NULL;
}

static const char *form_get_or(const struct form *f, const char *name, const char *dflt)
{
	const char *v = form_get(f, name);

	return v ? v : dflt;
}

static void form_release(struct form *f)
{
	free(f->storage);
	f->storage = NULL;
	f->n = 0;
}

static bool is_set(const char *s)
{
	return s && *s;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Parses a whole decimal integer. */
static bool parse_long(const char *s, long *out)
{
	char *end;

	if (!is_set(s))
		return false;
	errno = 0;
	*out = strtol(s, &end, 10);
	return !errno && !*end;
}

/* ---- identities and codes ---- */

static void identity_set(struct identity *who, const char *sub, const char *email,
			 bool email_verified, const char *name, const char *hd)
{
	who->sub = xstrdup(sub);
	who->email = xstrdup(email);
	who->email_verified = email_verified;
	who->name = xstrdup(name);
	who->hd = hd ? xstrdup(hd) : NULL;
}

static void identity_release(struct identity *who)
{
	free(who->sub);
	free(who->email);
	free(who->name);
	free(who->hd);
	memset(who, 0, sizeof(*who));
}

static void identity_reset(struct identity *who)
{
	identity_release(who);
	identity_set(who, DEFAULT_SUB, DEFAULT_EMAIL, true, DEFAULT_NAME, NULL);
}

static void code_free(struct code *c)
{
	free(c->code);
	free(c->redirect_uri);
	free(c->nonce);
	free(c->challenge);
	identity_release(&c->who);
	free(c);
}

/* Issues a random code for the next identity. NULL when the RNG fails. */
static struct code *code_new(struct idp *idp, const char *redirect_uri, const char *nonce,
			     const char *challenge)
{
	unsigned char rnd[32];
	struct strbuf sb;
	struct code *c;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	strbuf_init(&sb, 64);
	strbuf_addstr(&sb, "4/");	/* real codes contain a '/' too */
	b64url_add(&sb, rnd, sizeof(rnd));
	c->code = strbuf_detach(&sb, NULL);
	c->redirect_uri = xstrdup(redirect_uri);
	c->nonce = xstrdup(nonce);
	c->challenge = xstrdup(challenge);
	identity_set(&c->who, idp->next_identity.sub, idp->next_identity.email,
		     idp->next_identity.email_verified, idp->next_identity.name,
		     idp->next_identity.hd);
	c->expires = time(NULL) + CODE_TTL;
	c->next = idp->codes;
	idp->codes = c;
	return c;
}

/* Unlinks and returns the code named s (the caller frees it), or NULL. */
static struct code *code_take(struct idp *idp, const char *s)
{
	struct code **pp, *c;

	if (!s)
		return NULL;
	for (pp = &idp->codes; *pp; pp = &(*pp)->next) {
		c = *pp;
		if (!strcmp(c->code, s)) {
			*pp = c->next;
			return c;
		}
	}
	return NULL;
}

static void codes_expire(struct idp *idp, bool all)
{
	time_t now = time(NULL);
	struct code **pp = &idp->codes, *c;

	while (*pp) {
		c = *pp;
		if (all || c->expires <= now) {
			*pp = c->next;
			code_free(c);
		} else {
			pp = &c->next;
		}
	}
}

/* ---- keys and tokens ---- */

/* Replaces the signing key with a fresh RSA-2048 key and the next kid. */
static int key_rotate(struct idp *idp)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);

	if (!key) {
		ERR_print_errors_fp(stderr);
		return -1;
	}
	EVP_PKEY_free(idp->key);
	idp->key = key;
	idp->key_generation++;
	strbuf_reset(&idp->kid);
	strbuf_addf(&idp->kid, "test-key-%u", idp->key_generation);
	return 0;
}

/* Appends the base64url big-endian bytes of an RSA parameter (n or e). */
static int key_param_add(EVP_PKEY *key, const char *param, struct strbuf *out)
{
	BIGNUM *bn = NULL;
	unsigned char *bytes;
	int len;

	if (EVP_PKEY_get_bn_param(key, param, &bn) != 1)
		return -1;
	len = BN_num_bytes(bn);
	bytes = malloc((size_t)len);
	if (!bytes)
		abort();
	BN_bn2bin(bn, bytes);
	b64url_add(out, bytes, (size_t)len);
	free(bytes);
	BN_free(bn);
	return 0;
}

static json_object *claims_json(const struct claims *c)
{
	json_object *o = jcheck(json_object_new_object());

	jadd_str(o, "iss", c->iss);
	jadd_str(o, "aud", c->aud);
	jadd_str(o, "sub", c->sub);
	jadd_str(o, "email", c->email);
	jadd(o, "email_verified", json_object_new_boolean(c->email_verified));
	jadd_str(o, "name", c->name);
	jadd_str(o, "picture", PICTURE_URL);
	if (c->nonce)
		jadd_str(o, "nonce", c->nonce);
	if (c->hd)
		jadd_str(o, "hd", c->hd);
	jadd(o, "iat", json_object_new_int64(c->iat));
	jadd(o, "exp", json_object_new_int64(c->exp));
	return o;
}

/*
 * Appends an RS256 JWT for claims signed with the current key; corrupt
 * flips signature bits. 0, or -1 when OpenSSL fails (out is then partial).
 */
static int token_issue(const struct idp *idp, const struct claims *c, bool corrupt,
		       struct strbuf *out)
{
	json_object *header = jcheck(json_object_new_object());
	json_object *payload = claims_json(c);
	const char *text;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	EVP_MD_CTX *md;
	int ret = -1;

	jadd_str(header, "alg", "RS256");
	jadd_str(header, "kid", idp->kid.buf);
	jadd_str(header, "typ", "JWT");
	text = json_text(header);
	b64url_add(out, text, strlen(text));
	strbuf_addch(out, '.');
	text = json_text(payload);
	b64url_add(out, text, strlen(text));

	md = EVP_MD_CTX_new();
	if (!md)
		abort();
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, idp->key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)out->buf, out->len) != 1)
		goto out_free_md;
	sig = malloc(siglen);
	if (!sig)
		abort();
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)out->buf, out->len) != 1)
		goto out_free_sig;
	if (corrupt)
		sig[siglen / 2] ^= 0x5a;
	strbuf_addch(out, '.');
	b64url_add(out, sig, siglen);
	ret = 0;
out_free_sig:
	free(sig);
out_free_md:
	if (ret)
		ERR_print_errors_fp(stderr);
	EVP_MD_CTX_free(md);
	json_object_put(payload);
	json_object_put(header);
	return ret;
}

static bool pkce_matches(const char *verifier, const char *challenge)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct strbuf enc;
	bool ok;

	if (!EVP_Digest(verifier, strlen(verifier), md, &mdlen, EVP_sha256(), NULL))
		return false;
	strbuf_init(&enc, 64);
	b64url_add(&enc, md, mdlen);
	ok = !strcmp(enc.buf, challenge);
	strbuf_release(&enc);
	return ok;
}

/* ---- state ---- */

static void idp_reset(struct idp *idp)
{
	idp->fail_jwks = false;
	idp->fail_token = false;
	idp->bad_signature = false;
	idp->wrong_nonce = false;
	idp->n_jwks = 0;
	idp->n_authorize = 0;
	idp->n_token = 0;
	idp->n_mint = 0;
	identity_reset(&idp->next_identity);
	codes_expire(idp, true);
}

static void idp_init(struct idp *idp)
{
	memset(idp, 0, sizeof(*idp));
	idp->cfg.client_id = DEFAULT_CLIENT_ID;
	idp->cfg.client_secret = DEFAULT_CLIENT_SECRET;
	idp->cfg.issuer = DEFAULT_ISSUER;
	idp->cfg.max_age = DEFAULT_MAX_AGE;
	strbuf_init(&idp->kid, 0);
	idp_reset(idp);
}

static void idp_release(struct idp *idp)
{
	codes_expire(idp, true);
	identity_release(&idp->next_identity);
	EVP_PKEY_free(idp->key);
	strbuf_release(&idp->kid);
}

/* ---- responses ---- */

static void resp_text(struct response *resp, int status, const char *text)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	strbuf_reset(&resp->body);
	strbuf_addstr(&resp->body, text);
	strbuf_addch(&resp->body, '\n');
}

/* Answers with obj as the body and drops the reference. */
static void resp_json(struct response *resp, int status, json_object *obj)
{
	resp->status = status;
	resp->content_type = "application/json";
	strbuf_reset(&resp->body);
	strbuf_addstr(&resp->body, json_text(obj));
	json_object_put(obj);
}

/* An OAuth error body: {"error":..,"error_description":..}. */
static void resp_oauth_error(struct response *resp, int status, const char *error,
			     const char *description)
{
	json_object *o = jcheck(json_object_new_object());

	jadd_str(o, "error", error);
	jadd_str(o, "error_description", description);
	resp_json(resp, status, o);
}

/* ---- endpoints ---- */

static void handle_jwks(struct idp *idp, const struct request *req, struct response *resp)
{
	json_object *jwk, *keys, *doc;
	struct strbuf n, e;

	idp->n_jwks++;
	if (idp->fail_jwks) {
		resp_text(resp, 503, "jwks unavailable (fail_jwks is set)");
		return;
	}
	strbuf_init(&n, 512);
	strbuf_init(&e, 8);
	if (key_param_add(idp->key, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    key_param_add(idp->key, OSSL_PKEY_PARAM_RSA_E, &e)) {
		ERR_print_errors_fp(stderr);
		resp_text(resp, 500, "cannot export the key");
		goto out_release;
	}
	jwk = jcheck(json_object_new_object());
	jadd_str(jwk, "kty", "RSA");
	jadd_str(jwk, "alg", "RS256");
	jadd_str(jwk, "use", "sig");
	jadd_str(jwk, "kid", idp->kid.buf);
	jadd_str(jwk, "n", n.buf);
	jadd_str(jwk, "e", e.buf);
	keys = jcheck(json_object_new_array());
	if (json_object_array_add(keys, jwk))
		abort();
	doc = jcheck(json_object_new_object());
	jadd(doc, "keys", keys);
	strbuf_addf(&resp->headers, "Cache-Control: public, max-age=%ld\r\n", idp->cfg.max_age);
	resp_json(resp, 200, doc);
out_release:
	strbuf_release(&e);
	strbuf_release(&n);
}

/* Why an authorization request is refused, or NULL when it is fine. */
static const char *authorize_refusal(const struct idp *idp, const struct form *q)
{
	const char *scope = form_get(q, "scope");
	const char *challenge = form_get(q, "code_challenge");
	const char *redirect_uri = form_get(q, "redirect_uri");

	if (!str_eq(form_get(q, "client_id"), idp->cfg.client_id))
		return "invalid_client: client_id is missing or unknown";
	if (!str_eq(form_get(q, "response_type"), "code"))
		return "unsupported_response_type: response_type must be code";
	if (!is_set(redirect_uri) || strpbrk(redirect_uri, "\r\n"))
		return "invalid_request: redirect_uri is missing or invalid";
	if (!scope || !strstr(scope, "openid"))
		return "invalid_scope: scope must include openid";
	if (!is_set(form_get(q, "state")))
		return "invalid_request: state is missing";
	if (!is_set(form_get(q, "nonce")))
		return "invalid_request: nonce is missing";
	if (!str_eq(form_get(q, "code_challenge_method"), "S256"))
		return "invalid_request: code_challenge_method must be S256";
	if (!challenge || strlen(challenge) != PKCE_CHALLENGE_LEN ||
	    strspn(challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    PKCE_CHALLENGE_LEN)
		return "invalid_request: code_challenge must be 43 base64url characters";
	return NULL;
}

static void handle_authorize(struct idp *idp, const struct request *req, struct response *resp)
{
	const char *refusal, *redirect_uri;
	struct form q;
	struct code *c;

	idp->n_authorize++;
	if (form_parse(&q, req->query, strlen(req->query))) {
		resp_text(resp, 400, "invalid_request: malformed query string");
		goto out_release_form;
	}
	refusal = authorize_refusal(idp, &q);
	if (refusal) {
		resp_text(resp, 400, refusal);
		goto out_release_form;
	}
	redirect_uri = form_get(&q, "redirect_uri");
	c = code_new(idp, redirect_uri, form_get(&q, "nonce"), form_get(&q, "code_challenge"));
	if (!c) {
		resp_text(resp, 500, "random number generator failed");
		goto out_release_form;
	}
	strbuf_addf(&resp->headers, "Location: %s%ccode=", redirect_uri,
		    strchr(redirect_uri, '?') ? '&' : '?');
	pct_add(&resp->headers, c->code);
	strbuf_addstr(&resp->headers, "&state=");
	pct_add(&resp->headers, form_get(&q, "state"));
	strbuf_addstr(&resp->headers, "\r\n");
	resp->status = 302;
out_release_form:
	form_release(&q);
}

static bool is_form_urlencoded(const char *content_type)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(form) - 1;

	return content_type && !strncasecmp(content_type, form, n) &&
	       (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

/*
 * Client credentials from "Authorization: Basic base64(id:secret)"
 * (RFC 6749 §2.3.1, each part form-encoded) into creds. -1 when the header
 * is not Basic or is malformed.
 */
static int basic_auth_parse(const char *header, struct strbuf *creds, const char **id,
			    const char **secret)
{
	const char *b64;
	size_t len, pad = 0;
	char *colon;
	int n;

	if (!header || strncasecmp(header, "Basic ", 6))
		return -1;
	b64 = header + 6;
	while (*b64 == ' ')
		b64++;
	len = strlen(b64);
	if (!len || len % 4)
		return -1;
	while (pad < 2 && b64[len - 1 - pad] == '=')
		pad++;
	strbuf_reset(creds);
	strbuf_grow(creds, len);
	n = EVP_DecodeBlock((unsigned char *)creds->buf, (const unsigned char *)b64, (int)len);
	if (n < 0 || (size_t)n < pad)
		return -1;
	creds->len = (size_t)n - pad;
	creds->buf[creds->len] = '\0';
	if (strlen(creds->buf) != creds->len)
		return -1;
	colon = strchr(creds->buf, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	if (pct_decode(creds->buf) || pct_decode(colon + 1))
		return -1;
	*id = creds->buf;
	*secret = colon + 1;
	return 0;
}

static void token_answer(struct idp *idp, const struct code *c, struct response *resp)
{
	struct strbuf jwt, nonce;
	struct claims claims;
	json_object *o;
	time_t now = time(NULL);

	strbuf_init(&jwt, 1024);
	strbuf_init(&nonce, 64);
	strbuf_addstr(&nonce, c->nonce);
	if (idp->wrong_nonce)
		strbuf_addstr(&nonce, "-wrong");
	claims = (struct claims){
		.iss = idp->cfg.issuer,
		.aud = idp->cfg.client_id,
		.sub = c->who.sub,
		.email = c->who.email,
		.email_verified = c->who.email_verified,
		.name = c->who.name,
		.nonce = nonce.buf,
		.hd = c->who.hd,
		.iat = now,
		.exp = now + TOKEN_TTL,
	};
	if (token_issue(idp, &claims, idp->bad_signature, &jwt)) {
		resp_oauth_error(resp, 500, "server_error", "signing failed");
		goto out_release;
	}
	o = jcheck(json_object_new_object());
	jadd_str(o, "access_token", "fake");
	jadd_str(o, "token_type", "Bearer");
	jadd(o, "expires_in", json_object_new_int(TOKEN_TTL));
	jadd_str(o, "id_token", jwt.buf);
	strbuf_addstr(&resp->headers, "Cache-Control: no-store\r\n");
	resp_json(resp, 200, o);
out_release:
	strbuf_release(&nonce);
	strbuf_release(&jwt);
}

static void handle_token(struct idp *idp, const struct request *req, struct response *resp)
{
	const char *client_id, *client_secret, *verifier, *redirect_uri;
	struct strbuf creds;
	struct form f = { 0 };
	struct code *c;

	idp->n_token++;
	strbuf_init(&creds, 0);
	if (idp->fail_token) {
		resp_oauth_error(resp, 500, "server_error", "fail_token is set");
		goto out_release;
	}
	if (!is_form_urlencoded(req->content_type) ||
	    form_parse(&f, req->body.buf, req->body.len)) {
		resp_oauth_error(resp, 400, "invalid_request",
				 "expected an application/x-www-form-urlencoded body");
		goto out_release;
	}
	if (!str_eq(form_get(&f, "grant_type"), "authorization_code")) {
		resp_oauth_error(resp, 400, "unsupported_grant_type",
				 "grant_type must be authorization_code");
		goto out_release;
	}
	if (basic_auth_parse(req->authorization, &creds, &client_id, &client_secret)) {
		client_id = form_get(&f, "client_id");
		client_secret = form_get(&f, "client_secret");
	}
	if (!str_eq(client_id, idp->cfg.client_id) ||
	    !str_eq(client_secret, idp->cfg.client_secret)) {
		resp_oauth_error(resp, 401, "invalid_client", "wrong client_id or client_secret");
		goto out_release;
	}
	/* Any exchange attempt that names a live code burns it. */
	c = code_take(idp, form_get(&f, "code"));
	if (!c) {
		resp_oauth_error(resp, 400, "invalid_grant", "unknown, used or expired code");
		goto out_release;
	}
	redirect_uri = form_get(&f, "redirect_uri");
	verifier = form_get(&f, "code_verifier");
	if (!str_eq(redirect_uri, c->redirect_uri))
		resp_oauth_error(resp, 400, "invalid_grant", "redirect_uri mismatch");
	else if (!verifier || strlen(verifier) < 43 || strlen(verifier) > 128)
		resp_oauth_error(resp, 400, "invalid_grant", "code_verifier must be 43-128 chars");
	else if (!pkce_matches(verifier, c->challenge))
		resp_oauth_error(resp, 400, "invalid_grant", "PKCE verification failed");
	else
		token_answer(idp, c, resp);
	code_free(c);
out_release:
	form_release(&f);
	strbuf_release(&creds);
}

static void handle_mint(struct idp *idp, const struct request *req, struct response *resp)
{
	const char *verified, *v;
	long exp_offset = 0, iat_offset = 0;
	struct claims claims;
	struct strbuf jwt;
	struct form q;
	time_t now = time(NULL);

	idp->n_mint++;
	strbuf_init(&jwt, 1024);
	if (form_parse(&q, req->query, strlen(req->query))) {
		resp_text(resp, 400, "malformed query string");
		goto out_release;
	}
	verified = form_get(&q, "email_verified");
	if (verified && strcmp(verified, "true") && strcmp(verified, "false")) {
		resp_text(resp, 400, "email_verified must be true or false");
		goto out_release;
	}
	v = form_get(&q, "exp_offset");
	if (v && !parse_long(v, &exp_offset)) {
		resp_text(resp, 400, "exp_offset must be an integer");
		goto out_release;
	}
	v = form_get(&q, "iat_offset");
	if (v && !parse_long(v, &iat_offset)) {
		resp_text(resp, 400, "iat_offset must be an integer");
		goto out_release;
	}
	claims = (struct claims){
		.iss = form_get_or(&q, "iss", idp->cfg.issuer),
		.aud = form_get_or(&q, "aud", idp->cfg.client_id),
		.sub = form_get_or(&q, "sub", DEFAULT_SUB),
		.email = form_get_or(&q, "email", DEFAULT_EMAIL),
		.email_verified = !verified || !strcmp(verified, "true"),
		.name = form_get_or(&q, "name", DEFAULT_NAME),
		.nonce = form_get(&q, "nonce"),
		.hd = form_get(&q, "hd"),
		.iat = (int64_t)now + iat_offset,
		.exp = (int64_t)now + TOKEN_TTL + exp_offset,
	};
	if (token_issue(idp, &claims, false, &jwt)) {
		resp_text(resp, 500, "signing failed");
		goto out_release;
	}
	resp->status = 200;
	resp->content_type = "text/plain; charset=utf-8";
	strbuf_addstr(&resp->body, jwt.buf);
out_release:
	form_release(&q);
	strbuf_release(&jwt);
}

static bool json_is_bool(json_object *v)
{
	return json_object_is_type(v, json_type_boolean);
}

static bool json_is_str(json_object *v)
{
	return json_object_is_type(v, json_type_string);
}

/* Checks a next_identity object; on error describes it in err. */
static bool identity_json_valid(json_object *obj, struct strbuf *err)
{
	if (!json_object_is_type(obj, json_type_object)) {
		strbuf_addstr(err, "next_identity must be an object");
		return false;
	}
	json_object_object_foreach(obj, field, val)
	{
		bool ok;

		if (!strcmp(field, "email_verified"))
			ok = json_is_bool(val);
		else if (!strcmp(field, "hd"))
			ok = json_is_str(val) || val == NULL;
		else if (!strcmp(field, "sub") || !strcmp(field, "email") || !strcmp(field, "name"))
			ok = json_is_str(val);
		else {
			strbuf_addf(err, "unknown next_identity field %s", field);
			return false;
		}
		if (!ok) {
			strbuf_addf(err, "next_identity.%s has the wrong type", field);
			return false;
		}
	}
	return true;
}

/* Checks a /control document; on error describes it in err. */
static bool control_valid(json_object *doc, struct strbuf *err)
{
	if (!json_object_is_type(doc, json_type_object)) {
		strbuf_addstr(err, "body must be a JSON object");
		return false;
	}
	json_object_object_foreach(doc, key, val)
	{
		if (!strcmp(key, "next_identity")) {
			if (!identity_json_valid(val, err))
				return false;
		} else if (!strcmp(key, "fail_jwks") || !strcmp(key, "fail_token") ||
			   !strcmp(key, "bad_signature") || !strcmp(key, "wrong_nonce") ||
			   !strcmp(key, "rotate") || !strcmp(key, "reset")) {
			if (!json_is_bool(val)) {
				strbuf_addf(err, "%s must be true or false", key);
				return false;
			}
		} else {
			strbuf_addf(err, "unknown control key %s", key);
			return false;
		}
	}
	return true;
}

/* Sets *flag from doc[key] when present. */
static void control_flag(json_object *doc, const char *key, bool *flag)
{
	json_object *v;

	if (json_object_object_get_ex(doc, key, &v))
		*flag = json_object_get_boolean(v);
}

static const char *json_field_str(json_object *obj, const char *key, const char *dflt)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && v)
		return json_object_get_string(v);
	return dflt;
}

static void handle_control(struct idp *idp, const struct request *req, struct response *resp)
{
	enum json_tokener_error jerr;
	json_object *doc, *v;
	struct strbuf err;
	bool yes;

	strbuf_init(&err, 0);
	doc = json_tokener_parse_verbose(req->body.buf, &jerr);
	if (!doc) {
		strbuf_addf(&err, "body is not JSON: %s", json_tokener_error_desc(jerr));
		resp_text(resp, 400, err.buf);
		goto out_release;
	}
	if (!control_valid(doc, &err)) {
		resp_text(resp, 400, err.buf);
		goto out_put_doc;
	}
	yes = false;
	control_flag(doc, "reset", &yes);
	if (yes)
		idp_reset(idp);
	control_flag(doc, "fail_jwks", &idp->fail_jwks);
	control_flag(doc, "fail_token", &idp->fail_token);
	control_flag(doc, "bad_signature", &idp->bad_signature);
	control_flag(doc, "wrong_nonce", &idp->wrong_nonce);
	if (json_object_object_get_ex(doc, "next_identity", &v)) {
		struct identity who;
		json_object *ev;

		identity_set(&who, json_field_str(v, "sub", DEFAULT_SUB),
			     json_field_str(v, "email", DEFAULT_EMAIL),
			     !json_object_object_get_ex(v, "email_verified", &ev) ||
				     json_object_get_boolean(ev),
			     json_field_str(v, "name", DEFAULT_NAME), json_field_str(v, "hd", NULL));
		identity_release(&idp->next_identity);
		idp->next_identity = who;
	}
	yes = false;
	control_flag(doc, "rotate", &yes);
	if (yes && key_rotate(idp)) {
		resp_text(resp, 500, "key generation failed");
		goto out_put_doc;
	}
	resp->status = 204;
out_put_doc:
	json_object_put(doc);
out_release:
	strbuf_release(&err);
}

static void handle_stats(struct idp *idp, const struct request *req, struct response *resp)
{
	json_object *o = jcheck(json_object_new_object());

	jadd(o, "jwks", json_object_new_int64(idp->n_jwks));
	jadd(o, "authorize", json_object_new_int64(idp->n_authorize));
	jadd(o, "token", json_object_new_int64(idp->n_token));
	jadd(o, "mint", json_object_new_int64(idp->n_mint));
	resp_json(resp, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/jwks", handle_jwks },
	{ "GET", "/authorize", handle_authorize },
	{ "POST", "/token", handle_token },
	{ "GET", "/mint", handle_mint },
	{ "POST", "/control", handle_control },
	{ "GET", "/stats", handle_stats },
};

static void dispatch(struct idp *idp, const struct request *req, struct response *resp)
{
	size_t i;

	codes_expire(idp, false);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, req->path))
			continue;
		if (strcmp(routes[i].method, req->method)) {
			strbuf_addf(&resp->headers, "Allow: %s\r\n", routes[i].method);
			resp_text(resp, 405, "method not allowed");
			return;
		}
		routes[i].handle(idp, req, resp);
		return;
	}
	resp_text(resp, 404, "not found");
}

/* ---- HTTP plumbing ---- */

/* Waits until fd is ready for events; -1 when the deadline passes first. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -1;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0 || errno != EINTR)
			return -1;
	}
}

static int send_all(int fd, const char *data, size_t len, int64_t deadline)
{
	ssize_t n;

	while (len) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			return -1;
		} else if (wait_fd(fd, POLLOUT, deadline)) {
			return -1;
		}
	}
	return 0;
}

static void request_init(struct request *req)
{
	memset(req, 0, sizeof(*req));
	strbuf_init(&req->raw, 4096);
	strbuf_init(&req->body, 0);
}

static void request_release(struct request *req)
{
	strbuf_release(&req->raw);
	strbuf_release(&req->body);
}

/*
 * Parses the request line and headers in req->raw (NUL-terminated at the
 * blank line). Fills method/path/query and the headers we use, and
 * *content_length / *expect_continue. 0 or an HTTP status to answer.
 */
static int request_parse_head(struct request *req, size_t *content_length, bool *expect_continue)
{
	char *line = req->raw.buf, *next, *target, *version, *query, *colon, *value, *end;

	next = strstr(line, "\r\n");
	if (next) {
		*next = '\0';
		next += 2;
	}
	target = strchr(line, ' ');
	if (!target)
		return 400;
	*target++ = '\0';
	version = strchr(target, ' ');
	if (!version)
		return 400;
	*version++ = '\0';
	if (strncmp(version, "HTTP/1.", 7) || *target != '/')
		return 400;
	req->method = line;
	query = strchr(target, '?');
	if (query)
		*query++ = '\0';
	req->path = target;
	req->query = query ? query : "";

	for (line = next; line && *line; line = next) {
		next = strstr(line, "\r\n");
		if (next) {
			*next = '\0';
			next += 2;
		}
		colon = strchr(line, ':');
		if (!colon)
			return 400;
		*colon = '\0';
		for (value = colon + 1; *value == ' ' || *value == '\t'; value++)
			;
		for (end = value + strlen(value); end > value && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		if (!strcasecmp(line, "Content-Length")) {
			if (!*value || strspn(value, "0123456789") != strlen(value))
				return 400;
			if (strlen(value) > 9 || strtoul(value, NULL, 10) > BODY_MAX)
				return 413;
			*content_length = strtoul(value, NULL, 10);
		} else if (!strcasecmp(line, "Transfer-Encoding")) {
			return 501;
		} else if (!strcasecmp(line, "Content-Type")) {
			req->content_type = value;
		} else if (!strcasecmp(line, "Authorization")) {
			req->authorization = value;
		} else if (!strcasecmp(line, "Expect")) {
			*expect_continue = !strcasecmp(value, "100-continue");
		}
	}
	return 0;
}

static const char *status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

static int response_send(int fd, const struct response *resp, int64_t deadline)
{
	struct strbuf head;
	int ret;

	strbuf_init(&head, 256);
	strbuf_addf(&head, "HTTP/1.1 %d %s\r\nConnection: close\r\n", resp->status,
		    status_reason(resp->status));
	if (resp->status != 204) {
		if (resp->body.len)
			strbuf_addf(&head, "Content-Type: %s\r\n", resp->content_type);
		strbuf_addf(&head, "Content-Length: %zu\r\n", resp->body.len);
	}
	strbuf_add(&head, resp->headers.buf, resp->headers.len);
	strbuf_addstr(&head, "\r\n");
	if (resp->status != 204)
		strbuf_add(&head, resp->body.buf, resp->body.len);
	ret = send_all(fd, head.buf, head.len, deadline);
	strbuf_release(&head);
	return ret;
}

static void log_request(const struct request *req, const struct response *resp)
{
	struct strbuf line;

	strbuf_init(&line, 128);
	strbuf_addstr(&line, "fake_google: method=");
	strbuf_add_logfmt_value(&line, req->method ? req->method : "-");
	strbuf_addstr(&line, " path=");
	strbuf_add_logfmt_value(&line, req->path ? req->path : "-");
	strbuf_addf(&line, " status=%d", resp->status);
	if (resp->status >= 400 && resp->body.len) {
		strbuf_addstr(&line, " body=");
		strbuf_add_logfmt_value(&line, resp->body.buf);
	}
	fprintf(stderr, "%s\n", line.buf);
	strbuf_release(&line);
}

static void response_init(struct response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strbuf_init(&resp->headers, 0);
	strbuf_init(&resp->body, 0);
}

static void response_release(struct response *resp)
{
	strbuf_release(&resp->headers);
	strbuf_release(&resp->body);
}

static void conn_open(struct conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->state = CONN_READ_HEAD;
	c->deadline = now_ms() + IO_TIMEOUT_MS;
	request_init(&c->req);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	request_release(&c->req);
}

/* Answers the request (or status when nonzero), logs it and starts draining. */
static void conn_respond(struct idp *idp, struct conn *c, int status)
{
	struct response resp;

	response_init(&resp);
	if (status)
		resp_text(&resp, status, status_reason(status));
	else
		dispatch(idp, &c->req, &resp);
	response_send(c->fd, &resp, now_ms() + IO_TIMEOUT_MS);
	log_request(&c->req, &resp);
	response_release(&resp);
	shutdown(c->fd, SHUT_WR);
	c->state = CONN_DRAIN;
	c->deadline = now_ms() + DRAIN_TIMEOUT_MS;
}

/*
 * Moves the request on after new bytes arrived: splits off the header
 * section once complete, answers 100-continue, answers once the body is
 * complete. false when the connection should be dropped.
 */
static bool conn_advance(struct idp *idp, struct conn *c)
{
	static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct request *req = &c->req;
	bool expect_continue = false;
	size_t head_len;
	char *end;
	int status;

	if (c->state == CONN_READ_HEAD) {
		end = memmem(req->raw.buf, req->raw.len, "\r\n\r\n", 4);
		if (!end) {
			if (req->raw.len >= HEADER_MAX)
				conn_respond(idp, c, 431);
			return true;
		}
		head_len = (size_t)(end - req->raw.buf);
		strbuf_add(&req->body, end + 4, req->raw.len - head_len - 4);
		end[2] = '\0';	/* keep the last header's CRLF for the line splitter */
		req->raw.len = head_len + 2;
		c->state = CONN_READ_BODY;
		status = request_parse_head(req, &c->content_length, &expect_continue);
		if (status) {
			conn_respond(idp, c, status);
			return true;
		}
		if (expect_continue && req->body.len < c->content_length &&
		    send_all(c->fd, interim, sizeof(interim) - 1, c->deadline))
			return false;
	}
	if (req->body.len < c->content_length)
		return true;
	req->body.len = c->content_length;
	req->body.buf[req->body.len] = '\0';
	conn_respond(idp, c, 0);
	return true;
}

/* Takes what the peer sent. false when the connection is finished or failed. */
static bool conn_readable(struct idp *idp, struct conn *c)
{
	char buf[16384];
	ssize_t n;

	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	if (n == 0)
		return false;
	switch (c->state) {
	case CONN_READ_HEAD:
		strbuf_add(&c->req.raw, buf, (size_t)n);
		break;
	case CONN_READ_BODY:
		strbuf_add(&c->req.body, buf, (size_t)n);
		break;
	case CONN_DRAIN:
		return true;
	}
	return conn_advance(idp, c);
}

/* ---- process ---- */

/* Listens on 127.0.0.1:port (0 = any free port); the bound port goes to *bound. */
static int listen_loopback(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)port);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len)) {
		close(fd);
		return -1;
	}
	*bound = ntohs(addr.sin_port);
	return fd;
}

/* Writes "PORT\n" to path through a temporary file and rename(). */
static int port_file_write(const char *path, unsigned int port)
{
	struct strbuf tmp;
	FILE *f;
	int ret = -1;

	strbuf_init(&tmp, 0);
	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp.buf, "w");
	if (!f)
		goto out_release;
	if (fprintf(f, "%u\n", port) < 0) {
		fclose(f);
		goto out_unlink;
	}
	if (fclose(f) || rename(tmp.buf, path))
		goto out_unlink;
	ret = 0;
	goto out_release;
out_unlink:
	unlink(tmp.buf);
out_release:
	strbuf_release(&tmp);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: fake_google --port PORT [--port-file FILE] [--client-id ID]\n"
		     "                   [--client-secret SECRET] [--issuer ISS] [--max-age SECONDS]\n");
}

/* 0, 1 when only help was asked for, or -1 after printing what is wrong. */
static int config_parse(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "client-id", required_argument, NULL, 'c' },
		{ "client-secret", required_argument, NULL, 's' },
		{ "issuer", required_argument, NULL, 'i' },
		{ "max-age", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_port = false;
	long n;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!parse_long(optarg, &n) || n < 0 || n > 65535) {
				fprintf(stderr, "fake_google: bad --port %s\n", optarg);
				return -1;
			}
			cfg->port = (unsigned int)n;
			have_port = true;
			break;
		case 'f': cfg->port_file = optarg; break;
		case 'c': cfg->client_id = optarg; break;
		case 's': cfg->client_secret = optarg; break;
		case 'i': cfg->issuer = optarg; break;
		case 'm':
			if (!parse_long(optarg, &cfg->max_age) || cfg->max_age < 0) {
				fprintf(stderr, "fake_google: bad --max-age %s\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); return 1;
		default: return -1;
		}
	}
	if (optind < argc || !have_port) {
		fprintf(stderr, "fake_google: --port is required and no operands are taken\n");
		return -1;
	}
	return 0;
}

/* Milliseconds until the earliest connection deadline, or -1 for none. */
static int64_t conns_next_timeout(const struct conn *conns, size_t n)
{
	int64_t now = now_ms(), wait = -1, left;
	size_t i;

	for (i = 0; i < n; i++) {
		left = conns[i].deadline > now ? conns[i].deadline - now : 0;
		if (wait < 0 || left < wait)
			wait = left;
	}
	return wait;
}

/*
 * Serves until SIGTERM/SIGINT, which are only delivered while waiting in
 * ppoll(). Connections are multiplexed so an idle one (a browser's
 * speculative preconnect, a stuck client) delays nobody.
 */
static int serve(struct idp *idp, int lfd, const sigset_t *waitmask)
{
	struct conn conns[CONN_MAX];
	struct pollfd pfds[CONN_MAX + 1];
	struct timespec ts;
	size_t n = 0, i, kept;
	int64_t wait, now;
	int fd, ret = 0;

	while (!stop_requested) {
		pfds[0] = (struct pollfd){ .fd = lfd, .events = n < CONN_MAX ? POLLIN : 0 };
		for (i = 0; i < n; i++)
			pfds[i + 1] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
		wait = conns_next_timeout(conns, n);
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = (long)(wait % 1000) * 1000000;
		if (ppoll(pfds, n + 1, wait < 0 ? NULL : &ts, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			perror("fake_google: ppoll");
			ret = -1;
			break;
		}

		now = now_ms();
		for (i = 0, kept = 0; i < n; i++) {
			struct conn *c = &conns[i];

			if ((pfds[i + 1].revents && !conn_readable(idp, c)) || c->deadline <= now)
				conn_close(c);
			else if (kept++ != i)
				conns[kept - 1] = *c;
		}
		n = kept;

		while ((pfds[0].revents & POLLIN) && n < CONN_MAX) {
			fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0)
				break;	/* EAGAIN, or a connection that died in the backlog */
			conn_open(&conns[n++], fd);
		}
	}
	for (i = 0; i < n; i++)
		conn_close(&conns[i]);
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	struct idp idp;
	const char *errpos;
	bool wrote_port_file = false;
	unsigned int port = 0;
	int lfd = -1, ret = 1;

	idp_init(&idp);
	ret = config_parse(&idp.cfg, argc, argv);
	if (ret) {
		if (ret < 0)
			usage(stderr);
		ret = ret < 0 ? 2 : 0;
		goto out_release;
	}
	ret = 1;

	/* Termination signals stay pending until ppoll() so none is lost. */
	errpos = "signals";
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigemptyset(&sa.sa_mask);
	if (sigprocmask(SIG_BLOCK, &block, &waitmask) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGINT, &sa, NULL) || signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		goto out_fail;
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	errpos = "key generation";
	errno = 0;
	if (key_rotate(&idp))
		goto out_fail;
	errpos = "listen on 127.0.0.1";
	lfd = listen_loopback(idp.cfg.port, &port);
	if (lfd < 0)
		goto out_fail;
	if (idp.cfg.port_file) {
		errpos = "write --port-file";
		if (port_file_write(idp.cfg.port_file, port))
			goto out_fail;
		wrote_port_file = true;
	}
	printf("listening %u\n", port);
	fflush(stdout);

	ret = serve(&idp, lfd, &waitmask) ? 1 : 0;
	goto out_close;
out_fail:
	fprintf(stderr, "fake_google: %s failed: %s\n", errpos,
		errno ? strerror(errno) : "see above");
out_close:
	if (wrote_port_file)
		unlink(idp.cfg.port_file);
	if (lfd >= 0)
		close(lfd);
out_release:
	idp_release(&idp);
	return ret;
}
