/*
 * Password sign-in, sign-out, who am I, and self-signup (SPEC §3 Auth).
 * Failed logins are throttled per username and per client address: 5 in
 * 15 minutes answers 429, counted in PostgreSQL so every worker agrees.
 */
#include "handlers/login.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/session.h"
#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

#define THROTTLE_MAX_FAILURES 5
#define SIGNUP_MAX_PER_HOUR 10

/* Taken first: logins for one username run their counting one at a time. */
static const struct stmt stmt_login_lock = STMT("login_lock",
	"SELECT pg_advisory_xact_lock(hashtext('u:' || lower($1)))");
/*
 * Counts the failures in the window for the username and the address and,
 * unless either is over the limit, records this attempt against the
 * username before the (slow) password check, so parallel guesses at one
 * account all count (a success takes it back). The address is charged only
 * once a password has failed: people behind one office address signing in
 * at the same moment must not lock each other out. Returns the user too.
 */
static const struct stmt stmt_login_attempt = STMT("login_attempt",
	"WITH prior AS ("
	"  SELECT count(*) FILTER (WHERE key = 'u:' || lower($1)) AS user_failures,"
	"         count(*) FILTER (WHERE key = 'ip:' || $2) AS ip_failures,"
	"         greatest(1, ceil(extract(epoch FROM min(attempted_at)"
	"                  + interval '15 minutes' - now())))::int AS retry_after"
	"    FROM login_attempts"
	"   WHERE key IN ('u:' || lower($1), 'ip:' || $2)"
	"     AND attempted_at > now() - interval '15 minutes'),"
	" ins AS (INSERT INTO login_attempts (key)"
	"         SELECT 'u:' || lower($1) FROM prior"
	"          WHERE prior.user_failures < 5 AND prior.ip_failures < 5"
	"         RETURNING id)"
	" SELECT p.user_failures, p.ip_failures, p.retry_after,"
	"        (SELECT string_agg(id::text, ',') FROM ins),"
	"        u.id, u.password_hash, u.active, u.approved"
	"   FROM prior p LEFT JOIN users u ON lower(u.username) = lower($1)");
/* A failed password charges the client's address too. */
static const struct stmt stmt_login_failed_address = STMT("login_failed_address",
	"INSERT INTO login_attempts (key) VALUES ('ip:' || $1)");
/* A successful login takes back the attempt it recorded. */
static const struct stmt stmt_login_forget = STMT("login_forget",
	"DELETE FROM login_attempts WHERE id = ANY (string_to_array($1, ',')::bigint[])");
/* Signups per address: at most SIGNUP_MAX_PER_HOUR; records this one when allowed. */
static const struct stmt stmt_signup_throttle = STMT("signup_throttle",
	"WITH prior AS (SELECT count(*) AS n,"
	"                      greatest(1, ceil(extract(epoch FROM min(attempted_at)"
	"                               + interval '1 hour' - now())))::int AS retry_after"
	"                 FROM login_attempts"
	"                WHERE key = 'signup:' || $1 AND attempted_at > now() - interval '1 hour'),"
	"     ins AS (INSERT INTO login_attempts (key) SELECT 'signup:' || $1 FROM prior"
	"              WHERE prior.n < $2::int RETURNING id)"
	" SELECT n, retry_after FROM prior");
static const struct stmt stmt_signup = STMT("login_signup",
	"WITH allowed AS (SELECT coalesce((doc->>'signup_enabled')::boolean, true) AS enabled"
	"                   FROM settings WHERE id = 1),"
	"     u AS (INSERT INTO users (username, name, email, role, password_hash, active, approved)"
	"           SELECT $1, $2, $3, 'employee', $4, true, false FROM allowed WHERE enabled"
	"           RETURNING id),"
	"     c AS (INSERT INTO certifications (user_id) SELECT id FROM u)"
	" SELECT id FROM u");

/*
 * The throttling key of the client: its address, IPv6 cut to its /64 (one
 * host usually owns a whole /64, so rotating inside it buys nothing).
 */
static const char *client_address(struct request *req)
{
	const char *ip = req_param(req, "REMOTE_ADDR");
	unsigned char v6[16];
	char *out;

	if (!ip || !*ip)
		return "unknown";
	if (inet_pton(AF_INET6, ip, v6) != 1)
		return ip;
	memset(v6 + 8, 0, 8);
	out = arena_alloc(&req->arena, INET6_ADDRSTRLEN + 4);
	inet_ntop(AF_INET6, v6, out, INET6_ADDRSTRLEN);
	strcat(out, "/64");
	return out;
}

static const struct refusal
	r_too_many = REFUSAL(429, "too_many_attempts", "Too many attempts; wait before trying again"),
	r_wrong_password = REFUSAL(401, "invalid_credentials", "Wrong username or password"),
	r_signup_off = REFUSAL(403, "signup_disabled", "Self-signup is switched off");

static int too_many_attempts(struct request *req, const char *retry_after)
{
	resp_header(req, "Retry-After", retry_after);
	return refusal_send(req, &r_too_many);
}

static int hashing_busy(struct request *req)
{
	resp_header(req, "Retry-After", "2");
	return resp_error(req, 503, "server_busy", "Too many sign-ins at once; try again shortly",
			  NULL);
}

int login_password(struct request *req)
{
	static const struct field fields[] = {
		{ "username", FIELD_STRING, true, 1, 200 },
		{ "password", FIELD_STRING, true, 1, PASSWORD_MAX_LEN },
		{ "bearer", FIELD_BOOL, false, 0, 0 },
	};
	struct json_object *v[3];
	const char *username, *password, *ip = client_address(req);
	char *hash = NULL, *attempt_ids = NULL, retry[16] = "60";
	long long user_id = 0;
	bool active = false, approved = false, throttled = false, match;
	const struct refusal *no;
	struct sign_in s;

	if (body_validate(req, fields, 3, v))
		return 0;
	username = field_string(v[0]);
	password = field_string(v[1]);

	DB_TX(req, tx) {
		PGresult *r;

		if (!DB_EXEC(&tx, &stmt_login_lock, username))
			continue;
		r = DB_EXEC(&tx, &stmt_login_attempt, username, ip);
		if (!r)
			continue;
		throttled = atol(PQgetvalue(r, 0, 0)) >= THROTTLE_MAX_FAILURES ||
			    atol(PQgetvalue(r, 0, 1)) >= THROTTLE_MAX_FAILURES;
		snprintf(retry, sizeof(retry), "%s", PQgetvalue(r, 0, 2));
		attempt_ids = PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3);
		user_id = PQgetisnull(r, 0, 4) ? 0 : atoll(PQgetvalue(r, 0, 4));
		hash = PQgetisnull(r, 0, 5) ? NULL : PQgetvalue(r, 0, 5);
		active = PQgetvalue(r, 0, 6)[0] == 't';
		approved = PQgetvalue(r, 0, 7)[0] == 't';
	}
	if (req->db.err)
		return req->db.err;
	if (throttled)
		return too_many_attempts(req, retry);
	/* unknown users cost one hash too: no enumeration by timing */
	if (password_verify(user_id ? hash : NULL, password, &match))
		return hashing_busy(req);
	if (!match) {
		DB_TX(req, tx) {
			if (!DB_EXEC(&tx, &stmt_login_failed_address, ip))
				continue;
		}
		if (req->db.err)
			return req->db.err;
		return refusal_send(req, &r_wrong_password);
	}
	no = account_refusal(approved, active);
	if (no)
		return refusal_send(req, no);
	DB_TX(req, tx) {
		if (attempt_ids && !DB_EXEC(&tx, &stmt_login_forget, attempt_ids))
			continue;
		if (account_sign_in(&tx, user_id, username, &s))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return account_signed_in_response(req, &s, 200, v[2] && json_object_get_boolean(v[2]));
}

int login_logout(struct request *req)
{
	DB_TX(req, tx) {
		if (session_delete(&tx, req->user->session_id))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	session_set_cookie(req, "", 0);
	return resp_empty(req, 204);
}

static void add_json_field(struct strbuf *b, const char *name, const char *value)
{
	strbuf_addf(b, ",\"%s\":", name);
	if (value)
		strbuf_add_json_string(b, value);
	else
		strbuf_addstr(b, "null");
}

/* Answers from the session check's own row: no second query. */
int login_me(struct request *req)
{
	const struct auth_user *u = req->user;
	struct strbuf *b = &req->resp.body;

	req->resp.status = 200;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addf(b, "{\"user\":{\"id\":%lld", u->id);
	add_json_field(b, "username", u->username);
	add_json_field(b, "name", u->name);
	add_json_field(b, "email", u->email);
	add_json_field(b, "role", u->role_name);
	if (u->client_company_id)
		strbuf_addf(b, ",\"client_company_id\":%lld", u->client_company_id);
	else
		strbuf_addstr(b, ",\"client_company_id\":null");
	add_json_field(b, "picture_url", u->picture_url);
	strbuf_addf(b, "},\"certifications\":{\"can_crew_chief\":%s,\"can_forklift\":%s,"
		    "\"can_truck\":%s},\"csrf_token\":",
		    u->can_crew_chief ? "true" : "false", u->can_forklift ? "true" : "false",
		    u->can_truck ? "true" : "false");
	strbuf_add_json_string(b, u->csrf_token);
	strbuf_addstr(b, "}");
	return 0;
}

int login_signup(struct request *req)
{
	static const struct field fields[] = {
		{ "username", FIELD_STRING, true, 3, 64 },
		{ "password", FIELD_STRING, true, PASSWORD_MIN_LEN, PASSWORD_MAX_LEN },
		{ "name", FIELD_STRING, true, 1, 200 },
		{ "email", FIELD_STRING, false, 3, 254 },
	};
	struct json_object *v[4], *details = NULL;
	const char *username, *name, *email, *user = NULL;
	char hash[PASSWORD_HASH_MAX];
	long long id = 0;

	if (body_validate(req, fields, 4, v))
		return 0;
	username = field_string(v[0]);
	name = field_string(v[2]);
	email = field_string(v[3]);
	account_check_names(username, name, email, &details);
	if (details)
		return refusal_send_with(req, &refusal_invalid, details);
	{
		bool over = false;
		char limit[8], retry[16] = "3600";

		snprintf(limit, sizeof(limit), "%d", SIGNUP_MAX_PER_HOUR);
		DB_TX(req, tx) {
			PGresult *r = DB_EXEC(&tx, &stmt_signup_throttle, client_address(req), limit);

			if (!r)
				continue;
			over = atol(PQgetvalue(r, 0, 0)) >= SIGNUP_MAX_PER_HOUR;
			snprintf(retry, sizeof(retry), "%s", PQgetvalue(r, 0, 1));
		}
		if (req->db.err)
			return req->db.err;
		if (over)
			return too_many_attempts(req, retry);
	}
	if (password_hash(field_string(v[1]), hash))
		return hashing_busy(req);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_signup, username, name, email, hash);

		if (!r)
			continue;
		id = PQntuples(r) ? atoll(PQgetvalue(r, 0, 0)) : 0;
		if (id && !(user = account_user_json(&tx, id)))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (!id)
		return refusal_send(req, &r_signup_off);
	return resp_json_text(req, 201, user, strlen(user));
}
