#ifndef ES_LOG_H
#define ES_LOG_H

#include <stdbool.h>

#include "base/strbuf.h"

/*
 * Logfmt lines on stderr (or log_file): `ts=... level=... worker=N event=...`
 * followed by the caller's key=value pairs. Each line is one write(2), so
 * lines from threads and processes never interleave.
 */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the minimum level and the worker number printed on each line (0: master). */
void log_setup(const char *level, int worker);
/* Opens path (append) as stderr; "" keeps stderr. Returns 0 or ES_EIO. */
int log_open(const char *path);
/* Reopens the log file after rotation (SIGUSR1); no-op when logging to stderr. */
int log_reopen(void);
bool log_enabled(enum log_level level);
/*
 * Writes one line: event, then fmt as printf-style "key=value ..." text.
 * Values that may hold spaces or quotes go through log_value().
 */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends ` key=value` with the value quoted as logfmt needs. */
void log_kv(struct strbuf *sb, const char *key, const char *value);
/* Writes a line built by the caller (without ts/level prefix). */
void log_line(enum log_level level, const char *event, const struct strbuf *kv);

#endif
