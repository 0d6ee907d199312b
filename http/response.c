#include "http/response.h"

#include <json-c/json.h>
#include <string.h>

#include "http/request.h"

void resp_init(struct response *resp)
{
	resp->status = 0;
	resp->content_type = NULL;
	strbuf_init(&resp->headers, 0);
	strbuf_init(&resp->body, 0);
}

void resp_release(struct response *resp)
{
	strbuf_release(&resp->headers);
	strbuf_release(&resp->body);
}

void resp_reset(struct response *resp)
{
	resp->status = 0;
	resp->content_type = NULL;
	strbuf_reset(&resp->headers);
	strbuf_reset(&resp->body);
}

static bool header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

void resp_header(struct request *req, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value))
		return;
	strbuf_addstr(&req->resp.headers, name);
	strbuf_add(&req->resp.headers, ": ", 2);
	strbuf_addstr(&req->resp.headers, value);
	strbuf_add(&req->resp.headers, "\r\n", 2);
}

int resp_json_text(struct request *req, int status, const char *text, size_t len)
{
	req->resp.status = status;
	req->resp.content_type = "application/json";
	strbuf_reset(&req->resp.body);
	strbuf_add(&req->resp.body, text, len);
	return 0;
}

int resp_json(struct request *req, int status, struct json_object *obj)
{
	size_t len;
	const char *text = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	return resp_json_text(req, status, text, len);
}

int resp_empty(struct request *req, int status)
{
	req->resp.status = status;
	req->resp.content_type = NULL;
	strbuf_reset(&req->resp.body);
	return 0;
}

int resp_error(struct request *req, int status, const char *code, const char *message,
	       struct json_object *details)
{
	struct strbuf *b = &req->resp.body;

	req->resp.status = status;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addstr(b, "{\"error\":{\"code\":");
	strbuf_add_json_string(b, code);
	strbuf_addstr(b, ",\"message\":");
	strbuf_add_json_string(b, message);
	strbuf_addstr(b, ",\"details\":");
	if (details) {
		strbuf_addstr(b, json_object_to_json_string_ext(
			details, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(details);
	} else {
		strbuf_addstr(b, "{}");
	}
	strbuf_addstr(b, "}}");
	return 0;
}

const char *resp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void resp_serialize(const struct response *resp, const char *request_id, struct strbuf *out)
{
	int status = resp->status ? resp->status : 500;

	strbuf_addf(out, "Status: %d %s\r\n", status, resp_reason(status));
	if (resp->content_type)
		strbuf_addf(out, "Content-Type: %s\r\n", resp->content_type);
	if (status != 204 && status != 304)
		strbuf_addf(out, "Content-Length: %zu\r\n", resp->body.len);
	strbuf_addstr(out, "Cache-Control: no-store\r\n");
	if (request_id && *request_id)
		strbuf_addf(out, "X-Request-Id: %s\r\n", request_id);
	strbuf_add(out, resp->headers.buf, resp->headers.len);
	strbuf_add(out, "\r\n", 2);
	if (status != 204 && status != 304)
		strbuf_add(out, resp->body.buf, resp->body.len);
}
