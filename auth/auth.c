#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "base/config.h"
#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"
#include "pool/db.h"

/* One indexed lookup: the session, its user, and the idle/absolute limits. */
static const struct stmt stmt_session_find = STMT("session_find",
	"SELECT s.id, s.csrf_token, u.id, u.username, u.name, u.email, u.role,"
	"       u.client_company_id, u.picture_url,"
	"       s.last_seen_at < now() - interval '60 seconds',"
	"       coalesce(c.can_crew_chief, false), coalesce(c.can_forklift, false),"
	"       coalesce(c.can_truck, false)"
	"  FROM sessions s JOIN users u ON u.id = s.user_id"
	"  LEFT JOIN certifications c ON c.user_id = u.id"
	" WHERE s.token_hash = decode($1, 'hex')"
	"   AND s.expires_at > now()"
	"   AND s.last_seen_at > now() - make_interval(secs => coalesce(nullif($2::int, 0),"
	"       (SELECT (doc->>'session_timeout_minutes')::int * 60 FROM settings WHERE id = 1),"
	"       28800))"
	"   AND u.active AND u.approved");
static const struct stmt stmt_session_touch = STMT("session_touch",
	"UPDATE sessions SET last_seen_at = now() WHERE id = $1::bigint");

enum role role_from_name(const char *name)
{
	if (!name)
		return ROLE_NONE;
	if (!strcmp(name, "admin"))
		return ROLE_ADMIN;
	if (!strcmp(name, "manager"))
		return ROLE_MANAGER;
	if (!strcmp(name, "employee"))
		return ROLE_EMPLOYEE;
	if (!strcmp(name, "client"))
		return ROLE_CLIENT;
	return ROLE_NONE;
}

bool auth_role_allows(enum role role, enum access access)
{
	switch (access) {
	case ACCESS_USER:
		return role != ROLE_NONE;
	case ACCESS_EMPLOYEE:
		return role == ROLE_EMPLOYEE || role == ROLE_MANAGER || role == ROLE_ADMIN;
	case ACCESS_MANAGER:
		return role == ROLE_MANAGER || role == ROLE_ADMIN;
	case ACCESS_ADMIN:
		return role == ROLE_ADMIN;
	default:
		return true;
	}
}

/* A role that may not do this: the router's answer, and the one to employees reading clients. */
static const struct refusal r_wrong_role = REFUSAL(403, "forbidden", "Your role may not do this");

int auth_refuse_employees(struct request *req)
{
	if (req->user->role != ROLE_EMPLOYEE)
		return 0;
	refusal_send(req, &r_wrong_role);
	return ES_ECONFLICT;
}

/* The token from "Authorization: Bearer x" or the session cookie; NULL when neither. */
static const char *request_token(struct request *req, bool *via_cookie)
{
	const char *h = req_param(req, "HTTP_AUTHORIZATION");

	if (h && !strncasecmp(h, "Bearer ", 7)) {
		*via_cookie = false;
		h += 7;
		while (*h == ' ')
			h++;
		return h;
	}
	*via_cookie = true;
	return req_cookie(req, SESSION_COOKIE);
}

static const char *opt_string(struct request *req, PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? NULL : arena_strdup(&req->arena, PQgetvalue(r, 0, col));
}

static bool method_is_unsafe(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* Finds the session; 0 with req->user set, ES_ENOTFOUND when there is none. */
static int session_load(struct request *req, const char *token, bool via_cookie)
{
	char hash[65], idle[16];
	PGresult *r = NULL;
	struct auth_user *u;
	bool stale;

	session_token_hash_hex(token, hash);
	snprintf(idle, sizeof(idle), "%d", req->cfg->session_idle_timeout_s);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_session_find, hash, idle);
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err == ES_EDB ? ES_EUNAVAIL : req->db.err;
	if (PQntuples(r) != 1)
		return ES_ENOTFOUND;
	u = arena_alloc(&req->arena, sizeof(*u));
	u->session_id = atoll(PQgetvalue(r, 0, 0));
	u->csrf_token = opt_string(req, r, 1);
	u->id = atoll(PQgetvalue(r, 0, 2));
	u->username = opt_string(req, r, 3);
	u->name = opt_string(req, r, 4);
	u->email = opt_string(req, r, 5);
	u->role_name = opt_string(req, r, 6);
	u->role = role_from_name(u->role_name);
	u->client_company_id = PQgetisnull(r, 0, 7) ? 0 : atoll(PQgetvalue(r, 0, 7));
	u->picture_url = opt_string(req, r, 8);
	u->via_cookie = via_cookie;
	stale = PQgetvalue(r, 0, 9)[0] == 't';
	u->can_crew_chief = PQgetvalue(r, 0, 10)[0] == 't';
	u->can_forklift = PQgetvalue(r, 0, 11)[0] == 't';
	u->can_truck = PQgetvalue(r, 0, 12)[0] == 't';
	req->user = u;
	if (stale) {
		/* the sliding idle timeout moves at most once a minute: no write per request */
		char id[24];

		snprintf(id, sizeof(id), "%lld", u->session_id);
		DB_TX(req, tx) {
			if (!DB_EXEC(&tx, &stmt_session_touch, id))
				continue;
		}
		req->db.err = 0;   /* a failed touch does not fail the request */
	}
	return 0;
}

static const struct refusal
	r_signed_out = REFUSAL(401, "not_authenticated", "Sign in first"),
	r_session_ended = REFUSAL(401, "not_authenticated", "Your session has ended; sign in again"),
	r_csrf = REFUSAL(403, "csrf_failed", "Missing or wrong X-CSRF-Token header");

int auth_require(struct request *req, enum access access)
{
	const char *token, *csrf;
	bool via_cookie;
	int rc;

	token = request_token(req, &via_cookie);
	if (!token || !session_token_wellformed(token)) {
		refusal_send(req, &r_signed_out);
		return ES_ENOTFOUND;
	}
	rc = session_load(req, token, via_cookie);
	if (rc == ES_ENOTFOUND) {
		if (via_cookie)
			session_set_cookie(req, "", 0);
		refusal_send(req, &r_session_ended);
		return rc;
	}
	if (rc)
		return rc;
	if (!auth_role_allows(req->user->role, access)) {
		refusal_send(req, &r_wrong_role);
		return ES_ECONFLICT;
	}
	if (via_cookie && method_is_unsafe(req->method)) {
		csrf = req_param(req, "HTTP_X_CSRF_TOKEN");
		if (!csrf || !req->user->csrf_token || !secret_equal(csrf, req->user->csrf_token)) {
			refusal_send(req, &r_csrf);
			return ES_ECONFLICT;
		}
	}
	return 0;
}
