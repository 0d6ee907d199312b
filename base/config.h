#ifndef ES_CONFIG_H
#define ES_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/strbuf.h"

/*
 * The whole configuration: one file of `key = value` lines, each key
 * overridable by the environment variable EASYSHIFTS_<KEY>. Every key, its
 * type, default and limits are declared once in config.c.
 */
struct config {
	char *database;
	char *listen;
	char *listen_mode;
	char *listen_owner;
	char *scoreboard_path;
	int workers;
	int threads;
	int pool_size;
	int pool_max_overflow;
	int pool_overflow_idle_s;
	int pool_timeout_ms;
	int pool_recycle_s;
	int pool_preping_idle_s;
	int pool_connect_timeout_s;
	bool pool_named_statements;
	int statement_timeout_ms;
	int tx_max_retries;
	int max_requests;
	int max_body_bytes;
	int shutdown_timeout_s;
	bool cookie_secure;
	int session_idle_timeout_s;
	char *google_client_id;
	char *google_client_secret;
	char *google_jwks_url;
	char *google_auth_url;
	char *google_token_url;
	char *google_issuers;
	char *google_redirect_url;
	int google_clock_skew_s;
	char *public_base_url;
	char *log_level;
	char *log_file;
	bool debug_routes;
};

/* Fills cfg with the defaults. */
void config_defaults(struct config *cfg);
/*
 * Loads path (NULL: defaults only; a missing file is an error only when
 * required), then the environment. On error returns ES_EINVAL and writes a
 * one-line message naming the key or line into err.
 */
int config_load(struct config *cfg, const char *path, bool required, struct strbuf *err);
/* Sets one key from text; ES_EINVAL with a message when the value is bad. */
int config_set(struct config *cfg, const char *key, const char *value, struct strbuf *err);
/* Checks cross-key rules (e.g. threads vs pool); ES_EINVAL with a message. */
int config_validate(const struct config *cfg, struct strbuf *err);
/*
 * Settings that are valid but work against each other (requests that will
 * wait for a connection, connections opened per request): one line each,
 * appended to out. Returns how many.
 */
int config_warnings(const struct config *cfg, struct strbuf *out);
/* Prints every key with its effective value, secrets masked. */
void config_print(const struct config *cfg, FILE *out);
void config_release(struct config *cfg);
/* Parses 0/1/true/false/on/off/yes/no. */
bool config_parse_bool(const char *s, bool *out);

#endif
