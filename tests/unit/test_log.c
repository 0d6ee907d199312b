/*
 * Log lines are logfmt a log shipper can split without guessing: one line
 * per event, `key=value` pairs, values with spaces, quotes or equals signs
 * quoted, and every line opening with ts level pid worker event.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "tests/lib/cu.h"

#define MAX_PAIRS 16

struct pair { char key[32]; char value[256]; };

static char path[] = "/tmp/es-log-XXXXXX";
static int saved_stderr = -1;

/* Splits one logfmt line; returns the number of pairs, -1 when it is not logfmt. */
static int logfmt_parse(const char *s, struct pair *out, int max)
{
	int n = 0;

	while (*s) {
		size_t k = strcspn(s, "= \"");
		char *v;

		if (n == max || k == 0 || k >= sizeof(out->key) || s[k] != '=')
			return -1;
		snprintf(out[n].key, sizeof(out[n].key), "%.*s", (int)k, s);
		s += k + 1;
		v = out[n].value;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				if (v < out[n].value + sizeof(out[n].value) - 1)
					*v++ = *s;
			}
			if (*s++ != '"')
				return -1;
		} else {
			for (; *s && *s != ' '; s++)
				if (*s == '"' || *s == '=' || v >= out[n].value + sizeof(out[n].value) - 1)
					return -1;
				else
					*v++ = *s;
		}
		*v = '\0';
		n++;
		if (*s == ' ')
			s++;
		else if (*s)
			return -1;
	}
	return n;
}

static int setup(void)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	saved_stderr = dup(STDERR_FILENO);
	return log_open(path);
}

static int teardown(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(path);
	return 0;
}

static void test_every_line_opens_with_ts_level_pid_worker_event(void)
{
	static const char *const head[] = { "ts", "level", "pid", "worker", "event" };
	struct strbuf kv = STRBUF_INIT;
	struct pair p[MAX_PAIRS];
	char line[2048];
	int lines = 0, n, i;
	FILE *f;

	log_setup("info", 3);
	log_event(LOG_INFO, "worker_ready", "threads=%d", 8);
	log_kv(&kv, "path", "/api/v1/users?q=a b");
	log_kv(&kv, "error", "listen: \"x\" = y\\z\nnext");
	log_kv(&kv, "empty", "");
	log_line(LOG_WARN, "request", &kv);
	log_event(LOG_DEBUG, "not_shown", NULL);
	strbuf_release(&kv);

	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		n = logfmt_parse(line, p, MAX_PAIRS);
		CU_ASSERT_FATAL(n >= 5);
		for (i = 0; i < 5; i++)
			CU_ASSERT_STRING_EQUAL(p[i].key, head[i]);
		CU_ASSERT_EQUAL(strlen(p[0].value), strlen("2026-01-01T00:00:00.000Z"));
		CU_ASSERT_EQUAL(p[0].value[strlen(p[0].value) - 1], 'Z');
		CU_ASSERT_EQUAL(atoi(p[2].value), (int)getpid());
		CU_ASSERT_STRING_EQUAL(p[3].value, "3");
		if (lines == 0) {
			CU_ASSERT_STRING_EQUAL(p[1].value, "info");
			CU_ASSERT_STRING_EQUAL(p[4].value, "worker_ready");
			CU_ASSERT_EQUAL(n, 6);
		} else {
			CU_ASSERT_STRING_EQUAL(p[1].value, "warn");
			CU_ASSERT_STRING_EQUAL(p[4].value, "request");
			CU_ASSERT_EQUAL_FATAL(n, 8);
			CU_ASSERT_STRING_EQUAL(p[5].value, "/api/v1/users?q=a b");
			CU_ASSERT_STRING_EQUAL(p[6].value, "listen: \"x\" = y\\znnext");
			CU_ASSERT_STRING_EQUAL(p[7].value, "");
		}
		lines++;
	}
	fclose(f);
	CU_ASSERT_EQUAL(lines, 2);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every line opens with ts level pid worker event", test_every_line_opens_with_ts_level_pid_worker_event },
		{ NULL, NULL },
	};

	return cu_run("log", setup, teardown, tests);
}
