/*
 * Google sign-in, two ways in and one verifier (auth/google_verify.c):
 * the Identity Services button posts an ID token; the code flow goes
 * start → provider → callback, with state, nonce and PKCE S256. A user is
 * found by Google's subject; by verified email only when settings allow;
 * else refused (or a pending employee is created when Google signup is on).
 */
#include "handlers/google_auth.h"

#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/google_verify.h"
#include "auth/oauth.h"
#include "auth/session.h"
#include "base/config.h"
#include "base/errors.h"
#include "base/log.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define STATE_COOKIE "es_oauth_state"
#define STATE_TTL_S 600
#define CALLBACK_PATH "/api/v1/auth/google/callback"

static const struct stmt stmt_google_settings = STMT("google_settings",
	"SELECT coalesce((doc->>'google_link_by_email')::boolean, false),"
	"       coalesce((doc->>'google_signup_enabled')::boolean, false),"
	"       doc->>'google_hosted_domain'"
	"  FROM settings WHERE id = 1");
static const struct stmt stmt_user_by_sub = STMT("google_user_by_sub",
	"SELECT id, active, approved FROM users WHERE google_sub = $1");
static const struct stmt stmt_link_by_email = STMT("google_link_by_email",
	"UPDATE users SET google_sub = $2, picture_url = coalesce(picture_url, $3), updated_at = now()"
	" WHERE lower(email) = lower($1) AND google_sub IS NULL"
	" RETURNING id, active, approved");
static const struct stmt stmt_google_signup = STMT("google_signup",
	"WITH u AS (INSERT INTO users (username, name, email, role, google_sub, picture_url,"
	"                              active, approved)"
	"           SELECT left('google-' || $1, 64), left(coalesce(nullif(btrim($2), ''), 'Google user'), 200),"
	"                  CASE WHEN EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($3))"
	"                       THEN NULL ELSE $3 END,"
	"                  'employee', $1, $4, true, false"
	"           RETURNING id),"
	"     c AS (INSERT INTO certifications (user_id) SELECT id FROM u)"
	" SELECT id FROM u");
static const struct stmt stmt_link_caller = STMT("google_link_caller",
	"UPDATE users SET google_sub = $2, picture_url = coalesce(picture_url, $3), updated_at = now()"
	" WHERE id = $1::bigint AND (google_sub IS NULL OR google_sub = $2)"
	" RETURNING id");
static const struct stmt stmt_state_insert = STMT("google_state_insert",
	"INSERT INTO oauth_states (state_hash, nonce, code_verifier, next_path, expires_at)"
	" VALUES (decode($1, 'hex'), $2, $3, $4, now() + make_interval(secs => $5::int))");
static const struct stmt stmt_state_take = STMT("google_state_take",
	"DELETE FROM oauth_states WHERE state_hash = decode($1, 'hex')"
	" RETURNING nonce, code_verifier, next_path, expires_at > now()");

static const struct refusal
	r_disabled = REFUSAL(404, "google_disabled", "Google sign-in is not configured"),
	r_hosted_domain = REFUSAL(403, "hosted_domain_refused",
				  "This Google account is not from the allowed domain"),
	r_no_account = REFUSAL(403, "account_not_found",
			       "No EasyShifts account is linked to this Google account"),
	r_bad_token = REFUSAL(401, "invalid_google_token", "The Google credential is not valid"),
	r_csrf = REFUSAL(403, "csrf_failed", "g_csrf_token does not match"),
	r_bad_state = REFUSAL(400, "invalid_state",
			      "The sign-in state is missing, wrong or already used"),
	r_linked_elsewhere = CONFLICT("already_linked",
				     "Your account is linked to a different Google account");

/* Who the identity is, or why not. */
struct google_outcome {
	const struct refusal *refusal;   /* NULL: signed in */
	struct sign_in s;
};

static bool picture_ok(const char *url)
{
	return url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) &&
	       strlen(url) <= 2048;
}

/* Finds or links the user of id and signs them in, inside one scope. */
static int google_resolve(struct request *req, const struct google_identity *id,
			  struct google_outcome *out)
{
	const char *picture = picture_ok(id->picture) ? id->picture : NULL;

	DB_TX(req, tx) {
		PGresult *set, *u = NULL;
		long long user_id;

		out->refusal = NULL;
		set = DB_EXEC0(&tx, &stmt_google_settings);
		if (!set)
			continue;
		if (!PQgetisnull(set, 0, 2) && *PQgetvalue(set, 0, 2) &&
		    (!id->hd || strcmp(id->hd, PQgetvalue(set, 0, 2)))) {
			out->refusal = &r_hosted_domain;
			break;
		}
		u = DB_EXEC(&tx, &stmt_user_by_sub, id->sub);
		if (!u)
			continue;
		if (!PQntuples(u) && id->email && id->email_verified &&
		    PQgetvalue(set, 0, 0)[0] == 't') {
			u = DB_EXEC(&tx, &stmt_link_by_email, id->email, id->sub, picture);
			if (!u)
				continue;
		}
		if (!PQntuples(u)) {
			if (PQgetvalue(set, 0, 1)[0] != 't') {
				out->refusal = &r_no_account;
				break;
			}
			if (!DB_EXEC(&tx, &stmt_google_signup, id->sub, id->name ? id->name : id->email,
				     id->email_verified ? id->email : NULL, picture))
				continue;
			/* commit the new signup, sign in nobody */
			out->refusal = account_refusal(false, true);
			continue;
		}
		user_id = atoll(PQgetvalue(u, 0, 0));
		out->refusal = account_refusal(PQgetvalue(u, 0, 2)[0] == 't', PQgetvalue(u, 0, 1)[0] == 't');
		if (out->refusal)
			break;
		if (account_sign_in(&tx, user_id, NULL, &out->s))
			continue;
	}
	return req->db.err;
}

/* The worker process's JWKS cache, shared by its threads. */
static struct google_verifier jwks;

void google_auth_init(const struct config *cfg)
{
	struct google_verifier_config gv = {
		.jwks_url = cfg->google_jwks_url,
		.client_id = cfg->google_client_id,
		.issuers = cfg->google_issuers,
		.hosted_domain = NULL,   /* checked against the settings document per sign-in */
		.skew_s = cfg->google_clock_skew_s,
		.unknown_kid_cooldown_s = 60,
		.default_max_age_s = 300,
	};

	google_verifier_init(&jwks, &gv, NULL, NULL);
}

void google_auth_release(void)
{
	google_verifier_release(&jwks);
}

static bool google_configured(const struct config *cfg)
{
	return *cfg->google_client_id != '\0';
}

static int not_configured(struct request *req)
{
	return refusal_send(req, &r_disabled);
}

/* Verifies a posted ID token; on failure sets the response and returns false. */
static bool verify_credential(struct request *req, const char *credential, const char *nonce,
			      struct google_identity *id)
{
	enum google_verify_result r = google_verify(&jwks, credential, nonce, id);

	if (r == GV_OK)
		return true;
	log_event(LOG_INFO, "google_token_refused", "req_id=%s reason=%s", req->request_id,
		  google_verify_result_name(r));
	if (r == GV_KEYS_UNAVAILABLE) {
		resp_header(req, "Retry-After", "30");
		resp_error(req, 503, "google_unavailable", "Google's keys cannot be fetched right now",
			   NULL);
		return false;
	}
	refusal_send(req, refusal_add(refusal_new(req, &r_bad_token, NULL), "reason",
				      json_object_new_string(google_verify_result_name(r))));
	return false;
}

int google_auth_credential(struct request *req)
{
	static const struct field fields[] = {
		{ "credential", FIELD_STRING, true, 1, 65536 },
		{ "g_csrf_token", FIELD_STRING, false, 1, 256 },
	};
	struct json_object *v[2];
	struct google_identity id;
	struct google_outcome out;
	const char *cookie;
	int rc;

	if (!google_configured(req->cfg))
		return not_configured(req);
	if (body_validate(req, fields, 2, v))
		return 0;
	if (v[1]) {
		/* Identity Services' double-submit: the body's token must equal its cookie */
		cookie = req_cookie(req, "g_csrf_token");
		if (!cookie || !secret_equal(cookie, field_string(v[1])))
			return refusal_send(req, &r_csrf);
	}
	if (!verify_credential(req, field_string(v[0]), NULL, &id))
		return 0;
	rc = google_resolve(req, &id, &out);
	google_identity_release(&id);
	if (rc)
		return rc;
	if (out.refusal)
		return refusal_send(req, out.refusal);
	return account_signed_in_response(req, &out.s, 200, false);
}

/* A same-origin path: one leading slash, not "//host" or "/\host", no control characters. */
static bool next_path_ok(const char *p)
{
	const char *c;

	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 2048)
		return false;
	for (c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	return true;
}

static void state_cookie(struct request *req, const char *value, int max_age)
{
	struct strbuf v = STRBUF_INIT;

	strbuf_addf(&v, "%s=%s; Path=%s; HttpOnly; SameSite=Lax; Max-Age=%d%s", STATE_COOKIE, value,
		    CALLBACK_PATH, max_age, req->cfg->cookie_secure ? "; Secure" : "");
	resp_header(req, "Set-Cookie", v.buf);
	strbuf_release(&v);
}

static int redirect(struct request *req, const char *location)
{
	resp_header(req, "Location", location);
	return resp_empty(req, 302);
}

int google_auth_start(struct request *req)
{
	char state[SESSION_TOKEN_LEN + 1], nonce[SESSION_TOKEN_LEN + 1], verifier[SESSION_TOKEN_LEN + 1];
	char state_hash[65], ttl[16], challenge[SESSION_TOKEN_LEN + 1];
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct strbuf loc = STRBUF_INIT, redirect_uri = STRBUF_INIT;
	const char *next = req_query(req, "next");
	int rc;

	if (!google_configured(req->cfg))
		return not_configured(req);
	if (!next_path_ok(next))
		next = "/";
	session_token_new(state);
	session_token_new(nonce);
	session_token_new(verifier);
	session_token_hash_hex(state, state_hash);
	crypto_hash_sha256(digest, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(challenge, sizeof(challenge), digest, sizeof(digest),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(ttl, sizeof(ttl), "%d", STATE_TTL_S);
	DB_TX(req, tx) {
		if (!DB_EXEC(&tx, &stmt_state_insert, state_hash, nonce, verifier, next, ttl))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	oauth_redirect_uri(req->cfg, &redirect_uri);
	strbuf_addstr(&loc, req->cfg->google_auth_url);
	strbuf_addstr(&loc, strchr(req->cfg->google_auth_url, '?') ? "&" : "?");
	strbuf_addstr(&loc, "response_type=code&scope=openid%20email%20profile&client_id=");
	url_encode(&loc, req->cfg->google_client_id);
	strbuf_addstr(&loc, "&redirect_uri=");
	url_encode(&loc, redirect_uri.buf);
	strbuf_addf(&loc, "&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256", state,
		    nonce, challenge);
	state_cookie(req, state, STATE_TTL_S);
	rc = redirect(req, loc.buf);
	strbuf_release(&loc);
	strbuf_release(&redirect_uri);
	return rc;
}

static int callback_refused(struct request *req, const char *code)
{
	char location[96];

	snprintf(location, sizeof(location), "/?error=%s", code);
	state_cookie(req, "", 0);
	return redirect(req, location);
}

int google_auth_callback(struct request *req)
{
	const char *state = req_query(req, "state"), *code = req_query(req, "code");
	const char *cookie = req_cookie(req, STATE_COOKIE);
	char state_hash[65], *nonce = NULL, *verifier = NULL, *next = NULL;
	struct strbuf id_token = STRBUF_INIT, redirect_uri = STRBUF_INIT;
	struct google_identity id;
	struct google_outcome out;
	bool fresh = false, verified;
	int rc;

	if (!google_configured(req->cfg))
		return not_configured(req);
	if (!state || !cookie || !secret_equal(state, cookie))
		return refusal_send(req, &r_bad_state);
	session_token_hash_hex(state, state_hash);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_state_take, state_hash);

		if (!r)
			continue;
		if (PQntuples(r) == 1) {
			nonce = arena_strdup(&req->arena, PQgetvalue(r, 0, 0));
			verifier = arena_strdup(&req->arena, PQgetvalue(r, 0, 1));
			next = arena_strdup(&req->arena, PQgetvalue(r, 0, 2));
			fresh = PQgetvalue(r, 0, 3)[0] == 't';
		}
	}
	if (req->db.err)
		return req->db.err;
	if (!fresh)
		return refusal_send(req, &r_bad_state);
	if (req_query(req, "error") || !code || !*code)
		return callback_refused(req, "google_failed");

	oauth_redirect_uri(req->cfg, &redirect_uri);
	rc = oauth_exchange_code(req->cfg, code, verifier, redirect_uri.buf, &id_token);
	strbuf_release(&redirect_uri);
	if (rc) {
		strbuf_release(&id_token);
		return callback_refused(req, "google_failed");
	}
	verified = google_verify(&jwks, id_token.buf, nonce, &id) == GV_OK;
	strbuf_release(&id_token);
	if (!verified) {
		log_event(LOG_INFO, "google_callback_token_refused", "req_id=%s", req->request_id);
		return callback_refused(req, "google_failed");
	}
	rc = google_resolve(req, &id, &out);
	google_identity_release(&id);
	if (rc)
		return rc;
	if (out.refusal)
		return callback_refused(req, out.refusal->code);
	session_set_cookie(req, out.s.token, out.s.max_age_s);
	state_cookie(req, "", 0);
	return redirect(req, next_path_ok(next) ? next : "/");
}

int google_auth_link(struct request *req)
{
	static const struct field fields[] = {
		{ "credential", FIELD_STRING, true, 1, 65536 },
	};
	struct json_object *v[1];
	struct google_identity id;
	const char *user = NULL;
	char uid[24];
	bool linked = false;

	if (!google_configured(req->cfg))
		return not_configured(req);
	if (body_validate(req, fields, 1, v))
		return 0;
	if (!verify_credential(req, field_string(v[0]), NULL, &id))
		return 0;
	snprintf(uid, sizeof(uid), "%lld", req->user->id);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_link_caller, uid, id.sub,
				      picture_ok(id.picture) ? id.picture : NULL);

		if (!r)
			continue;
		linked = PQntuples(r) == 1;
		if (linked && !(user = account_user_json(&tx, req->user->id)))
			continue;
	}
	google_identity_release(&id);
	if (req->db.err)
		return req->db.err;
	if (!linked)
		return refusal_send(req, &r_linked_elsewhere);
	return resp_json_text(req, 200, user, strlen(user));
}
