#include "auth/session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/config.h"
#include "base/errors.h"
#include "http/request.h"
#include "pool/db.h"

static const struct stmt stmt_session_insert = STMT("session_insert",
	"INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, user_agent, ip)"
	" VALUES (decode($1, 'hex'), $2::bigint, $3,"
	"  now() + make_interval(days => coalesce("
	"   (SELECT (doc->>'session_lifetime_days')::int FROM settings WHERE id = 1), 7)),"
	"  left($4, 512), left($5, 64))"
	" RETURNING extract(epoch FROM expires_at - now())::bigint");
static const struct stmt stmt_session_delete = STMT("session_delete",
	"DELETE FROM sessions WHERE id = $1::bigint");

void session_token_new(char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SESSION_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void session_token_hash_hex(const char *token, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

bool session_token_wellformed(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return n == SESSION_TOKEN_LEN;
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb || la == 0)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

int session_create(struct db_tx *tx, long long user_id, char *token, char *csrf,
		   long long *max_age_s)
{
	char hash[65], uid[24];
	const char *ua = req_param(req_from_tx(tx), "HTTP_USER_AGENT");
	const char *ip = req_param(req_from_tx(tx), "REMOTE_ADDR");
	PGresult *r;

	session_token_new(token);
	session_token_new(csrf);
	session_token_hash_hex(token, hash);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	r = DB_EXEC(tx, &stmt_session_insert, hash, uid, csrf, ua, ip);
	if (!r)
		return ES_EDB;
	*max_age_s = atoll(PQgetvalue(r, 0, 0));
	return 0;
}

int session_delete(struct db_tx *tx, long long session_id)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", session_id);
	return DB_EXEC(tx, &stmt_session_delete, id) ? 0 : ES_EDB;
}

void session_set_cookie(struct request *req, const char *token, long long max_age_s)
{
	struct strbuf v = STRBUF_INIT;

	strbuf_addf(&v, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", SESSION_COOKIE,
		    max_age_s > 0 ? token : "", max_age_s > 0 ? max_age_s : 0,
		    req->cfg->cookie_secure ? "; Secure" : "");
	resp_header(req, "Set-Cookie", v.buf);
	strbuf_release(&v);
}
