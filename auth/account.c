#include "auth/account.h"

#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "base/errors.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

/* The user as the sign-in answers show it (sql/functions/11_user_docs.sql). */
static const struct stmt stmt_user_json = STMT("account_user_json",
	"SELECT signin_doc FROM user_docs WHERE id = $1::bigint");
static const struct stmt stmt_signed_in = STMT("account_signed_in",
	"UPDATE users SET last_login_at = now() WHERE id = $1::bigint");
static const struct stmt stmt_clear_attempts = STMT("account_clear_attempts",
	"DELETE FROM login_attempts WHERE key = 'u:' || lower($1)");

void account_check_names(const char *username, const char *name, const char *email,
			 struct json_object **details)
{
	if (!text_is_username(username))
		details_add(details, "username", "no spaces or control characters");
	if (!text_is_trimmed(name))
		details_add(details, "name", "no leading or trailing spaces");
	if (email && !text_is_email(email))
		details_add(details, "email", "not an email address");
}

const struct refusal *account_refusal(bool approved, bool active)
{
	static const struct refusal
		pending = REFUSAL(403, "account_pending",
				  "Your account is waiting for a manager's approval"),
		inactive = REFUSAL(403, "account_inactive", "Your account has been deactivated");

	if (!approved)
		return &pending;
	return active ? NULL : &inactive;
}

const char *account_user_json(struct db_tx *tx, long long user_id)
{
	char id[24];
	PGresult *r;

	snprintf(id, sizeof(id), "%lld", user_id);
	r = DB_EXEC(tx, &stmt_user_json, id);
	if (!r || PQntuples(r) != 1)
		return NULL;
	return arena_strdup(tx->ctx->arena, PQgetvalue(r, 0, 0));
}

int account_sign_in(struct db_tx *tx, long long user_id, const char *username,
		    struct sign_in *out)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", user_id);
	if (session_create(tx, user_id, out->token, out->csrf, &out->max_age_s))
		return ES_EDB;
	if (!DB_EXEC(tx, &stmt_signed_in, id))
		return ES_EDB;
	if (username && !DB_EXEC(tx, &stmt_clear_attempts, username))
		return ES_EDB;
	out->user_json = account_user_json(tx, user_id);
	return out->user_json ? 0 : ES_EDB;
}

int account_signed_in_response(struct request *req, const struct sign_in *in, int status,
			       bool include_token)
{
	struct strbuf *b = &req->resp.body;

	session_set_cookie(req, in->token, in->max_age_s);
	req->resp.status = status;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addstr(b, "{\"user\":");
	strbuf_addstr(b, in->user_json);
	strbuf_addstr(b, ",\"csrf_token\":");
	strbuf_add_json_string(b, in->csrf);
	if (include_token) {
		strbuf_addstr(b, ",\"token\":");
		strbuf_add_json_string(b, in->token);
	}
	strbuf_addf(b, ",\"expires_in\":%lld}", in->max_age_s);
	return 0;
}
