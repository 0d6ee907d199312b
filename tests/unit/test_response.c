#include <json-c/json.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/strbuf.h"
#include "http/request.h"
#include "http/response.h"
#include "tests/lib/cu.h"

static struct config cfg;
static struct request req;

static int setup(void)
{
	config_defaults(&cfg);
	req_init(&req, &cfg);
	return 0;
}

static int teardown(void)
{
	req_release(&req);
	config_release(&cfg);
	return 0;
}

static void test_error_envelope_has_code_message_details(void)
{
	struct json_object *details = json_object_new_object(), *root, *err, *v;

	json_object_object_add(details, "field", json_object_new_string("name"));
	resp_error(&req, 422, "validation_failed", "Name is \"too\" long", details);
	root = json_tokener_parse(req.resp.body.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "error", &err));
	CU_ASSERT_TRUE(json_object_object_get_ex(err, "code", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "validation_failed");
	CU_ASSERT_TRUE(json_object_object_get_ex(err, "message", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "Name is \"too\" long");
	CU_ASSERT_TRUE(json_object_object_get_ex(err, "details", &v));
	CU_ASSERT_TRUE(json_object_object_get_ex(v, "field", &v));
	CU_ASSERT_EQUAL(req.resp.status, 422);
	json_object_put(root);
	req_reset(&req);
}

static void test_error_without_details_has_empty_object(void)
{
	resp_error(&req, 404, "not_found", "No such route", NULL);
	CU_ASSERT_STRING_EQUAL(req.resp.body.buf,
			       "{\"error\":{\"code\":\"not_found\",\"message\":\"No such route\","
			       "\"details\":{}}}");
	req_reset(&req);
}

static void test_serialize_writes_status_headers_and_request_id(void)
{
	struct strbuf out = STRBUF_INIT;

	resp_json_text(&req, 201, "{}", 2);
	resp_header(&req, "Location", "/api/v1/users/1");
	resp_serialize(&req.resp, "rid-1", &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Status: 201 Created\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Content-Type: application/json\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Content-Length: 2\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "X-Request-Id: rid-1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Location: /api/v1/users/1\r\n"));
	CU_ASSERT_STRING_EQUAL(out.buf + out.len - 6, "\r\n\r\n{}");
	strbuf_release(&out);
	req_reset(&req);
}

static void test_header_injection_is_dropped(void)
{
	resp_header(&req, "X-Evil", "a\r\nSet-Cookie: x=y");
	CU_ASSERT_EQUAL(req.resp.headers.len, 0);
	req_reset(&req);
}

static void test_no_content_has_no_body(void)
{
	struct strbuf out = STRBUF_INIT;

	resp_empty(&req, 204);
	resp_serialize(&req.resp, "r", &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Status: 204 No Content\r\n"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Content-Length"));
	strbuf_release(&out);
	req_reset(&req);
}

static void test_json_string_escaping(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_json_string(&sb, "a\"b\\c\n\x01</script>");
	CU_ASSERT_STRING_EQUAL(sb.buf, "\"a\\\"b\\\\c\\n\\u0001</script>\"");
	strbuf_release(&sb);
}

static void test_logfmt_values_are_quoted_when_needed(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_logfmt_value(&sb, "plain");
	strbuf_addch(&sb, ' ');
	strbuf_add_logfmt_value(&sb, "two words \"q\"\n");
	strbuf_addch(&sb, ' ');
	strbuf_add_logfmt_value(&sb, "");
	CU_ASSERT_STRING_EQUAL(sb.buf, "plain \"two words \\\"q\\\"\\n\" \"\"");
	strbuf_release(&sb);
}

static void test_arena_reset_reuses_memory(void)
{
	struct arena a;
	char *p, *q;

	arena_init(&a, 1024);
	p = arena_alloc(&a, 100);
	CU_ASSERT_EQUAL(((unsigned long)p) % _Alignof(max_align_t), 0);
	arena_alloc(&a, 5000);   /* an oversized chunk of its own */
	CU_ASSERT_STRING_EQUAL(arena_strdup(&a, "hello"), "hello");
	arena_reset(&a);
	q = arena_alloc(&a, 100);
	CU_ASSERT_PTR_EQUAL(p, q);
	arena_release(&a);
}

static void count_call(void *p)
{
	(*(int *)p)++;
}

static void test_arena_cleanups_run_once_each(void)
{
	struct arena a;
	int calls = 0;

	arena_init(&a, 256);
	arena_defer(&a, count_call, &calls);
	arena_defer(&a, count_call, &calls);
	arena_reset(&a);
	CU_ASSERT_EQUAL(calls, 2);
	arena_reset(&a);
	CU_ASSERT_EQUAL(calls, 2);
	arena_release(&a);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "error envelope has code, message, details", test_error_envelope_has_code_message_details },
		{ "error without details has empty object", test_error_without_details_has_empty_object },
		{ "serialize writes status, headers, request id", test_serialize_writes_status_headers_and_request_id },
		{ "header injection is dropped", test_header_injection_is_dropped },
		{ "204 has no body", test_no_content_has_no_body },
		{ "json string escaping", test_json_string_escaping },
		{ "logfmt values are quoted when needed", test_logfmt_values_are_quoted_when_needed },
		{ "arena reset reuses memory", test_arena_reset_reuses_memory },
		{ "arena cleanups run once each", test_arena_cleanups_run_once_each },
		{ NULL, NULL },
	};

	return cu_run("response", setup, teardown, tests);
}
