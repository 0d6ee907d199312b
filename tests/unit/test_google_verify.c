#include <arpa/inet.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/google_verify.h"
#include "tests/lib/cu.h"

#define NOW ((time_t)1700000000)
#define CLIENT_ID "1234-abc.apps.googleusercontent.com"
#define KID "key-1"
#define MAX_AGE 3600

static EVP_PKEY *signing_key;
static char *jwks;        /* holds signing_key as KID */
static char *jwks_mixed;  /* an EC key, signing_key as "enc-1" for encryption, and KID */

static time_t clock_now;

static time_t fake_now(void)
{
	return clock_now;
}

/* The identity provider as the verifier sees it: serves body, or fails when down. */
static struct fake_provider {
	const char *body;
	long max_age;
	bool down;
	unsigned int delay_ms;
	unsigned long calls;
} provider;

static int fake_fetch(void *ctx, const char *url, struct strbuf *body, long *max_age_s)
{
	struct fake_provider *p = ctx;

	p->calls++;
	usleep(p->delay_ms * 1000);
	if (p->down)
		return -1;
	strbuf_addstr(body, p->body);
	*max_age_s = p->max_age;
	return 0;
}

static struct google_verifier verifier;

static void start_skew(const char *hosted_domain, long skew_s)
{
	const struct google_verifier_config cfg = {
		.jwks_url = "http://provider.test/certs",
		.client_id = CLIENT_ID,
		.issuers = " accounts.google.com , https://accounts.google.com",
		.hosted_domain = hosted_domain,
		.skew_s = skew_s,
		.unknown_kid_cooldown_s = 60,
		.default_max_age_s = 300,
	};

	provider = (struct fake_provider){ .body = jwks, .max_age = MAX_AGE };
	clock_now = NOW;
	google_verifier_init(&verifier, &cfg, fake_fetch, &provider);
	verifier.now = fake_now;
}

static void start(const char *hosted_domain)
{
	start_skew(hosted_domain, 60);
}

static void stop(void)
{
	google_verifier_release(&verifier);
}

/* ---- building tokens ---- */

static void b64url_str(struct strbuf *out, const char *s)
{
	b64url_encode((const unsigned char *)s, strlen(s), out);
}

static void rs256_sign(struct strbuf *out, const char *input, size_t len)
{
	unsigned char sig[512];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	CU_ASSERT_FATAL(md != NULL);
	CU_ASSERT_FATAL(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, signing_key) == 1);
	CU_ASSERT_FATAL(EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input, len) == 1);
	EVP_MD_CTX_free(md);
	b64url_encode(sig, siglen, out);
}

/* header.payload.signature with an RS256 signature by signing_key; free() it. */
static char *token_sign(const char *header, const char *payload)
{
	struct strbuf t = STRBUF_INIT;
	size_t len;

	b64url_str(&t, header);
	strbuf_addch(&t, '.');
	b64url_str(&t, payload);
	len = t.len;
	strbuf_addch(&t, '.');
	rs256_sign(&t, t.buf, len);
	return strbuf_detach(&t, NULL);
}

static struct json_object *claims_new(void)
{
	struct json_object *c = json_object_new_object();

	json_object_object_add(c, "iss", json_object_new_string("https://accounts.google.com"));
	json_object_object_add(c, "aud", json_object_new_string(CLIENT_ID));
	json_object_object_add(c, "sub", json_object_new_string("110169484474386276334"));
	json_object_object_add(c, "email", json_object_new_string("ann@example.com"));
	json_object_object_add(c, "email_verified", json_object_new_boolean(1));
	json_object_object_add(c, "name", json_object_new_string("Ann Example"));
	json_object_object_add(c, "picture", json_object_new_string("https://example.com/a.png"));
	json_object_object_add(c, "iat", json_object_new_int64(NOW - 10));
	json_object_object_add(c, "exp", json_object_new_int64(NOW + 3600));
	return c;
}

static void claim_str(struct json_object *c, const char *key, const char *val)
{
	json_object_object_add(c, key, json_object_new_string(val));
}

static void claim_int(struct json_object *c, const char *key, int64_t val)
{
	json_object_object_add(c, key, json_object_new_int64(val));
}

/* An RS256 token with kid over claims (consumed); free() it. */
static char *token_kid(struct json_object *claims, const char *kid)
{
	struct strbuf header = STRBUF_INIT;
	char *t;

	strbuf_addf(&header, "{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", kid);
	t = token_sign(header.buf, json_object_to_json_string(claims));
	strbuf_release(&header);
	json_object_put(claims);
	return t;
}

static char *token(struct json_object *claims)
{
	return token_kid(claims, KID);
}

/* Verifies token (freed) and drops the identity; the result. */
static enum google_verify_result verify(char *t, const char *nonce)
{
	struct google_identity id;
	enum google_verify_result r;

	r = google_verify(&verifier, t, nonce, &id);
	google_identity_release(&id);
	free(t);
	return r;
}

static enum google_verify_result verify_claims(struct json_object *claims)
{
	return verify(token(claims), NULL);
}

/* ---- tests: tokens ---- */

static void test_valid_token_is_accepted(void)
{
	struct google_identity id;
	char *t;

	start(NULL);
	t = token(claims_new());
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_OK);
	CU_ASSERT_STRING_EQUAL(id.sub, "110169484474386276334");
	CU_ASSERT_STRING_EQUAL(id.email, "ann@example.com");
	CU_ASSERT_TRUE(id.email_verified);
	CU_ASSERT_STRING_EQUAL(id.name, "Ann Example");
	CU_ASSERT_STRING_EQUAL(id.picture, "https://example.com/a.png");
	CU_ASSERT_PTR_NULL(id.hd);
	CU_ASSERT_EQUAL(provider.calls, 1);
	CU_ASSERT_EQUAL(verifier.fetches, 1);
	google_identity_release(&id);
	free(t);
	stop();
}

static void test_flipped_signature_byte_is_refused(void)
{
	struct strbuf sig = STRBUF_INIT, tampered = STRBUF_INIT;
	char *t, *dot;

	start(NULL);
	t = token(claims_new());
	dot = strrchr(t, '.');
	CU_ASSERT_FATAL(b64url_decode(dot + 1, strlen(dot + 1), &sig) == 0);
	sig.buf[10] ^= 0x01;
	strbuf_add(&tampered, t, (size_t)(dot + 1 - t));
	b64url_encode((const unsigned char *)sig.buf, sig.len, &tampered);
	CU_ASSERT_EQUAL(verify(strbuf_detach(&tampered, NULL), NULL), GV_BAD_SIGNATURE);
	strbuf_release(&sig);
	free(t);
	stop();
}

static void test_claims_changed_after_signing_are_refused(void)
{
	struct strbuf forged = STRBUF_INIT;
	struct json_object *c;
	char *t, *dot1, *dot2;

	start(NULL);
	t = token(claims_new());
	dot1 = strchr(t, '.');
	dot2 = strrchr(t, '.');
	c = claims_new();
	claim_str(c, "sub", "someone-else");
	strbuf_add(&forged, t, (size_t)(dot1 + 1 - t));
	b64url_str(&forged, json_object_to_json_string(c));
	strbuf_addstr(&forged, dot2);
	CU_ASSERT_EQUAL(verify(strbuf_detach(&forged, NULL), NULL), GV_BAD_SIGNATURE);
	json_object_put(c);
	free(t);
	stop();
}

static void test_alg_none_is_refused_before_key_lookup(void)
{
	struct strbuf t = STRBUF_INIT;
	struct json_object *c = claims_new();

	start(NULL);
	b64url_str(&t, "{\"alg\":\"none\",\"kid\":\"" KID "\"}");
	strbuf_addch(&t, '.');
	b64url_str(&t, json_object_to_json_string(c));
	strbuf_addch(&t, '.');
	CU_ASSERT_EQUAL(verify(strbuf_detach(&t, NULL), NULL), GV_BAD_ALG);
	CU_ASSERT_EQUAL(provider.calls, 0);
	json_object_put(c);
	stop();
}

static void test_hs256_keyed_with_public_key_is_refused(void)
{
	struct strbuf t = STRBUF_INIT;
	struct json_object *c = claims_new();
	unsigned char mac[EVP_MAX_MD_SIZE];
	size_t maclen = 0;
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;
	long pemlen;

	start(NULL);
	CU_ASSERT_FATAL(PEM_write_bio_PUBKEY(bio, signing_key) == 1);
	pemlen = BIO_get_mem_data(bio, &pem);
	b64url_str(&t, "{\"alg\":\"HS256\",\"kid\":\"" KID "\",\"typ\":\"JWT\"}");
	strbuf_addch(&t, '.');
	b64url_str(&t, json_object_to_json_string(c));
	CU_ASSERT_FATAL(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, pem, (size_t)pemlen,
				  (const unsigned char *)t.buf, t.len, mac, sizeof(mac),
				  &maclen) != NULL);
	strbuf_addch(&t, '.');
	b64url_encode(mac, maclen, &t);
	CU_ASSERT_EQUAL(verify(strbuf_detach(&t, NULL), NULL), GV_BAD_ALG);
	CU_ASSERT_EQUAL(provider.calls, 0);
	BIO_free(bio);
	json_object_put(c);
	stop();
}

static void test_missing_alg_is_refused(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify(token_sign("{\"kid\":\"" KID "\"}", "{}"), NULL), GV_BAD_ALG);
	stop();
}

static void test_missing_kid_is_malformed(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	CU_ASSERT_EQUAL(verify(token_sign("{\"alg\":\"RS256\"}", json_object_to_json_string(c)),
			       NULL),
			GV_MALFORMED);
	json_object_put(c);
	stop();
}

static void test_wrong_issuer_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_str(c, "iss", "https://accounts.google.com.evil.example");
	CU_ASSERT_EQUAL(verify_claims(c), GV_BAD_ISSUER);
	stop();
}

static void test_bare_issuer_from_trimmed_list_is_accepted(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_str(c, "iss", "accounts.google.com");
	CU_ASSERT_EQUAL(verify_claims(c), GV_OK);
	stop();
}

static void test_wrong_audience_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_str(c, "aud", "someone-else.apps.googleusercontent.com");
	CU_ASSERT_EQUAL(verify_claims(c), GV_BAD_AUDIENCE);
	stop();
}

static void test_audience_array_containing_client_id_is_accepted(void)
{
	struct json_object *c = claims_new();
	struct json_object *aud = json_object_new_array();

	start(NULL);
	json_object_array_add(aud, json_object_new_string("other-client"));
	json_object_array_add(aud, json_object_new_string(CLIENT_ID));
	json_object_object_add(c, "aud", aud);
	CU_ASSERT_EQUAL(verify_claims(c), GV_OK);
	stop();
}

static void test_audience_array_without_client_id_is_refused(void)
{
	struct json_object *c = claims_new();
	struct json_object *aud = json_object_new_array();

	start(NULL);
	json_object_array_add(aud, json_object_new_string("other-client"));
	json_object_object_add(c, "aud", aud);
	CU_ASSERT_EQUAL(verify_claims(c), GV_BAD_AUDIENCE);
	stop();
}

static void test_expired_beyond_skew_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_int(c, "iat", NOW - 3700);
	claim_int(c, "exp", NOW - 61);
	CU_ASSERT_EQUAL(verify_claims(c), GV_EXPIRED);
	stop();
}

static void test_expired_within_skew_is_accepted(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_int(c, "iat", NOW - 3700);
	claim_int(c, "exp", NOW - 60);
	CU_ASSERT_EQUAL(verify_claims(c), GV_OK);
	stop();
}

static void test_zero_skew_is_honored(void)
{
	struct json_object *c = claims_new();

	start_skew(NULL, 0);
	claim_int(c, "exp", NOW - 1);
	CU_ASSERT_EQUAL(verify_claims(c), GV_EXPIRED);
	stop();
}

static void test_missing_exp_is_malformed(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	json_object_object_del(c, "exp");
	CU_ASSERT_EQUAL(verify_claims(c), GV_MALFORMED);
	stop();
}

static void test_nbf_in_future_beyond_skew_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_int(c, "nbf", NOW + 61);
	CU_ASSERT_EQUAL(verify_claims(c), GV_NOT_YET_VALID);
	stop();
}

static void test_iat_in_future_beyond_skew_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_int(c, "iat", NOW + 61);
	CU_ASSERT_EQUAL(verify_claims(c), GV_NOT_YET_VALID);
	stop();
}

static void test_iat_in_future_within_skew_is_accepted(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_int(c, "iat", NOW + 60);
	claim_int(c, "nbf", NOW + 60);
	CU_ASSERT_EQUAL(verify_claims(c), GV_OK);
	stop();
}

static void test_missing_sub_is_malformed(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	json_object_object_del(c, "sub");
	CU_ASSERT_EQUAL(verify_claims(c), GV_MALFORMED);
	stop();
}

static void test_nonce_mismatch_is_refused(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_str(c, "nonce", "n-0S6_WzA2Mj");
	CU_ASSERT_EQUAL(verify(token(c), "n-0S6_WzA2Mk"), GV_BAD_NONCE);
	stop();
}

static void test_missing_nonce_is_refused_when_expected(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify(token(claims_new()), "n-0S6_WzA2Mj"), GV_BAD_NONCE);
	stop();
}

static void test_matching_nonce_is_accepted(void)
{
	struct json_object *c = claims_new();

	start(NULL);
	claim_str(c, "nonce", "n-0S6_WzA2Mj");
	CU_ASSERT_EQUAL(verify(token(c), "n-0S6_WzA2Mj"), GV_OK);
	stop();
}

static void test_hosted_domain_mismatch_is_refused(void)
{
	struct json_object *c = claims_new();

	start("example.com");
	claim_str(c, "hd", "example.org");
	CU_ASSERT_EQUAL(verify_claims(c), GV_BAD_HOSTED_DOMAIN);
	stop();
}

static void test_missing_hosted_domain_is_refused_when_required(void)
{
	start("example.com");
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_BAD_HOSTED_DOMAIN);
	stop();
}

static void test_matching_hosted_domain_is_reported(void)
{
	struct json_object *c = claims_new();
	struct google_identity id;
	char *t;

	start("example.com");
	claim_str(c, "hd", "example.com");
	t = token(c);
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_OK);
	CU_ASSERT_STRING_EQUAL(id.hd, "example.com");
	google_identity_release(&id);
	free(t);
	stop();
}

static void test_email_verified_false_is_reported_false(void)
{
	struct json_object *c = claims_new();
	struct google_identity id;
	char *t;

	start(NULL);
	json_object_object_add(c, "email_verified", json_object_new_boolean(0));
	t = token(c);
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_OK);
	CU_ASSERT_FALSE(id.email_verified);
	CU_ASSERT_STRING_EQUAL(id.email, "ann@example.com");
	google_identity_release(&id);
	free(t);
	stop();
}

static void test_email_verified_string_true_is_reported_true(void)
{
	struct json_object *c = claims_new();
	struct google_identity id;
	char *t;

	start(NULL);
	claim_str(c, "email_verified", "true");
	t = token(c);
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_OK);
	CU_ASSERT_TRUE(id.email_verified);
	google_identity_release(&id);
	free(t);
	stop();
}

static void test_email_verified_string_false_is_reported_false(void)
{
	struct json_object *c = claims_new();
	struct google_identity id;
	char *t;

	start(NULL);
	claim_str(c, "email_verified", "false");
	t = token(c);
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_OK);
	CU_ASSERT_FALSE(id.email_verified);
	google_identity_release(&id);
	free(t);
	stop();
}

/* ---- tests: malformed input ---- */

static enum google_verify_result verify_text(const char *t)
{
	return verify(strdup(t), NULL);
}

static void test_empty_string_is_malformed(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_text(""), GV_MALFORMED);
	CU_ASSERT_EQUAL(verify_text(".."), GV_MALFORMED);
	CU_ASSERT_EQUAL(provider.calls, 0);
	stop();
}

static void test_two_parts_are_malformed(void)
{
	char *t;

	start(NULL);
	t = token(claims_new());
	*strrchr(t, '.') = '\0';
	CU_ASSERT_EQUAL(verify(t, NULL), GV_MALFORMED);
	CU_ASSERT_EQUAL(provider.calls, 0);
	stop();
}

static void test_four_parts_are_malformed(void)
{
	struct strbuf t = STRBUF_INIT;
	char *signed_token;

	start(NULL);
	signed_token = token(claims_new());
	strbuf_addstr(&t, signed_token);
	strbuf_addstr(&t, ".e30");
	CU_ASSERT_EQUAL(verify(strbuf_detach(&t, NULL), NULL), GV_MALFORMED);
	free(signed_token);
	stop();
}

static void test_malformed_base64_is_malformed(void)
{
	struct strbuf t = STRBUF_INIT;
	char *signed_token, *p;

	start(NULL);
	signed_token = token(claims_new());
	strbuf_addstr(&t, signed_token);
	p = strchr(t.buf, '.') + 3;
	*p = '+';
	CU_ASSERT_EQUAL(verify(strbuf_detach(&t, NULL), NULL), GV_MALFORMED);
	strbuf_addstr(&t, signed_token);
	strbuf_addch(&t, '=');
	CU_ASSERT_EQUAL(verify(strbuf_detach(&t, NULL), NULL), GV_MALFORMED);
	CU_ASSERT_EQUAL(provider.calls, 0);
	free(signed_token);
	stop();
}

static void test_malformed_json_is_malformed(void)
{
	struct json_object *c = claims_new();
	const char *claims = json_object_to_json_string(c);
	struct strbuf trailing = STRBUF_INIT;

	start(NULL);
	CU_ASSERT_EQUAL(verify(token_sign("{\"alg\":\"RS256\",\"kid\":\"" KID "\"", claims), NULL),
			GV_MALFORMED);
	CU_ASSERT_EQUAL(verify(token_sign("[\"RS256\"]", claims), NULL), GV_MALFORMED);
	strbuf_addf(&trailing, "%sx", claims);
	CU_ASSERT_EQUAL(verify(token_sign("{\"alg\":\"RS256\",\"kid\":\"" KID "\"}", trailing.buf),
			       NULL),
			GV_MALFORMED);
	CU_ASSERT_EQUAL(provider.calls, 0);
	strbuf_release(&trailing);
	json_object_put(c);
	stop();
}

static void test_64k_token_is_refused_before_fetch_or_crypto(void)
{
	struct json_object *c = claims_new();
	char *pad = malloc(64 * 1024 + 1);
	struct google_identity id;
	char *t;

	start(NULL);
	memset(pad, 'a', 64 * 1024);
	pad[64 * 1024] = '\0';
	claim_str(c, "pad", pad);
	t = token(c);
	CU_ASSERT(strlen(t) > 64 * 1024);
	CU_ASSERT_EQUAL(google_verify(&verifier, t, NULL, &id), GV_MALFORMED);
	CU_ASSERT_EQUAL(provider.calls, 0);
	CU_ASSERT_EQUAL(verifier.fetches, 0);
	CU_ASSERT_PTR_NULL(id.sub);
	free(t);
	free(pad);
	stop();
}

/* ---- tests: key cache ---- */

static void test_unknown_kid_refetches_once_per_cooldown(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 1);
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "rotated-1"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(provider.calls, 2);
	clock_now += 59;
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "rotated-2"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(provider.calls, 2);
	CU_ASSERT_EQUAL(verifier.fetches, 2);
	stop();
}

static void test_unknown_kid_on_first_verification_fetches_once(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "rotated-1"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(provider.calls, 1);
	stop();
}

static void test_unknown_kid_after_cooldown_refetches(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "rotated-1"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(provider.calls, 2);
	clock_now += 60;
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "rotated-2"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(provider.calls, 3);
	stop();
}

static void test_within_max_age_no_fetch_at_all(void)
{
	int i;

	start(NULL);
	for (i = 0; i < 50; i++) {
		clock_now = NOW + i * (MAX_AGE - 1) / 49;
		CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	}
	CU_ASSERT_EQUAL(clock_now, NOW + MAX_AGE - 1);
	CU_ASSERT_EQUAL(provider.calls, 1);
	stop();
}

static void test_after_max_age_one_refetch(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	clock_now = NOW + MAX_AGE;
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 2);
	CU_ASSERT_EQUAL(verifier.fetched_at, NOW + MAX_AGE);
	stop();
}

static void test_missing_max_age_uses_default(void)
{
	start(NULL);
	provider.max_age = -1;
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	clock_now = NOW + 299;
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 1);
	clock_now = NOW + 300;
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 2);
	stop();
}

static void test_provider_down_with_cached_keys_still_verifies(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	clock_now = NOW + MAX_AGE + 1;
	provider.down = true;
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 2);
	stop();
}

static void test_dead_provider_is_retried_after_a_delay(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	clock_now = NOW + MAX_AGE;
	provider.down = true;
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	clock_now += 29;
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 2);
	clock_now += 1;
	provider.down = false;
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 3);
	CU_ASSERT_EQUAL(verifier.expires_at, clock_now + MAX_AGE);
	stop();
}

static void test_provider_down_without_keys_is_keys_unavailable(void)
{
	start(NULL);
	provider.down = true;
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_KEYS_UNAVAILABLE);
	CU_ASSERT_EQUAL(provider.calls, 1);
	clock_now += 10;
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_KEYS_UNAVAILABLE);
	CU_ASSERT_EQUAL(provider.calls, 1);
	stop();
}

static void test_jwks_without_usable_keys_keeps_cached_ones(void)
{
	start(NULL);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	clock_now = NOW + MAX_AGE;
	provider.body = "{\"keys\":[]}";
	CU_ASSERT_EQUAL(verify(token(claims_new()), NULL), GV_OK);
	CU_ASSERT_EQUAL(provider.calls, 2);
	stop();
}

static void test_non_rsa_and_non_signing_keys_are_ignored(void)
{
	start(NULL);
	provider.body = jwks_mixed;
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "enc-1"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(verify(token_kid(claims_new(), "ec-1"), NULL), GV_UNKNOWN_KEY);
	CU_ASSERT_EQUAL(verify_claims(claims_new()), GV_OK);
	stop();
}

struct verifier_thread {
	pthread_t thread;
	const char *token;
	int ok;
};

static void *verify_many(void *arg)
{
	struct verifier_thread *vt = arg;
	struct google_identity id;
	int i;

	for (i = 0; i < 20; i++) {
		vt->ok += google_verify(&verifier, vt->token, NULL, &id) == GV_OK;
		google_identity_release(&id);
	}
	return NULL;
}

static void test_concurrent_first_verifications_fetch_once(void)
{
	struct verifier_thread threads[8];
	char *t;
	int i;

	start(NULL);
	provider.delay_ms = 50;
	t = token(claims_new());
	for (i = 0; i < 8; i++) {
		threads[i] = (struct verifier_thread){ .token = t };
		CU_ASSERT_FATAL(pthread_create(&threads[i].thread, NULL, verify_many, &threads[i]) == 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(threads[i].thread, NULL);
		CU_ASSERT_EQUAL(threads[i].ok, 20);
	}
	CU_ASSERT_EQUAL(provider.calls, 1);
	free(t);
	stop();
}

/* ---- tests: base64url and names ---- */

static void test_b64url_round_trips_every_length(void)
{
	unsigned char in[40];
	struct strbuf enc = STRBUF_INIT, dec = STRBUF_INIT;
	size_t len;

	for (len = 0; len < sizeof(in); len++) {
		in[len] = (unsigned char)(len * 37 + 250);
		strbuf_reset(&enc);
		strbuf_reset(&dec);
		b64url_encode(in, len, &enc);
		CU_ASSERT(strpbrk(enc.buf ? enc.buf : "", "=+/") == NULL);
		CU_ASSERT_EQUAL(b64url_decode(enc.buf, enc.len, &dec), 0);
		CU_ASSERT_EQUAL(dec.len, len);
		CU_ASSERT(len == 0 || memcmp(dec.buf, in, len) == 0);
	}
	strbuf_reset(&enc);
	b64url_encode((const unsigned char *)"\xfb\xff", 2, &enc);
	CU_ASSERT_STRING_EQUAL(enc.buf, "-_8");
	strbuf_release(&enc);
	strbuf_release(&dec);
}

static void test_b64url_rejects_bad_input(void)
{
	struct strbuf out = STRBUF_INIT;

	CU_ASSERT_EQUAL(b64url_decode("abcde", 5, &out), -1);     /* 4n+1 characters */
	CU_ASSERT_EQUAL(b64url_decode("ab+/", 4, &out), -1);      /* standard alphabet */
	CU_ASSERT_EQUAL(b64url_decode("YQ==", 4, &out), -1);      /* padding */
	CU_ASSERT_EQUAL(b64url_decode("YR", 2, &out), -1);        /* non-zero unused bits */
	CU_ASSERT_EQUAL(b64url_decode("Y Q", 3, &out), -1);
	CU_ASSERT_EQUAL(out.len, 0);
	CU_ASSERT_EQUAL(b64url_decode("YQ", 2, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.buf, "a");
	strbuf_release(&out);
}

static void test_result_names_are_stable(void)
{
	CU_ASSERT_STRING_EQUAL(google_verify_result_name(GV_OK), "ok");
	CU_ASSERT_STRING_EQUAL(google_verify_result_name(GV_BAD_ALG), "unsupported_algorithm");
	CU_ASSERT_STRING_EQUAL(google_verify_result_name(GV_EXPIRED), "token_expired");
	CU_ASSERT_STRING_EQUAL(google_verify_result_name(GV_KEYS_UNAVAILABLE), "keys_unavailable");
}

/* ---- tests: the libcurl fetcher against a loopback server ---- */

struct http_once {
	int fd;
	const char *response;
	pthread_t thread;
};

static void *http_serve_once(void *arg)
{
	struct http_once *h = arg;
	char req[4096];
	size_t got = 0;
	ssize_t n;
	int c;

	c = accept(h->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	while (got < sizeof(req) - 1) {
		n = recv(c, req + got, sizeof(req) - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	send(c, h->response, strlen(h->response), MSG_NOSIGNAL);
	close(c);
	return NULL;
}

/* Serves response to one request and returns what jwks_fetch_curl made of it. */
static int fetch_from(const char *response, struct strbuf *body, long *max_age)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct strbuf url = STRBUF_INIT;
	struct http_once h = { .response = response };
	int rc;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h.fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(h.fd >= 0);
	CU_ASSERT_FATAL(bind(h.fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	CU_ASSERT_FATAL(listen(h.fd, 1) == 0);
	CU_ASSERT_FATAL(getsockname(h.fd, (struct sockaddr *)&addr, &alen) == 0);
	CU_ASSERT_FATAL(pthread_create(&h.thread, NULL, http_serve_once, &h) == 0);
	strbuf_addf(&url, "http://127.0.0.1:%u/certs", ntohs(addr.sin_port));
	*max_age = -2;
	rc = jwks_fetch_curl(NULL, url.buf, body, max_age);
	pthread_join(h.thread, NULL);
	close(h.fd);
	strbuf_release(&url);
	return rc;
}

static void test_curl_fetcher_reads_body_and_max_age(void)
{
	struct strbuf body = STRBUF_INIT;
	long max_age;

	CU_ASSERT_EQUAL(fetch_from("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				   "cache-control: public, Max-Age=19800, must-revalidate\r\n"
				   "Content-Length: 11\r\nConnection: close\r\n\r\n{\"keys\":[]}",
				   &body, &max_age),
			0);
	CU_ASSERT_STRING_EQUAL(body.buf, "{\"keys\":[]}");
	CU_ASSERT_EQUAL(max_age, 19800);
	strbuf_release(&body);
}

static void test_curl_fetcher_without_max_age_reports_minus_one(void)
{
	struct strbuf body = STRBUF_INIT;
	long max_age;

	CU_ASSERT_EQUAL(fetch_from("HTTP/1.1 200 OK\r\nCache-Control: public, s-maxage=50\r\n"
				   "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
				   &body, &max_age),
			0);
	CU_ASSERT_EQUAL(max_age, -1);
	strbuf_release(&body);
}

static void test_curl_fetcher_no_store_means_zero(void)
{
	struct strbuf body = STRBUF_INIT;
	long max_age;

	CU_ASSERT_EQUAL(fetch_from("HTTP/1.1 200 OK\r\nCache-Control: max-age=600, no-store\r\n"
				   "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
				   &body, &max_age),
			0);
	CU_ASSERT_EQUAL(max_age, 0);
	strbuf_release(&body);
}

static void test_curl_fetcher_fails_on_http_error(void)
{
	struct strbuf body = STRBUF_INIT;
	long max_age;

	CU_ASSERT_EQUAL(fetch_from("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n"
				   "Connection: close\r\n\r\n{}",
				   &body, &max_age),
			-1);
	strbuf_release(&body);
}

static void test_curl_fetcher_does_not_follow_redirects(void)
{
	struct strbuf body = STRBUF_INIT;
	long max_age;

	CU_ASSERT_EQUAL(fetch_from("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/x\r\n"
				   "Content-Length: 0\r\nConnection: close\r\n\r\n",
				   &body, &max_age),
			-1);
	strbuf_release(&body);
}

static void test_curl_fetcher_refuses_oversized_body(void)
{
	struct strbuf response = STRBUF_INIT, body = STRBUF_INIT;
	long max_age;
	size_t i;

	strbuf_addstr(&response, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	for (i = 0; i < 300 * 1024; i++)
		strbuf_addch(&response, ' ');
	CU_ASSERT_EQUAL(fetch_from(response.buf, &body, &max_age), -1);
	CU_ASSERT(body.len <= 256 * 1024);
	strbuf_release(&response);
	strbuf_release(&body);
}

/* ---- suite ---- */

static void bn_b64url(struct strbuf *out, EVP_PKEY *key, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char *bytes;
	int len;

	if (EVP_PKEY_get_bn_param(key, param, &bn) != 1)
		abort();
	len = BN_num_bytes(bn);
	bytes = malloc((size_t)len);
	if (!bytes)
		abort();
	BN_bn2bin(bn, bytes);
	b64url_encode(bytes, (size_t)len, out);
	free(bytes);
	BN_free(bn);
}

static void jwk_rsa(struct strbuf *out, const char *kid, const char *use)
{
	strbuf_addf(out, "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"%s\",\"kid\":\"%s\",\"n\":\"",
		    use, kid);
	bn_b64url(out, signing_key, OSSL_PKEY_PARAM_RSA_N);
	strbuf_addstr(out, "\",\"e\":\"");
	bn_b64url(out, signing_key, OSSL_PKEY_PARAM_RSA_E);
	strbuf_addstr(out, "\"}");
}

static int suite_setup(void)
{
	struct strbuf sb = STRBUF_INIT;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	signing_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (!signing_key)
		return -1;
	strbuf_addstr(&sb, "{\"keys\":[");
	jwk_rsa(&sb, KID, "sig");
	strbuf_addstr(&sb, "]}\n");
	jwks = strbuf_detach(&sb, NULL);

	strbuf_addstr(&sb, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec-1\","
			   "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
			   "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"},");
	jwk_rsa(&sb, "enc-1", "enc");
	strbuf_addch(&sb, ',');
	jwk_rsa(&sb, KID, "sig");
	strbuf_addstr(&sb, "]}");
	jwks_mixed = strbuf_detach(&sb, NULL);
	return 0;
}

static int suite_teardown(void)
{
	free(jwks);
	free(jwks_mixed);
	EVP_PKEY_free(signing_key);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "valid token is accepted", test_valid_token_is_accepted },
		{ "flipped signature byte is refused", test_flipped_signature_byte_is_refused },
		{ "claims changed after signing are refused",
		  test_claims_changed_after_signing_are_refused },
		{ "alg none is refused before key lookup", test_alg_none_is_refused_before_key_lookup },
		{ "HS256 keyed with the public key is refused",
		  test_hs256_keyed_with_public_key_is_refused },
		{ "missing alg is refused", test_missing_alg_is_refused },
		{ "missing kid is malformed", test_missing_kid_is_malformed },
		{ "wrong issuer is refused", test_wrong_issuer_is_refused },
		{ "bare issuer from trimmed list is accepted",
		  test_bare_issuer_from_trimmed_list_is_accepted },
		{ "wrong audience is refused", test_wrong_audience_is_refused },
		{ "audience array containing client id is accepted",
		  test_audience_array_containing_client_id_is_accepted },
		{ "audience array without client id is refused",
		  test_audience_array_without_client_id_is_refused },
		{ "expired beyond skew is refused", test_expired_beyond_skew_is_refused },
		{ "expired within skew is accepted", test_expired_within_skew_is_accepted },
		{ "zero skew is honored", test_zero_skew_is_honored },
		{ "missing exp is malformed", test_missing_exp_is_malformed },
		{ "nbf in future beyond skew is refused", test_nbf_in_future_beyond_skew_is_refused },
		{ "iat in future beyond skew is refused", test_iat_in_future_beyond_skew_is_refused },
		{ "iat in future within skew is accepted", test_iat_in_future_within_skew_is_accepted },
		{ "missing sub is malformed", test_missing_sub_is_malformed },
		{ "nonce mismatch is refused", test_nonce_mismatch_is_refused },
		{ "missing nonce is refused when expected", test_missing_nonce_is_refused_when_expected },
		{ "matching nonce is accepted", test_matching_nonce_is_accepted },
		{ "hosted domain mismatch is refused", test_hosted_domain_mismatch_is_refused },
		{ "missing hosted domain is refused when required",
		  test_missing_hosted_domain_is_refused_when_required },
		{ "matching hosted domain is reported", test_matching_hosted_domain_is_reported },
		{ "email_verified false is reported false",
		  test_email_verified_false_is_reported_false },
		{ "email_verified \"true\" is reported true",
		  test_email_verified_string_true_is_reported_true },
		{ "email_verified \"false\" is reported false",
		  test_email_verified_string_false_is_reported_false },
		{ "empty string is malformed", test_empty_string_is_malformed },
		{ "two parts are malformed", test_two_parts_are_malformed },
		{ "four parts are malformed", test_four_parts_are_malformed },
		{ "malformed base64 is malformed", test_malformed_base64_is_malformed },
		{ "malformed JSON is malformed", test_malformed_json_is_malformed },
		{ "64 KB token is refused before fetch or crypto",
		  test_64k_token_is_refused_before_fetch_or_crypto },
		{ "unknown kid refetches once per cooldown",
		  test_unknown_kid_refetches_once_per_cooldown },
		{ "unknown kid on first verification fetches once",
		  test_unknown_kid_on_first_verification_fetches_once },
		{ "unknown kid after cooldown refetches", test_unknown_kid_after_cooldown_refetches },
		{ "within max-age no fetch at all", test_within_max_age_no_fetch_at_all },
		{ "after max-age one refetch", test_after_max_age_one_refetch },
		{ "missing max-age uses the default", test_missing_max_age_uses_default },
		{ "provider down with cached keys still verifies",
		  test_provider_down_with_cached_keys_still_verifies },
		{ "dead provider is retried after a delay", test_dead_provider_is_retried_after_a_delay },
		{ "provider down without keys is keys_unavailable",
		  test_provider_down_without_keys_is_keys_unavailable },
		{ "JWKS without usable keys keeps cached ones",
		  test_jwks_without_usable_keys_keeps_cached_ones },
		{ "non-RSA and non-signing keys are ignored",
		  test_non_rsa_and_non_signing_keys_are_ignored },
		{ "concurrent first verifications fetch once",
		  test_concurrent_first_verifications_fetch_once },
		{ "b64url round trips every length", test_b64url_round_trips_every_length },
		{ "b64url rejects bad input", test_b64url_rejects_bad_input },
		{ "result names are stable", test_result_names_are_stable },
		{ "curl fetcher reads body and max-age", test_curl_fetcher_reads_body_and_max_age },
		{ "curl fetcher without max-age reports -1",
		  test_curl_fetcher_without_max_age_reports_minus_one },
		{ "curl fetcher no-store means 0", test_curl_fetcher_no_store_means_zero },
		{ "curl fetcher fails on HTTP error", test_curl_fetcher_fails_on_http_error },
		{ "curl fetcher does not follow redirects", test_curl_fetcher_does_not_follow_redirects },
		{ "curl fetcher refuses oversized body", test_curl_fetcher_refuses_oversized_body },
		{ NULL, NULL },
	};

	return cu_run("google_verify", suite_setup, suite_teardown, tests);
}
