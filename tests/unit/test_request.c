#include <json-c/json.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "tests/lib/cu.h"

static struct config cfg;
static struct request req;

struct body { const char *data; size_t len, pos; };

static int read_mem(void *ctx, char *buf, int n)
{
	struct body *b = ctx;
	size_t left = b->len - b->pos;
	size_t take = left < (size_t)n ? left : (size_t)n;

	memcpy(buf, b->data + b->pos, take);
	b->pos += take;
	return (int)take;
}

static int setup(void)
{
	config_defaults(&cfg);
	cfg.max_body_bytes = 2048;
	req_init(&req, &cfg);
	req.read_body = read_mem;
	return 0;
}

static int teardown(void)
{
	req_release(&req);
	config_release(&cfg);
	return 0;
}

static void test_path_is_decoded_and_prefix_removed(void)
{
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/users/caf%C3%A9?x=1", NULL };

	CU_ASSERT_EQUAL(req_parse(&req, env), 0);
	CU_ASSERT_STRING_EQUAL(req.method, "GET");
	CU_ASSERT_STRING_EQUAL(req.path, "/users/caf\xc3\xa9");
	req_reset(&req);
}

static void test_path_without_prefix_is_kept(void)
{
	char *env[] = { "REQUEST_URI=/healthz", NULL };

	CU_ASSERT_EQUAL(req_parse(&req, env), 0);
	CU_ASSERT_STRING_EQUAL(req.path, "/healthz");
	req_reset(&req);
}

static void test_bad_percent_escape_is_refused(void)
{
	char *bad1[] = { "REQUEST_URI=/users/%zz", NULL };
	char *bad2[] = { "REQUEST_URI=/users/%00", NULL };
	char *bad3[] = { "REQUEST_URI=/users/%4", NULL };

	CU_ASSERT_EQUAL(req_parse(&req, bad1), ES_EINVAL);
	req_reset(&req);
	CU_ASSERT_EQUAL(req_parse(&req, bad2), ES_EINVAL);
	req_reset(&req);
	CU_ASSERT_EQUAL(req_parse(&req, bad3), ES_EINVAL);
	req_reset(&req);
}

static void test_query_parameters_are_decoded(void)
{
	char *env[] = { "REQUEST_URI=/shifts?from=2026-01-01T00%3A00%3A00%2B01%3A00&q=a+b&empty=&flag",
			NULL };

	CU_ASSERT_EQUAL(req_parse(&req, env), 0);
	CU_ASSERT_STRING_EQUAL(req_query(&req, "from"), "2026-01-01T00:00:00+01:00");
	CU_ASSERT_STRING_EQUAL(req_query(&req, "q"), "a b");
	CU_ASSERT_STRING_EQUAL(req_query(&req, "empty"), "");
	CU_ASSERT_STRING_EQUAL(req_query(&req, "flag"), "");
	CU_ASSERT_PTR_NULL(req_query(&req, "missing"));
	req_reset(&req);
}

static void test_cookies_are_split(void)
{
	char *env[] = { "REQUEST_URI=/", "HTTP_COOKIE=a=1; es_session=abc.def ;  c=\"q\"", NULL };

	CU_ASSERT_EQUAL(req_parse(&req, env), 0);
	CU_ASSERT_STRING_EQUAL(req_cookie(&req, "a"), "1");
	CU_ASSERT_STRING_EQUAL(req_cookie(&req, "es_session"), "abc.def");
	CU_ASSERT_STRING_EQUAL(req_cookie(&req, "c"), "q");
	CU_ASSERT_PTR_NULL(req_cookie(&req, "d"));
	req_reset(&req);
}

static void test_request_id_taken_from_nginx_when_sane(void)
{
	char *ok[] = { "REQUEST_URI=/", "REQUEST_ID=0123abcd", NULL };
	char *hostile[] = { "REQUEST_URI=/", "REQUEST_ID=x\r\nSet-Cookie: a=b", NULL };

	req_parse(&req, ok);
	CU_ASSERT_STRING_EQUAL(req.request_id, "0123abcd");
	req_reset(&req);
	req_parse(&req, hostile);
	CU_ASSERT(strlen(req.request_id) > 8);
	CU_ASSERT_PTR_NULL(strpbrk(req.request_id, "\r\n :"));
	req_reset(&req);
}

static int read_json(char **env, const char *body)
{
	struct body b = { body, body ? strlen(body) : 0, 0 };
	int rc;

	req.read_ctx = &b;
	req_parse(&req, env);
	rc = req_read_json(&req);
	return rc;
}

static void test_json_body_is_parsed(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=11",
			"CONTENT_TYPE=application/json; charset=utf-8", NULL };

	CU_ASSERT_EQUAL(read_json(env, "{\"a\": [1]}\n"), 0);
	CU_ASSERT_PTR_NOT_NULL(req.json);
	CU_ASSERT(json_object_is_type(req.json, json_type_object));
	req_reset(&req);
}

static void test_body_over_limit_is_413_without_reading(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=4096",
			"CONTENT_TYPE=application/json", NULL };
	struct body b = { "{}", 2, 0 };

	req.read_ctx = &b;
	req_parse(&req, env);
	CU_ASSERT_EQUAL(req_read_json(&req), ES_ETOOBIG);
	CU_ASSERT_EQUAL(req.resp.status, 413);
	CU_ASSERT_EQUAL(b.pos, 0);
	req_reset(&req);
}

static void test_wrong_content_type_is_415(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=2",
			"CONTENT_TYPE=text/plain", NULL };
	char *env2[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=2",
			 "CONTENT_TYPE=application/jsonx", NULL };

	CU_ASSERT_EQUAL(read_json(env, "{}"), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 415);
	req_reset(&req);
	CU_ASSERT_EQUAL(read_json(env2, "{}"), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 415);
	req_reset(&req);
}

static void test_broken_json_is_400(void)
{
	static const char *const bodies[] = { "{\"a\":", "{'a':1}", "{} {}", "[1,]", "nul" };
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		char cl[48];
		char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", cl,
				"CONTENT_TYPE=application/json", NULL };

		snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", strlen(bodies[i]));
		CU_ASSERT_EQUAL(read_json(env, bodies[i]), ES_EINVAL);
		CU_ASSERT_EQUAL(req.resp.status, 400);
		CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"malformed_json\""));
		req_reset(&req);
	}
}

static void test_invalid_utf8_is_400_with_its_own_code(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=9",
			"CONTENT_TYPE=application/json", NULL };

	CU_ASSERT_EQUAL(read_json(env, "{\"a\":\"\xff\xfe\"}"), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"invalid_utf8\""));
	req_reset(&req);
}

static void test_short_body_is_400(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_LENGTH=10",
			"CONTENT_TYPE=application/json", NULL };

	CU_ASSERT_EQUAL(read_json(env, "{}"), ES_EIO);
	CU_ASSERT_EQUAL(req.resp.status, 400);
	req_reset(&req);
}

static void test_no_body_leaves_json_null(void)
{
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/x", NULL };

	CU_ASSERT_EQUAL(read_json(env, NULL), 0);
	CU_ASSERT_PTR_NULL(req.json);
	CU_ASSERT_EQUAL(req.resp.status, 0);
	req_reset(&req);
}

static int h_ok(struct request *r)
{
	return resp_json_text(r, 200, req_capture(r, "id"), strlen(req_capture(r, "id")));
}

static int h_unavailable(struct request *r)
{
	(void)r;
	return ES_EUNAVAIL;
}

static int h_forgets(struct request *r)
{
	(void)r;
	return 0;
}

static int h_hello(struct request *r)
{
	return resp_json_text(r, 200, "\"hi\"", 4);
}

static const struct route tiny[] = {
	{ "GET", "/things/{id}", ACCESS_PUBLIC, h_ok },
	{ "GET", "/down", ACCESS_PUBLIC, h_unavailable },
	{ "GET", "/forgets", ACCESS_PUBLIC, h_forgets },
	{ "GET", "/ops", ACCESS_LOCAL, h_forgets },
	{ "GET", "/dbg", ACCESS_DEBUG, h_hello },
};
static const struct dispatch_table tiny_table = { tiny, sizeof(tiny) / sizeof(tiny[0]), NULL,
						  NULL };

static void run(const char *method, const char *uri, const char *remote)
{
	char m[64], u[256], r[64];
	char *env[] = { m, u, r, NULL };

	snprintf(m, sizeof(m), "REQUEST_METHOD=%s", method);
	snprintf(u, sizeof(u), "REQUEST_URI=%s", uri);
	snprintf(r, sizeof(r), "REMOTE_ADDR=%s", remote ? remote : "127.0.0.1");
	req_reset(&req);
	dispatch(&req, env, &tiny_table);
}

static void test_dispatch_passes_captures_to_handler(void)
{
	run("GET", "/api/v1/things/abc", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 200);
	CU_ASSERT_STRING_EQUAL(req.resp.body.buf, "abc");
}

static void test_dispatch_maps_unavailable_to_503_with_retry_after(void)
{
	run("GET", "/down", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 503);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.headers.buf, "Retry-After: 1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"database_unavailable\""));
}

static void test_dispatch_405_carries_allow(void)
{
	run("POST", "/things/1", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 405);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.headers.buf, "Allow: GET\r\n"));
}

static void test_dispatch_handler_without_response_is_500(void)
{
	run("GET", "/forgets", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 500);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"internal_error\""));
}

static void test_dispatch_local_route_refuses_remote_clients(void)
{
	run("GET", "/ops", "203.0.113.9");
	CU_ASSERT_EQUAL(req.resp.status, 403);
}

static void test_dispatch_debug_route_hidden_unless_enabled(void)
{
	run("GET", "/dbg", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 404);
	cfg.debug_routes = true;
	run("GET", "/dbg", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 200);
	cfg.debug_routes = false;
}

static void test_dispatch_bad_path_is_400(void)
{
	run("GET", "/things/%ZZ", NULL);
	CU_ASSERT_EQUAL(req.resp.status, 400);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "path is decoded and prefix removed", test_path_is_decoded_and_prefix_removed },
		{ "path without prefix is kept", test_path_without_prefix_is_kept },
		{ "bad percent escape is refused", test_bad_percent_escape_is_refused },
		{ "query parameters are decoded", test_query_parameters_are_decoded },
		{ "cookies are split", test_cookies_are_split },
		{ "request id taken from nginx when sane", test_request_id_taken_from_nginx_when_sane },
		{ "json body is parsed", test_json_body_is_parsed },
		{ "body over limit is 413 without reading", test_body_over_limit_is_413_without_reading },
		{ "wrong content type is 415", test_wrong_content_type_is_415 },
		{ "broken json is 400", test_broken_json_is_400 },
		{ "invalid utf-8 is 400 with its own code", test_invalid_utf8_is_400_with_its_own_code },
		{ "short body is 400", test_short_body_is_400 },
		{ "no body leaves json null", test_no_body_leaves_json_null },
		{ "dispatch passes captures to handler", test_dispatch_passes_captures_to_handler },
		{ "dispatch maps unavailable to 503", test_dispatch_maps_unavailable_to_503_with_retry_after },
		{ "dispatch 405 carries Allow", test_dispatch_405_carries_allow },
		{ "dispatch handler without response is 500", test_dispatch_handler_without_response_is_500 },
		{ "dispatch local route refuses remote", test_dispatch_local_route_refuses_remote_clients },
		{ "dispatch debug route hidden unless enabled", test_dispatch_debug_route_hidden_unless_enabled },
		{ "dispatch bad path is 400", test_dispatch_bad_path_is_400 },
		{ NULL, NULL },
	};

	return cu_run("request", setup, teardown, tests);
}
