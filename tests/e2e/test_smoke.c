/*
 * The API smoke suite: what an operator checks after installing, through
 * whichever front the environment names. tests/e2e/smoke runs it through
 * nginx and Apache, against a DESTDIR install, and against servers started
 * by systemd-socket-activate and spawn-fcgi. The server must run with
 * debug_routes on.
 *
 *   ES_SMOKE_URL       base URL of the web server, e.g. http://127.0.0.1:8080
 *   ES_SMOKE_NAME      which setup this is (names the suite)
 *   ES_SMOKE_USER, ES_SMOKE_PASSWORD
 *                      an admin made with `easyshifts create-admin --password-file`
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/e2e/principal.h"
#include "tests/lib/cu.h"

static const char *username, *password;
static struct principal admin;

static bool header_is(const struct http_res *r, const char *name, const char *prefix)
{
	const char *v = http_header(r, name);

	return v && !strncmp(v, prefix, strlen(prefix));
}

static void test_healthz_answers(void)
{
	struct http_res r;

	http(&r, "GET", "/healthz", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"status\":\"ok\""));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);
}

static void test_readyz_reaches_the_database(void)
{
	struct http_res r;

	http(&r, "GET", "/readyz", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"status\":\"ready\""));
	http_res_release(&r);
}

static void test_status_answers_the_local_host(void)
{
	struct http_res r;

	http(&r, "GET", "/status", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(header_is(&r, "Content-Type", "application/json"));
	CU_ASSERT_TRUE(body_has(&r, "\"workers\":[{"));
	http_res_release(&r);
}

static void test_unknown_route_is_404_with_the_envelope(void)
{
	struct http_res r;

	http(&r, "GET", "/api/v1/no/such/route", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT_TRUE(body_has(&r, "{\"error\":{\"code\":\"not_found\""));
	CU_ASSERT_TRUE(header_is(&r, "Content-Type", "application/json"));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);
}

static void test_wrong_method_is_405_with_allow(void)
{
	struct http_res r;

	http(&r, "DELETE", "/api/v1/auth/me", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 405);
	CU_ASSERT_TRUE(header_is(&r, "Allow", "GET"));
	CU_ASSERT_TRUE(body_has(&r, "\"method_not_allowed\""));
	http_res_release(&r);
}

static void test_json_body_comes_back_unchanged(void)
{
	static const char body[] = "{\"name\":\"Zo\xc3\xab\",\"n\":[1,2.5,true,null]}";
	struct http_res r;

	http(&r, "POST", "/api/v1/debug/echo", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.body.buf, body);
	http_res_release(&r);
}

static void test_web_pages_and_the_api_description_are_served(void)
{
	struct http_res r;

	http(&r, "GET", "/", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(header_is(&r, "Content-Type", "text/html"));
	http_res_release(&r);
	http(&r, "GET", "/openapi.yaml", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "openapi: 3.1"));
	http_res_release(&r);
}

static void test_login_with_the_created_admin_sets_a_session(void)
{
	struct json_object *root;
	struct http_res r;

	CU_ASSERT_EQUAL_FATAL(principal_login(&admin, username, password, &r), 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(http_set_cookie(&r, "es_session"));
	root = body_json(&r);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "csrf_token", NULL));
	CU_ASSERT_STRING_EQUAL(str_at(root, "user.role"), "admin");
	json_object_put(root);
	http_res_release(&r);
}

static void test_me_shows_the_signed_in_admin(void)
{
	const char *headers[] = { admin.cookie, NULL };
	struct json_object *root;
	struct http_res r;

	http(&r, "GET", "/api/v1/auth/me", NULL, headers);
	CU_ASSERT_EQUAL(r.status, 200);
	root = body_json(&r);
	CU_ASSERT_STRING_EQUAL(str_at(root, "user.username"), username);
	json_object_put(root);
	http_res_release(&r);
}

static void test_logout_ends_the_session(void)
{
	const char *headers[] = { admin.cookie, admin.csrf, NULL };
	struct http_res r;

	http(&r, "POST", "/api/v1/auth/logout", NULL, headers);
	CU_ASSERT_EQUAL(r.status, 204);
	http_res_release(&r);
	http(&r, "GET", "/api/v1/auth/me", NULL, headers);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT_TRUE(body_has(&r, "\"not_authenticated\""));
	http_res_release(&r);
}

static int setup(void)
{
	const char *base = getenv("ES_SMOKE_URL");

	username = getenv("ES_SMOKE_USER");
	password = getenv("ES_SMOKE_PASSWORD");
	if (!base || !username || !password) {
		fprintf(stderr, "run the smoke suite through tests/e2e/smoke\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	http_use_base(base);
	return 0;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "healthz answers", test_healthz_answers },
		{ "readyz reaches the database", test_readyz_reaches_the_database },
		{ "status answers the local host", test_status_answers_the_local_host },
		{ "unknown route is 404 with the envelope", test_unknown_route_is_404_with_the_envelope },
		{ "wrong method is 405 with Allow", test_wrong_method_is_405_with_allow },
		{ "JSON body comes back unchanged", test_json_body_comes_back_unchanged },
		{ "web pages and the API description are served", test_web_pages_and_the_api_description_are_served },
		{ "login with the created admin sets a session", test_login_with_the_created_admin_sets_a_session },
		{ "me shows the signed-in admin", test_me_shows_the_signed_in_admin },
		{ "logout ends the session", test_logout_ends_the_session },
		{ NULL, NULL },
	};
	char suite[128];

	snprintf(suite, sizeof(suite), "smoke via %s",
		 getenv("ES_SMOKE_NAME") ? getenv("ES_SMOKE_NAME") : "?");
	return cu_run(suite, setup, NULL, tests);
}
