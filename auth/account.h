#ifndef ES_ACCOUNT_H
#define ES_ACCOUNT_H

#include <stdbool.h>

struct db_tx;
struct json_object;
struct refusal;
struct request;

/*
 * Sign-in steps shared by the password and Google routes.
 *
 * account_sign_in runs inside the caller's transaction scope: creates the
 * session, stamps last_login_at, clears the username's failed attempts
 * (username may be NULL), and loads the user's JSON. Returns 0 or ES_EDB.
 * After the scope commits, account_signed_in_response sets the cookie and
 * the 200 body {user, csrf_token[, token]}.
 */
struct sign_in {
	char token[44];
	char csrf[44];
	long long max_age_s;
	const char *user_json;   /* arena-owned */
};

int account_sign_in(struct db_tx *tx, long long user_id, const char *username,
		    struct sign_in *out);
int account_signed_in_response(struct request *req, const struct sign_in *in, int status,
			       bool include_token);
/*
 * The rules of a new account's username, name and email (NULL: none), for
 * self-signup and for managers alike: a reason per broken one into
 * *details (details_add).
 */
void account_check_names(const char *username, const char *name, const char *email,
			 struct json_object **details);

/*
 * Who may sign in, whatever the way: an approved and active user. Returns
 * the refusal (403 account_pending, account_inactive), or NULL.
 */
const struct refusal *account_refusal(bool approved, bool active);

/* The user's public JSON (arena-owned), inside a scope. NULL on failure or no such user. */
const char *account_user_json(struct db_tx *tx, long long user_id);

#endif
