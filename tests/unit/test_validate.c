/*
 * Body and query validation helpers: UTF-8, dates, trimming, NUL bytes in
 * JSON strings, free-text query parameters.
 */
#include <json-c/json.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "http/params.h"
#include "http/request.h"
#include "http/validate.h"
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

static void test_utf8_valid_accepts_one_to_four_byte_sequences(void)
{
	CU_ASSERT_TRUE(utf8_valid(""));
	CU_ASSERT_TRUE(utf8_valid("plain"));
	CU_ASSERT_TRUE(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	CU_ASSERT_TRUE(utf8_valid("\xf4\x8f\xbf\xbf"));   /* U+10FFFF */
}

static void test_utf8_valid_refuses_malformed_sequences(void)
{
	CU_ASSERT_FALSE(utf8_valid("\xff"));
	CU_ASSERT_FALSE(utf8_valid("\xc3"));               /* truncated */
	CU_ASSERT_FALSE(utf8_valid("\xc0\xaf"));           /* overlong '/' */
	CU_ASSERT_FALSE(utf8_valid("\xed\xa0\x80"));       /* surrogate */
	CU_ASSERT_FALSE(utf8_valid("\xf4\x90\x80\x80"));   /* past U+10FFFF */
	CU_ASSERT_FALSE(utf8_valid("ok\x80"));             /* stray continuation */
}

static void test_date_valid_knows_the_calendar(void)
{
	CU_ASSERT_TRUE(text_is_date("2024-02-29"));
	CU_ASSERT_TRUE(text_is_date("1900-01-01"));
	CU_ASSERT_FALSE(text_is_date("2023-02-29"));
	CU_ASSERT_FALSE(text_is_date("1900-02-29"));
	CU_ASSERT_FALSE(text_is_date("2024-13-01"));
	CU_ASSERT_FALSE(text_is_date("2024-1-01"));
	CU_ASSERT_FALSE(text_is_date("2024-01-01T00:00"));
	CU_ASSERT_FALSE(text_is_date("1899-12-31"));
	CU_ASSERT_FALSE(text_is_date(""));
}

static void test_email_valid_wants_one_at_between_two_parts(void)
{
	CU_ASSERT_TRUE(text_is_email("dana@riverside.example"));
	CU_ASSERT_TRUE(text_is_email("o'brien+tag@x"));
	CU_ASSERT_FALSE(text_is_email("no-at-sign"));
	CU_ASSERT_FALSE(text_is_email("@example.com"));
	CU_ASSERT_FALSE(text_is_email("dana@"));
	CU_ASSERT_FALSE(text_is_email("a@b@c"));
	CU_ASSERT_FALSE(text_is_email("dana cole@example.com"));
}

static void test_field_trimmed_removes_surrounding_white_space(void)
{
	struct json_object *s = json_object_new_string(" \t Acme  Co \n");
	struct json_object *blank = json_object_new_string("   ");

	CU_ASSERT_STRING_EQUAL(field_trimmed(&req, s), "Acme  Co");
	CU_ASSERT_STRING_EQUAL(field_trimmed(&req, blank), "");
	CU_ASSERT_PTR_NULL(field_trimmed(&req, NULL));
	json_object_put(s);
	json_object_put(blank);
	req_reset(&req);
}

static void test_body_validate_refuses_a_string_with_a_nul(void)
{
	static const struct field fields[] = { { "name", FIELD_STRING, true, 1, 200 } };
	struct json_object *v[1];

	req.json = json_tokener_parse("{\"name\":\"Acme\\u0000Evil\"}");
	CU_ASSERT_EQUAL(body_validate(&req, fields, 1, v), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "NUL"));
	json_object_put(req.json);
	req_reset(&req);
}

static void test_field_given_sees_null_values(void)
{
	req.json = json_tokener_parse("{\"a\":null}");
	CU_ASSERT_TRUE(field_given(&req, "a"));
	CU_ASSERT_FALSE(field_given(&req, "b"));
	json_object_put(req.json);
	req_reset(&req);
}

static void test_query_text_is_trimmed_checked_and_bounded(void)
{
	char *ok[] = { "REQUEST_URI=/x?q=+%20acme+", NULL };
	char *blank[] = { "REQUEST_URI=/x?q=++", NULL };
	char *bad[] = { "REQUEST_URI=/x?q=%FF", NULL };
	char *longer[] = { "REQUEST_URI=/x?q=abcdef", NULL };
	const char *q;

	CU_ASSERT_EQUAL(req_parse(&req, ok), 0);
	CU_ASSERT_EQUAL(param_query_text(&req, "q", 5, &q), 0);
	CU_ASSERT_STRING_EQUAL(q, "acme");
	req_reset(&req);

	CU_ASSERT_EQUAL(req_parse(&req, blank), 0);
	CU_ASSERT_EQUAL(param_query_text(&req, "q", 5, &q), 0);
	CU_ASSERT_PTR_NULL(q);
	req_reset(&req);

	CU_ASSERT_EQUAL(req_parse(&req, bad), 0);
	CU_ASSERT_EQUAL(param_query_text(&req, "q", 5, &q), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "invalid_utf8"));
	req_reset(&req);

	CU_ASSERT_EQUAL(req_parse(&req, longer), 0);
	CU_ASSERT_EQUAL(param_query_text(&req, "q", 5, &q), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	req_reset(&req);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "utf8_valid accepts one to four byte sequences", test_utf8_valid_accepts_one_to_four_byte_sequences },
		{ "utf8_valid refuses malformed sequences", test_utf8_valid_refuses_malformed_sequences },
		{ "date_valid knows the calendar", test_date_valid_knows_the_calendar },
		{ "email_valid wants one @ between two parts", test_email_valid_wants_one_at_between_two_parts },
		{ "field_trimmed removes surrounding white space", test_field_trimmed_removes_surrounding_white_space },
		{ "body_validate refuses a string with a NUL", test_body_validate_refuses_a_string_with_a_nul },
		{ "field_given sees null values", test_field_given_sees_null_values },
		{ "query text is trimmed, checked and bounded", test_query_text_is_trimmed_checked_and_bounded },
		{ NULL, NULL },
	};

	return cu_run("validate", setup, teardown, tests);
}
