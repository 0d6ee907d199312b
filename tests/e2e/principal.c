#include "tests/e2e/principal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/e2e/json_at.h"
#include "tests/e2e/seed.h"
#include "tests/lib/sql.h"

void principal_anonymous(struct principal *p)
{
	memset(p, 0, sizeof(*p));
	p->user_id = -1;
	p->headers[0] = json_ct[0];
}

void principal_renew(const struct principal *p)
{
	sql("INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)"
	    " VALUES (sha256('%s'::bytea), %lld, 'csrf-%s', now() + interval '1 day')",
	    p->token, p->user_id, p->token);
}

/* A new session for username in p: token, cookie, CSRF and Bearer lines. */
static int session_for(const char *username, struct principal *p)
{
	static unsigned long counter;
	unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	long long id = seed_user_id(username);

	principal_anonymous(p);
	if (id <= 0)
		return -1;
	p->user_id = id;
	/* 43 characters of the token alphabet, unique per call */
	snprintf(p->token, sizeof(p->token), "t%08lx%08x%026d", n, (unsigned)getpid(), 0);
	snprintf(p->cookie, sizeof(p->cookie), "Cookie: es_session=%s", p->token);
	snprintf(p->csrf, sizeof(p->csrf), "X-CSRF-Token: csrf-%s", p->token);
	snprintf(p->bearer, sizeof(p->bearer), "Authorization: Bearer %s", p->token);
	principal_renew(p);
	return 0;
}

int principal_for(const char *username, struct principal *p)
{
	if (session_for(username, p))
		return -1;
	p->headers[1] = p->cookie;
	p->headers[2] = p->csrf;
	return 0;
}

int principal_bearer_for(const char *username, struct principal *p)
{
	if (session_for(username, p))
		return -1;
	p->headers[1] = p->bearer;
	return 0;
}

static long login(struct principal *p, const char *username, const char *password, bool bearer,
		  struct http_res *keep)
{
	struct strbuf body = STRBUF_INIT;
	struct json_object *root;
	struct http_res r;

	strbuf_addstr(&body, "{\"username\":");
	strbuf_add_json_string(&body, username);
	strbuf_addstr(&body, ",\"password\":");
	strbuf_add_json_string(&body, password);
	strbuf_addstr(&body, bearer ? ",\"bearer\":true}" : "}");
	http(&r, "POST", "/api/v1/auth/login", body.buf, json_ct);
	strbuf_release(&body);
	if (p && r.status == 200) {
		root = body_json(&r);
		principal_anonymous(p);
		p->user_id = int_at(root, "user.id");
		snprintf(p->token, sizeof(p->token), "%s", str_at(root, "token"));
		snprintf(p->cookie, sizeof(p->cookie), "Cookie: es_session=%s",
			 http_set_cookie(&r, "es_session"));
		snprintf(p->csrf, sizeof(p->csrf), "X-CSRF-Token: %s", str_at(root, "csrf_token"));
		snprintf(p->bearer, sizeof(p->bearer), "Authorization: Bearer %s", p->token);
		p->headers[1] = p->cookie;
		p->headers[2] = p->csrf;
		json_object_put(root);
	}
	if (keep)
		*keep = r;
	else
		http_res_release(&r);
	return r.status;
}

long principal_login(struct principal *p, const char *username, const char *password,
		     struct http_res *keep)
{
	return login(p, username, password, false, keep);
}

long principal_login_with_token(struct principal *p, const char *username, const char *password,
				struct http_res *keep)
{
	return login(p, username, password, true, keep);
}

long call(const struct principal *p, const char *method, const char *path, const char *body,
	  struct http_res *keep)
{
	struct http_res r;
	long status;

	http(&r, method, path, body, p ? p->headers : NULL);
	status = r.status;
	if (r.status >= 500)
		fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body.buf);
	if (keep)
		*keep = r;
	else
		http_res_release(&r);
	return status;
}

struct json_object *call_json(const struct principal *p, const char *method, const char *path,
			      const char *body, long *status)
{
	struct http_res r;
	struct json_object *o;

	*status = call(p, method, path, body, &r);
	o = body_json(&r);
	http_res_release(&r);
	return o;
}
