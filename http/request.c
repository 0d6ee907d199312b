#include "http/request.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <strings.h>
#include <unistd.h>

#include "base/config.h"
#include "base/errors.h"

/* The scopes' results live in the request's arena; the logs name its id. */
static void db_ctx_attach(struct request *req, struct pool *pool)
{
	req->db.pool = pool;
	req->db.arena = &req->arena;
	req->db.request_id = req->request_id;
}

void req_init(struct request *req, const struct config *cfg)
{
	memset(req, 0, sizeof(*req));
	arena_init(&req->arena, 16384);
	resp_init(&req->resp);
	req->cfg = cfg;
	db_ctx_attach(req, NULL);
}

void req_reset(struct request *req)
{
	const struct config *cfg = req->cfg;
	struct pool *pool = req->db.pool;
	struct arena arena = req->arena;
	struct response resp = req->resp;
	int (*read_body)(void *, char *, int) = req->read_body;

	arena_reset(&arena);
	resp_reset(&resp);
	memset(req, 0, sizeof(*req));
	req->arena = arena;
	req->resp = resp;
	req->cfg = cfg;
	req->read_body = read_body;
	db_ctx_attach(req, pool);
}

struct request *req_from_tx(const struct db_tx *tx)
{
	return (struct request *)((char *)tx->ctx - offsetof(struct request, db));
}

void req_release(struct request *req)
{
	arena_release(&req->arena);
	resp_release(&req->resp);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *req_percent_decode(struct arena *a, const char *s, size_t len, bool form)
{
	char *out = arena_alloc(a, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hi < 0 ? -1 : hexval(s[i + 2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (form && s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

size_t req_parse_query_string(struct arena *a, const char *qs, struct kv **out)
{
	size_t cap = count_char(qs, '&') + 1, n = 0;
	struct kv *items = arena_alloc(a, cap * sizeof(*items));
	const char *p = qs;

	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		char *k, *v;

		if (len > 0) {
			k = req_percent_decode(a, p, klen, true);
			v = eq ? req_percent_decode(a, eq + 1, len - klen - 1, true)
			       : arena_strdup(a, "");
			if (k && v && *k) {
				items[n].key = k;
				items[n].value = v;
				n++;
			}
		}
		p += len;
		if (*p == '&')
			p++;
	}
	*out = items;
	return n;
}

size_t req_parse_cookie_header(struct arena *a, const char *header, struct kv **out)
{
	size_t cap = count_char(header, ';') + 1, n = 0;
	struct kv *items = arena_alloc(a, cap * sizeof(*items));
	const char *p = header;

	while (*p) {
		const char *semi, *eq, *kend, *vstart, *vend;

		while (*p == ' ' || *p == '\t')
			p++;
		semi = strchr(p, ';');
		vend = semi ? semi : p + strlen(p);
		eq = memchr(p, '=', (size_t)(vend - p));
		if (eq) {
			kend = eq;
			while (kend > p && (kend[-1] == ' ' || kend[-1] == '\t'))
				kend--;
			vstart = eq + 1;
			while (vstart < vend && (*vstart == ' ' || *vstart == '\t'))
				vstart++;
			while (vend > vstart && (vend[-1] == ' ' || vend[-1] == '\t'))
				vend--;
			if (vend - vstart >= 2 && *vstart == '"' && vend[-1] == '"') {
				vstart++;
				vend--;
			}
			if (kend > p) {
				items[n].key = arena_strndup(a, p, (size_t)(kend - p));
				items[n].value = arena_strndup(a, vstart, (size_t)(vend - vstart));
				n++;
			}
		}
		if (!semi)
			break;
		p = semi + 1;
	}
	*out = items;
	return n;
}

const char *req_param(const struct request *req, const char *name)
{
	size_t len = strlen(name);
	char **e;

	if (!req->envp)
		return NULL;
	for (e = req->envp; *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static const char *kv_find(const struct kv *items, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(items[i].key, key))
			return items[i].value;
	return NULL;
}

const char *req_query(const struct request *req, const char *name)
{
	return kv_find(req->query, req->nquery, name);
}

const char *req_cookie(const struct request *req, const char *name)
{
	return kv_find(req->cookies, req->ncookies, name);
}

const char *req_capture(const struct request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->ncaptures; i++)
		if (!strcmp(req->capture_names[i], name))
			return req->captures[i];
	return NULL;
}

static bool request_id_ok(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!(( *s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return n > 0 && n <= 64;
}

static void request_id_make(char *out, size_t cap)
{
	static __thread unsigned long long counter;
	static __thread unsigned int seed;

	if (!seed)
		seed = (unsigned int)getpid() ^ (unsigned int)(uintptr_t)&counter;
	snprintf(out, cap, "%08x%08x%016llx", (unsigned int)getpid(),
		 (unsigned int)rand_r(&seed), ++counter);
}

int req_parse(struct request *req, char **envp)
{
	const char *uri, *qmark, *id, *cookie;
	size_t plen;
	char *path;

	req->envp = envp;
	req->method = req_param(req, "REQUEST_METHOD");
	req->method = arena_strdup(&req->arena, req->method ? req->method : "GET");
	id = req_param(req, "REQUEST_ID");
	if (!id)
		id = req_param(req, "HTTP_X_REQUEST_ID");
	if (id && request_id_ok(id))
		snprintf(req->request_id, sizeof(req->request_id), "%s", id);
	else
		request_id_make(req->request_id, sizeof(req->request_id));

	uri = req_param(req, "REQUEST_URI");
	if (!uri)
		uri = req_param(req, "DOCUMENT_URI");
	if (!uri)
		uri = "/";
	qmark = strchr(uri, '?');
	plen = qmark ? (size_t)(qmark - uri) : strlen(uri);
	cookie = req_param(req, "HTTP_COOKIE");
	if (cookie)
		req->ncookies = req_parse_cookie_header(&req->arena, cookie, &req->cookies);
	if (qmark)
		req->nquery = req_parse_query_string(&req->arena, qmark + 1, &req->query);
	path = req_percent_decode(&req->arena, uri, plen, false);
	if (!path || path[0] != '/') {
		req->path = "/";
		return ES_EINVAL;
	}
	if (!strncmp(path, API_PREFIX "/", sizeof(API_PREFIX)))
		path += sizeof(API_PREFIX) - 1;
	req->path = path;
	return 0;
}

/* json-c accepts 'single-quoted' strings even in strict mode; JSON does not. */
static bool has_single_quoted_string(const char *s, size_t len)
{
	bool in_string = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = false;
		} else if (s[i] == '"') {
			in_string = true;
		} else if (s[i] == '\'') {
			return true;
		}
	}
	return false;
}

static void json_put(void *obj)
{
	json_object_put(obj);
}

static bool is_json_content_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n))
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

int req_read_json(struct request *req)
{
	const char *cl = req_param(req, "CONTENT_LENGTH");
	size_t limit = (size_t)req->cfg->max_body_bytes, declared = 0;
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	char *end;

	if (cl && *cl) {
		unsigned long long v = strtoull(cl, &end, 10);

		if (*end || v > limit) {
			resp_error(req, 413, "payload_too_large",
				   "The request body is larger than allowed", NULL);
			return ES_ETOOBIG;
		}
		declared = (size_t)v;
	}
	if (declared == 0)
		return 0;
	if (!is_json_content_type(req_param(req, "CONTENT_TYPE"))) {
		resp_error(req, 415, "unsupported_media_type",
			   "Request bodies must be Content-Type: application/json", NULL);
		return ES_EINVAL;
	}
	req->body = arena_alloc(&req->arena, declared + 1);
	while (req->body_len < declared) {
		int n = req->read_body ? req->read_body(req->read_ctx, req->body + req->body_len,
							(int)(declared - req->body_len)) : 0;

		if (n <= 0)
			break;
		req->body_len += (size_t)n;
	}
	if (req->body_len != declared) {
		resp_error(req, 400, "incomplete_body", "The request body ended early", NULL);
		return ES_EIO;
	}
	req->body[req->body_len] = '\0';

	tok = json_tokener_new_ex(64);
	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	req->json = json_tokener_parse_ex(tok, req->body, (int)req->body_len);
	jerr = json_tokener_get_error(tok);
	if (req->json && jerr == json_tokener_success &&
	    json_tokener_get_parse_end(tok) < req->body_len) {
		/* trailing bytes after the value: only whitespace is allowed */
		size_t i;

		for (i = json_tokener_get_parse_end(tok); i < req->body_len; i++)
			if (!strchr(" \t\r\n", req->body[i]))
				jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (req->json && has_single_quoted_string(req->body, req->body_len))
		jerr = json_tokener_error_parse_string;
	if (req->json)
		arena_defer(&req->arena, json_put, req->json);
	if (!req->json || jerr != json_tokener_success) {
		int utf8 = jerr == json_tokener_error_parse_utf8_string;

		req->json = NULL;
		resp_error(req, 400, utf8 ? "invalid_utf8" : "malformed_json",
			   utf8 ? "The request body is not valid UTF-8"
				: "The request body is not valid JSON",
			   NULL);
		return ES_EINVAL;
	}
	return 0;
}
