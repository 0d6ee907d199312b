#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "base/errors.h"

enum key_type { KEY_STR, KEY_INT, KEY_BOOL };

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	const char *def;
	long min, max;
	bool secret;
};

#define S(n, d) { #n, KEY_STR, offsetof(struct config, n), d, 0, 0, false }
#define SECRET(n, d) { #n, KEY_STR, offsetof(struct config, n), d, 0, 0, true }
#define I(n, d, lo, hi) { #n, KEY_INT, offsetof(struct config, n), #d, lo, hi, false }
#define B(n, d) { #n, KEY_BOOL, offsetof(struct config, n), #d, 0, 1, false }

static const struct key keys[] = {
	SECRET(database, "dbname=easyshifts"),
	S(listen, "/run/easyshifts/easyshifts.sock"),
	S(listen_mode, "0660"),
	S(listen_owner, ""),
	S(scoreboard_path, "/run/easyshifts/easyshifts.scoreboard"),
	I(workers, 2, 1, 256),
	I(threads, 8, 1, 256),
	I(pool_size, 4, 1, 200),
	I(pool_max_overflow, 4, 0, 200),
	I(pool_overflow_idle_s, 30, 0, 86400),
	I(pool_timeout_ms, 2000, 1, 600000),
	I(pool_recycle_s, 3600, 1, 86400 * 7),
	I(pool_preping_idle_s, 30, 0, 86400),
	I(pool_connect_timeout_s, 2, 1, 60),
	B(pool_named_statements, true),
	I(statement_timeout_ms, 10000, 0, 3600000),
	I(tx_max_retries, 5, 0, 50),
	I(max_requests, 100000, 0, INT_MAX),
	I(max_body_bytes, 1048576, 1024, 64 * 1048576),
	I(shutdown_timeout_s, 30, 1, 3600),
	B(cookie_secure, true),
	I(session_idle_timeout_s, 0, 0, 86400 * 30),
	S(google_client_id, ""),
	SECRET(google_client_secret, ""),
	S(google_jwks_url, "https://www.googleapis.com/oauth2/v3/certs"),
	S(google_auth_url, "https://accounts.google.com/o/oauth2/v2/auth"),
	S(google_token_url, "https://oauth2.googleapis.com/token"),
	S(google_issuers, "accounts.google.com,https://accounts.google.com"),
	S(google_redirect_url, ""),
	I(google_clock_skew_s, 60, 0, 3600),
	S(public_base_url, "http://localhost:8080"),
	S(log_level, "info"),
	S(log_file, ""),
	B(debug_routes, false),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

bool config_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "on", "yes" };
	static const char *const no[] = { "0", "false", "off", "no" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const struct key *key_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static int key_set(struct config *cfg, const struct key *k, const char *value,
		   struct strbuf *err)
{
	char *field = (char *)cfg + k->offset;

	switch (k->type) {
	case KEY_STR: {
		char **slot = (char **)field;
		char *copy = strdup(value);

		if (!copy)
			abort();
		free(*slot);
		*slot = copy;
		return 0;
	}
	case KEY_INT: {
		char *end;
		long v;

		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max) {
			strbuf_addf(err, "%s: expected an integer in %ld..%ld, got \"%s\"",
				    k->name, k->min, k->max, value);
			return ES_EINVAL;
		}
		*(int *)field = (int)v;
		return 0;
	}
	case KEY_BOOL:
		if (!config_parse_bool(value, (bool *)field)) {
			strbuf_addf(err, "%s: expected 0/1/true/false/on/off, got \"%s\"",
				    k->name, value);
			return ES_EINVAL;
		}
		return 0;
	}
	return ES_EINVAL;
}

int config_set(struct config *cfg, const char *key, const char *value, struct strbuf *err)
{
	const struct key *k = key_find(key);

	if (!k) {
		strbuf_addf(err, "%s: unknown configuration key", key);
		return ES_EINVAL;
	}
	return key_set(cfg, k, value, err);
}

void config_defaults(struct config *cfg)
{
	struct strbuf ignore = STRBUF_INIT;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NKEYS; i++)
		key_set(cfg, &keys[i], keys[i].def, &ignore);
	strbuf_release(&ignore);
}

void config_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].type == KEY_STR) {
			char **slot = (char **)((char *)cfg + keys[i].offset);

			free(*slot);
			*slot = NULL;
		}
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int load_file(struct config *cfg, const char *path, bool required, struct strbuf *err)
{
	char line[4096];
	int lineno = 0, rc = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return ES_EINVAL;
	}
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *key, *value, *eq;
		size_t n;

		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			strbuf_addf(err, "%s:%d: expected key = value", path, lineno);
			rc = ES_EINVAL;
			break;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		n = strlen(value);
		if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
			value[n - 1] = '\0';
			value++;
		}
		if (config_set(cfg, key, value, err)) {
			strbuf_addf(err, " (%s:%d)", path, lineno);
			rc = ES_EINVAL;
		}
	}
	fclose(f);
	return rc;
}

static int load_env(struct config *cfg, struct strbuf *err)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		char name[96] = "EASYSHIFTS_";
		size_t at = strlen(name), j;
		const char *value;

		for (j = 0; keys[i].name[j] && at < sizeof(name) - 1; j++)
			name[at++] = (char)toupper((unsigned char)keys[i].name[j]);
		name[at] = '\0';
		value = getenv(name);
		if (value && key_set(cfg, &keys[i], value, err)) {
			strbuf_addf(err, " (environment %s)", name);
			return ES_EINVAL;
		}
	}
	return 0;
}

int config_validate(const struct config *cfg, struct strbuf *err)
{
	static const char *const levels[] = { "debug", "info", "warn", "error" };
	char *end;
	long mode;
	size_t i;

	for (i = 0; i < 4; i++)
		if (!strcmp(cfg->log_level, levels[i]))
			break;
	if (i == 4) {
		strbuf_addf(err, "log_level: expected debug, info, warn or error, got \"%s\"",
			    cfg->log_level);
		return ES_EINVAL;
	}
	mode = strtol(cfg->listen_mode, &end, 8);
	if (*cfg->listen_mode == '\0' || *end || mode < 0 || mode > 0777) {
		strbuf_addf(err, "listen_mode: expected an octal mode such as 0660, got \"%s\"",
			    cfg->listen_mode);
		return ES_EINVAL;
	}
	if (*cfg->listen == '\0') {
		strbuf_addstr(err, "listen: must be a socket path, host:port, or \"fd:0\"");
		return ES_EINVAL;
	}
	if (*cfg->scoreboard_path == '\0') {
		strbuf_addstr(err, "scoreboard_path: must be a file path");
		return ES_EINVAL;
	}
	if (*cfg->database == '\0') {
		strbuf_addstr(err, "database: a libpq connection string is required");
		return ES_EINVAL;
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, bool required, struct strbuf *err)
{
	int rc;

	config_defaults(cfg);
	if (path && (rc = load_file(cfg, path, required, err)))
		return rc;
	if ((rc = load_env(cfg, err)))
		return rc;
	return config_validate(cfg, err);
}

/* The connection string with its password hidden, whichever syntax it uses. */
static void print_conninfo_masked(FILE *out, const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL), *o;

	fputs("database =", out);
	if (!opts) {
		fputs(" (unparsable connection string)\n", out);
		return;
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		fprintf(out, " %s=%s", o->keyword,
			!strcmp(o->keyword, "password") ? "********" : o->val);
	}
	fputc('\n', out);
	PQconninfoFree(opts);
}

int config_warnings(const struct config *cfg, struct strbuf *out)
{
	int n = 0, capacity = cfg->pool_size + cfg->pool_max_overflow;

	if (cfg->threads > capacity) {
		strbuf_addf(out, "warning: threads (%d) exceed pool_size + pool_max_overflow (%d): under load"
			    " %d requests of each worker wait for a database connection\n",
			    cfg->threads, capacity, cfg->threads - capacity);
		n++;
	}
	if (cfg->pool_max_overflow > 0 && cfg->pool_overflow_idle_s == 0 &&
	    cfg->threads > cfg->pool_size) {
		strbuf_addstr(out, "warning: pool_overflow_idle_s = 0 closes an overflow connection on return:"
			      " under steady load past pool_size a request opens a connection\n");
		n++;
	}
	return n;
}

void config_print(const struct config *cfg, FILE *out)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const char *field = (const char *)cfg + keys[i].offset;

		switch (keys[i].type) {
		case KEY_STR: {
			const char *v = *(char *const *)field;

			if (!strcmp(keys[i].name, "database"))
				print_conninfo_masked(out, v);
			else
				fprintf(out, "%s = %s\n", keys[i].name, keys[i].secret && *v ? "********" : v);
			break;
		}
		case KEY_INT:
			fprintf(out, "%s = %d\n", keys[i].name, *(const int *)field);
			break;
		case KEY_BOOL:
			fprintf(out, "%s = %s\n", keys[i].name, *(const bool *)field ? "true" : "false");
			break;
		}
	}
}
