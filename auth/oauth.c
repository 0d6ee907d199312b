#include "auth/oauth.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "base/log.h"

#define TOKEN_RESPONSE_MAX (256 * 1024)

void url_encode(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(out, (char)*p);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[*p >> 4]);
			strbuf_addch(out, hex[*p & 15]);
		}
	}
}

void oauth_redirect_uri(const struct config *cfg, struct strbuf *out)
{
	size_t n;

	if (*cfg->google_redirect_url) {
		strbuf_addstr(out, cfg->google_redirect_url);
		return;
	}
	strbuf_addstr(out, cfg->public_base_url);
	n = out->len;
	while (n && out->buf[n - 1] == '/')
		n--;
	out->len = n;
	out->buf[n] = '\0';
	strbuf_addstr(out, "/api/v1/auth/google/callback");
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct strbuf *sb = ud;

	if (sb->len + size * n > TOKEN_RESPONSE_MAX)
		return 0;
	strbuf_add(sb, p, size * n);
	return size * n;
}

static void form_field(struct strbuf *form, const char *name, const char *value)
{
	if (form->len)
		strbuf_addch(form, '&');
	strbuf_addstr(form, name);
	strbuf_addch(form, '=');
	url_encode(form, value);
}

int oauth_exchange_code(const struct config *cfg, const char *code, const char *verifier,
			const char *redirect_uri, struct strbuf *id_token)
{
	struct strbuf form = STRBUF_INIT, body = STRBUF_INIT;
	struct curl_slist *headers = NULL;
	struct json_object *root = NULL, *tok;
	long status = 0;
	CURLcode cc;
	CURL *c;
	int rc = ES_EUNAVAIL;

	c = curl_easy_init();
	if (!c)
		return ES_EUNAVAIL;
	form_field(&form, "grant_type", "authorization_code");
	form_field(&form, "code", code);
	form_field(&form, "redirect_uri", redirect_uri);
	form_field(&form, "client_id", cfg->google_client_id);
	form_field(&form, "client_secret", cfg->google_client_secret);
	form_field(&form, "code_verifier", verifier);
	headers = curl_slist_append(headers, "Accept: application/json");
	curl_easy_setopt(c, CURLOPT_URL, cfg->google_token_url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.buf);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)form.len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK || status >= 500) {
		log_event(LOG_WARN, "google_token_unavailable", "curl=%d status=%ld", (int)cc, status);
		goto out;
	}
	root = json_tokener_parse(body.buf);
	if (status != 200 || !root || !json_object_object_get_ex(root, "id_token", &tok) ||
	    !json_object_is_type(tok, json_type_string)) {
		log_event(LOG_WARN, "google_token_refused", "status=%ld", status);
		rc = ES_EINVAL;
		goto out;
	}
	strbuf_addstr(id_token, json_object_get_string(tok));
	rc = 0;
out:
	json_object_put(root);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	strbuf_release(&form);
	strbuf_release(&body);
	return rc;
}
