#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"

static enum log_level min_level = LOG_INFO;
static int log_worker;
static char log_path[1024];

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_setup(const char *level, int worker)
{
	int i;

	for (i = 0; i < 4; i++)
		if (level && !strcmp(level, level_names[i]))
			min_level = (enum log_level)i;
	log_worker = worker;
}

int log_open(const char *path)
{
	int fd;

	if (!path || !*path) {
		log_path[0] = '\0';
		return 0;
	}
	if (path != log_path)
		snprintf(log_path, sizeof(log_path), "%s", path);
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return ES_EIO;
	if (dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return ES_EIO;
	}
	close(fd);
	return 0;
}

int log_reopen(void)
{
	if (!log_path[0])
		return 0;
	return log_open(log_path);
}

bool log_enabled(enum log_level level)
{
	return level >= min_level;
}

static void write_line(enum log_level level, const char *event, const char *kv, size_t kvlen)
{
	struct strbuf line;
	struct timeval tv;
	struct tm tm;
	char ts[40];
	ssize_t n;
	size_t off = 0;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	strbuf_init(&line, 128 + kvlen);
	strbuf_addf(&line, "ts=%s.%03dZ level=%s pid=%d worker=%d event=", ts,
		    (int)(tv.tv_usec / 1000), level_names[level], (int)getpid(), log_worker);
	strbuf_add_logfmt_value(&line, event);
	if (kvlen) {
		strbuf_addch(&line, ' ');
		strbuf_add(&line, kv, kvlen);
	}
	strbuf_addch(&line, '\n');
	while (off < line.len) {
		n = write(STDERR_FILENO, line.buf + off, line.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	strbuf_release(&line);
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	struct strbuf kv;
	va_list ap;

	if (level < min_level)
		return;
	strbuf_init(&kv, 0);
	if (fmt) {
		va_start(ap, fmt);
		strbuf_vaddf(&kv, fmt, ap);
		va_end(ap);
	}
	write_line(level, event, kv.buf, kv.len);
	strbuf_release(&kv);
}

void log_kv(struct strbuf *sb, const char *key, const char *value)
{
	if (sb->len)
		strbuf_addch(sb, ' ');
	strbuf_addstr(sb, key);
	strbuf_addch(sb, '=');
	strbuf_add_logfmt_value(sb, value ? value : "");
}

void log_line(enum log_level level, const char *event, const struct strbuf *kv)
{
	if (level < min_level)
		return;
	write_line(level, event, kv->buf, kv->len);
}
