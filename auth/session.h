#ifndef ES_SESSION_H
#define ES_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strbuf.h"

struct db_tx;
struct request;

/* 256-bit random token, base64url without padding: 43 characters. */
#define SESSION_TOKEN_LEN 43

/* Fills out (SESSION_TOKEN_LEN + 1 bytes) with a fresh random token. */
void session_token_new(char out[SESSION_TOKEN_LEN + 1]);
/* The lowercase hex SHA-256 of token (65 bytes with NUL), as stored in the database. */
void session_token_hash_hex(const char *token, char out[65]);
/* True when s has the shape of a token (length and alphabet). */
bool session_token_wellformed(const char *s);
/* Constant-time equality of two NUL-terminated secrets. */
bool secret_equal(const char *a, const char *b);

/*
 * Creates a session for user_id inside tx; fills token and csrf (each
 * SESSION_TOKEN_LEN + 1 bytes) and the lifetime in seconds. Returns 0 or
 * ES_EDB (tx carries the failure).
 */
int session_create(struct db_tx *tx, long long user_id, char *token, char *csrf,
		   long long *max_age_s);
/* Deletes a session (logout). Returns 0 or ES_EDB. */
int session_delete(struct db_tx *tx, long long session_id);

/* Adds the Set-Cookie header that carries token (max_age_s 0: delete it). */
void session_set_cookie(struct request *req, const char *token, long long max_age_s);

#endif
