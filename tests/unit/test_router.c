#include <string.h>

#include "http/router.h"
#include "tests/lib/cu.h"

static int h(struct request *req) { (void)req; return 0; }

static const struct route table[] = {
	{ "GET", "/users", ACCESS_PUBLIC, h },
	{ "POST", "/users", ACCESS_PUBLIC, h },
	{ "GET", "/users/{id}", ACCESS_PUBLIC, h },
	{ "PATCH", "/users/{id}", ACCESS_PUBLIC, h },
	{ "GET", "/users/me", ACCESS_PUBLIC, h },
	{ "DELETE", "/shifts/{id}/assignments/{user_id}/{role}", ACCESS_PUBLIC, h },
	{ "GET", "/healthz", ACCESS_PUBLIC, h },
};
#define N (sizeof(table) / sizeof(table[0]))

static void test_exact_literal_route_matches(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/users", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[0]);
	CU_ASSERT_EQUAL(m.ncaptures, 0);
}

static void test_method_selects_among_same_pattern(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "POST", "/users", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[1]);
}

static void test_capture_is_returned_with_its_name(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/users/42", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[2]);
	CU_ASSERT_EQUAL(m.ncaptures, 1);
	CU_ASSERT_EQUAL(m.capture_lens[0], 2);
	CU_ASSERT_NSTRING_EQUAL(m.captures[0], "42", 2);
	CU_ASSERT_NSTRING_EQUAL(m.capture_names[0], "id", m.capture_name_lens[0]);
}

static void test_literal_segment_wins_over_capture(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/users/me", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[4]);
}

static void test_three_captures(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "DELETE", "/shifts/7/assignments/9/crew_chief", &m),
			ROUTE_FOUND);
	CU_ASSERT_EQUAL(m.ncaptures, 3);
	CU_ASSERT_NSTRING_EQUAL(m.captures[2], "crew_chief", m.capture_lens[2]);
	CU_ASSERT_EQUAL(m.capture_lens[2], strlen("crew_chief"));
}

static void test_unknown_path_is_not_found(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/nope", &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/users/1/extra", &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/", &m), ROUTE_NOT_FOUND);
}

static void test_empty_segment_does_not_capture(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "GET", "/users/", &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(router_match(table, N, "GET", "//users", &m), ROUTE_NOT_FOUND);
}

static void test_wrong_method_lists_allowed_ones(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "DELETE", "/users", &m), ROUTE_METHOD_NOT_ALLOWED);
	CU_ASSERT_STRING_EQUAL(m.allow, "GET, POST");
	CU_ASSERT_EQUAL(router_match(table, N, "PUT", "/users/5", &m), ROUTE_METHOD_NOT_ALLOWED);
	CU_ASSERT_STRING_EQUAL(m.allow, "GET, PATCH");
}

static void test_method_comparison_is_exact(void)
{
	struct route_result m;

	CU_ASSERT_EQUAL(router_match(table, N, "get", "/healthz", &m), ROUTE_METHOD_NOT_ALLOWED);
	CU_ASSERT_STRING_EQUAL(m.allow, "GET");
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "exact literal route matches", test_exact_literal_route_matches },
		{ "method selects among same pattern", test_method_selects_among_same_pattern },
		{ "capture is returned with its name", test_capture_is_returned_with_its_name },
		{ "literal segment wins over capture", test_literal_segment_wins_over_capture },
		{ "three captures", test_three_captures },
		{ "unknown path is 404", test_unknown_path_is_not_found },
		{ "empty segment does not capture", test_empty_segment_does_not_capture },
		{ "wrong method lists allowed ones", test_wrong_method_lists_allowed_ones },
		{ "method comparison is exact", test_method_comparison_is_exact },
		{ NULL, NULL },
	};

	return cu_run("router", NULL, NULL, tests);
}
