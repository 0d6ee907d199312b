#ifndef ES_STRBUF_H
#define ES_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable, always NUL-terminated byte string. Embed it and call
 * strbuf_init(); strbuf_release() frees the storage. Allocation failure
 * aborts the process (the master respawns the worker).
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Empties the string but keeps its storage. */
void strbuf_reset(struct strbuf *sb);
/* Hands the storage to the caller (free() it); the strbuf is empty after. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends s as a JSON string literal, quotes included. */
void strbuf_add_json_string(struct strbuf *sb, const char *s);
/* Appends s as a logfmt value: bare when safe, otherwise quoted and escaped. */
void strbuf_add_logfmt_value(struct strbuf *sb, const char *s);

#endif
