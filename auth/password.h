#ifndef ES_PASSWORD_H
#define ES_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Password hashing with argon2id (libsodium): opslimit 2, memlimit 64 MiB
 * (libsodium's INTERACTIVE level; about 50-100 ms on one core). At most
 * PASSWORD_MAX_PARALLEL hashes run at once per process, so a burst of logins
 * cannot take 64 MiB per thread. sodium_init() must have been called.
 */
#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 1024
#define PASSWORD_MAX_PARALLEL 2

/* How long a request waits for a hashing slot before giving up with 503. */
#define PASSWORD_WAIT_S 5

/*
 * Hashes password into out (a PHC string). Returns 0, ES_EUNAVAIL when no
 * hashing slot freed up within PASSWORD_WAIT_S, or ES_ENOMEM.
 */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/*
 * Checks password against hash; *match tells the outcome. hash may be NULL
 * (unknown user or a Google-only account): the same work is done against a
 * dummy hash, so the time taken does not tell whether the user exists.
 * Returns 0 or ES_EUNAVAIL (no hashing slot within PASSWORD_WAIT_S).
 */
int password_verify(const char *hash, const char *password, bool *match);

#endif
