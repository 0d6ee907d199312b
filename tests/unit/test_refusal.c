/*
 * Refusals: how a refused request is answered (SPEC §3, the error
 * envelope), and the convention around them: whatever answers returns 0,
 * a reader that refused returns its code.
 */
#include <json-c/json.h>
#include <string.h>

#include "base/config.h"
#include "base/errors.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
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

/* The answer's error.details as JSON text, "" when there is no envelope. */
static const char *details_text(struct json_object **root)
{
	struct json_object *err, *details;

	*root = json_tokener_parse(req.resp.body.buf);
	if (!*root || !json_object_object_get_ex(*root, "error", &err) ||
	    !json_object_object_get_ex(err, "details", &details))
		return "";
	return json_object_to_json_string_ext(details, JSON_C_TO_STRING_PLAIN);
}

static void test_a_conflict_names_its_rule(void)
{
	static const struct refusal r = CONFLICT("entry_approved", "The entry is approved");
	struct json_object *root;

	CU_ASSERT_EQUAL(refusal_send(&req, &r), 0);
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_STRING_EQUAL(req.resp.body.buf,
			       "{\"error\":{\"code\":\"entry_approved\",\"message\":\"The entry is approved\","
			       "\"details\":{\"rule\":\"entry_approved\"}}}");
	CU_ASSERT_STRING_EQUAL(details_text(&root), "{\"rule\":\"entry_approved\"}");
	json_object_put(root);
	req_reset(&req);
}

static void test_an_invalid_field_is_named_with_its_reason(void)
{
	static const struct refusal r = INVALID("ends_at", "must be after starts_at");
	struct json_object *root;

	refusal_send(&req, &r);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"validation_failed\""));
	CU_ASSERT_STRING_EQUAL(details_text(&root), "{\"ends_at\":\"must be after starts_at\"}");
	json_object_put(root);
	req_reset(&req);
}

static void test_a_plain_refusal_has_empty_details(void)
{
	static const struct refusal r = REFUSAL(404, "not_found", "No such shift");

	refusal_send(&req, &r);
	CU_ASSERT_EQUAL(req.resp.status, 404);
	CU_ASSERT_STRING_EQUAL(req.resp.body.buf,
			       "{\"error\":{\"code\":\"not_found\",\"message\":\"No such shift\","
			       "\"details\":{}}}");
	req_reset(&req);
}

static void test_a_field_without_reason_is_details_field(void)
{
	static const struct refusal r = { .status = 409, .code = "client_name_taken",
					  .message = "Taken", .field = "name",
					  .rule = "unique_client_name" };
	struct json_object *root;

	refusal_send(&req, &r);
	CU_ASSERT_STRING_EQUAL(details_text(&root),
			       "{\"field\":\"name\",\"rule\":\"unique_client_name\"}");
	json_object_put(root);
	req_reset(&req);
}

static void test_added_details_go_with_the_rule_and_leave_the_base_alone(void)
{
	static const struct refusal base = CONFLICT("rule_broken", "The assignment breaks a rule");
	struct refusal *r = refusal_new(&req, &base, NULL);
	struct json_object *root;

	r->rule = "min_rest";
	refusal_add(r, "user_id", json_object_new_int64(7));
	refusal_add(r, "opens_at", NULL);
	refusal_send(&req, r);
	CU_ASSERT_EQUAL(req.resp.status, 409);
	CU_ASSERT_STRING_EQUAL(details_text(&root),
			       "{\"user_id\":7,\"opens_at\":null,\"rule\":\"min_rest\"}");
	CU_ASSERT_PTR_NULL(base.details);
	CU_ASSERT_STRING_EQUAL(base.rule, "rule_broken");
	json_object_put(root);
	req_reset(&req);
}

static void test_details_made_elsewhere_replace_the_bases(void)
{
	struct json_object *details = json_object_new_object(), *root;

	json_object_object_add(details, "pairs[1]", json_object_new_string("an object {in, out}"));
	CU_ASSERT_EQUAL(refusal_send_with(&req, &refusal_invalid, details), 0);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	CU_ASSERT_STRING_EQUAL(details_text(&root), "{\"pairs[1]\":\"an object {in, out}\"}");
	CU_ASSERT_PTR_NULL(refusal_invalid.details);
	json_object_put(root);
	req_reset(&req);
}

static void test_answering_returns_zero_and_a_refusing_reader_its_code(void)
{
	char *bad[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/shifts?limit=0", NULL };
	struct page page;

	CU_ASSERT_EQUAL(param_invalid(&req, "to", "must be another week"), 0);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	req_reset(&req);

	CU_ASSERT_EQUAL(req_parse(&req, bad), 0);
	CU_ASSERT_EQUAL(param_page(&req, &page), ES_EINVAL);
	CU_ASSERT_EQUAL(req.resp.status, 422);
	CU_ASSERT_PTR_NOT_NULL(strstr(req.resp.body.buf, "\"limit\""));
	req_reset(&req);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "a conflict names its rule", test_a_conflict_names_its_rule },
		{ "an invalid field is named with its reason", test_an_invalid_field_is_named_with_its_reason },
		{ "a plain refusal has empty details", test_a_plain_refusal_has_empty_details },
		{ "a field without reason is details.field", test_a_field_without_reason_is_details_field },
		{ "added details go with the rule and leave the base alone",
		  test_added_details_go_with_the_rule_and_leave_the_base_alone },
		{ "details made elsewhere replace the base's",
		  test_details_made_elsewhere_replace_the_bases },
		{ "answering returns 0, a refusing reader its code",
		  test_answering_returns_zero_and_a_refusing_reader_its_code },
		{ NULL, NULL },
	};

	return cu_run("refusal", setup, teardown, tests);
}
