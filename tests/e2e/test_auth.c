/*
 * Sign-in end to end, through nginx: passwords, sessions, CSRF, Bearer,
 * throttling, account states, idle timeout, and Google (button and code
 * flow) against the fake provider in tests/fakeidp.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/principal.h"
#include "tests/e2e/seed.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

#define PASSWORD "correct horse battery"

static long long create_user(const char *username, const char *role, bool active, bool approved,
			     const char *email, const char *google_sub)
{
	char hash[PASSWORD_HASH_MAX], act[2] = { active ? 't' : 'f', 0 },
					     appr[2] = { approved ? 't' : 'f', 0 };
	const char *p[7] = { username, username, email, role, hash, act, appr };
	const char *q[2];
	PGresult *r;
	long long id;

	password_hash(PASSWORD, hash);
	r = PQexecParams(sql_conn(),
			 "INSERT INTO users (username, name, email, role, password_hash, active, approved)"
			 " VALUES ($1, 'Name of ' || $2, $3, $4, $5, $6::boolean, $7::boolean) RETURNING id",
			 7, NULL, p, NULL, NULL, 0);
	id = PQresultStatus(r) == PGRES_TUPLES_OK ? atoll(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	if (google_sub && id > 0) {
		char idtext[24];

		snprintf(idtext, sizeof(idtext), "%lld", id);
		q[0] = google_sub;
		q[1] = idtext;
		PQclear(PQexecParams(sql_conn(), "UPDATE users SET google_sub = $1 WHERE id = $2::bigint",
				     2, NULL, q, NULL, NULL, 0));
	}
	return id;
}

static void clear_attempts(void)
{
	sql("DELETE FROM login_attempts");
}

/* GET /auth/me with the session cookie alone; its status. */
static long me_status(const struct principal *s)
{
	const char *h[] = { s->cookie, NULL };
	struct http_res r;
	long status;

	http(&r, "GET", "/api/v1/auth/me", NULL, h);
	status = r.status;
	http_res_release(&r);
	return status;
}

static void test_login_me_logout(void)
{
	struct principal s;
	struct http_res r;
	const char *h[3];

	create_user("alice", "employee", true, true, "alice@example.com", NULL);
	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "ALICE", PASSWORD, &r), 200);
	CU_ASSERT_TRUE(body_has(&r, "\"username\" : \"alice\"") ||
		       body_has(&r, "\"username\":\"alice\""));
	CU_ASSERT_TRUE(body_has(&r, "\"csrf_token\""));
	CU_ASSERT_PTR_NULL(strstr(r.body.buf, "password"));
	http_res_release(&r);

	h[0] = s.cookie;
	h[1] = NULL;
	http(&r, "GET", "/api/v1/auth/me", NULL, h);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"certifications\""));
	CU_ASSERT_TRUE(body_has(&r, "\"role\" : \"employee\"") ||
		       body_has(&r, "\"role\":\"employee\""));
	http_res_release(&r);

	h[1] = s.csrf;
	h[2] = NULL;
	http(&r, "POST", "/api/v1/auth/logout", NULL, h);
	CU_ASSERT_EQUAL(r.status, 204);
	CU_ASSERT_STRING_EQUAL(http_set_cookie(&r, "es_session"), "");
	http_res_release(&r);
	CU_ASSERT_EQUAL(me_status(&s), 401);
}

static void test_session_cookie_attributes(void)
{
	struct http_res r;
	const char *line;

	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(NULL, "alice", PASSWORD, &r), 200);
	line = http_set_cookie_line(&r, "es_session");
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "; HttpOnly"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "; SameSite=Lax"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "; Path=/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "; Secure"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "; Max-Age=604800"));
	http_res_release(&r);
}

static void test_csrf_missing_or_wrong_is_403(void)
{
	struct principal s;
	struct http_res r;
	const char *no_csrf[] = { NULL, NULL };
	const char *wrong[] = { NULL, "X-CSRF-Token: not-the-token-at-all-0000000000000000000", NULL };

	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "alice", PASSWORD, NULL), 200);
	no_csrf[0] = s.cookie;
	wrong[0] = s.cookie;
	http(&r, "POST", "/api/v1/auth/logout", NULL, no_csrf);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"csrf_failed\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/logout", NULL, wrong);
	CU_ASSERT_EQUAL(r.status, 403);
	http_res_release(&r);
	CU_ASSERT_EQUAL(me_status(&s), 200);   /* the session survived both attempts */
}

static void test_bearer_token_works_without_csrf(void)
{
	struct principal s;
	struct http_res r;
	const char *h[] = { s.bearer, NULL };

	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "alice", PASSWORD, NULL), 200);
	CU_ASSERT_EQUAL(strlen(s.token), 43);
	http(&r, "GET", "/api/v1/auth/me", NULL, h);
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/logout", NULL, h);
	CU_ASSERT_EQUAL(r.status, 204);
	http_res_release(&r);
	http(&r, "GET", "/api/v1/auth/me", NULL, h);
	CU_ASSERT_EQUAL(r.status, 401);
	http_res_release(&r);
}

static void test_wrong_password_and_unknown_user_look_the_same(void)
{
	struct http_res a, b;

	clear_attempts();
	principal_login_with_token(NULL, "alice", "wrong password", &a);
	principal_login_with_token(NULL, "nobody-here", "wrong password", &b);
	CU_ASSERT_EQUAL(a.status, 401);
	CU_ASSERT_EQUAL(b.status, 401);
	CU_ASSERT_STRING_EQUAL(a.body.buf, b.body.buf);
	http_res_release(&a);
	http_res_release(&b);
	clear_attempts();
}

static void test_sixth_failed_login_is_429(void)
{
	struct http_res r;
	int i;

	clear_attempts();
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(principal_login_with_token(NULL, "alice", "nope", NULL), 401);
	/* even the right password now waits */
	principal_login_with_token(NULL, "alice", PASSWORD, &r);
	CU_ASSERT_EQUAL(r.status, 429);
	CU_ASSERT_TRUE(body_has(&r, "\"too_many_attempts\""));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
	CU_ASSERT(atoi(http_header(&r, "Retry-After")) > 0);
	http_res_release(&r);
	clear_attempts();
	CU_ASSERT_EQUAL(principal_login_with_token(NULL, "alice", PASSWORD, NULL), 200);
}

struct guess { long status; };

static void *guess_run(void *arg)
{
	struct guess *g = arg;

	g->status = principal_login_with_token(NULL, "alice", "parallel wrong guess", NULL);
	return NULL;
}

static void test_parallel_guesses_are_all_counted(void)
{
	struct guess g[10];
	pthread_t t[10];
	int i, refused = 0, throttled = 0;

	clear_attempts();
	for (i = 0; i < 10; i++)
		pthread_create(&t[i], NULL, guess_run, &g[i]);
	for (i = 0; i < 10; i++) {
		pthread_join(t[i], NULL);
		refused += g[i].status == 401;
		throttled += g[i].status == 429;
	}
	CU_ASSERT_EQUAL(refused, 5);
	CU_ASSERT_EQUAL(throttled, 5);
	clear_attempts();
}

static void test_pending_and_inactive_users_get_distinct_403s(void)
{
	struct http_res r;

	create_user("pat", "employee", true, false, NULL, NULL);
	create_user("ivy", "employee", false, true, NULL, NULL);
	principal_login_with_token(NULL, "pat", PASSWORD, &r);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"account_pending\""));
	http_res_release(&r);
	principal_login_with_token(NULL, "ivy", PASSWORD, &r);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"account_inactive\""));
	http_res_release(&r);
	/* without the right password they learn nothing */
	principal_login_with_token(NULL, "ivy", "wrong password", &r);
	CU_ASSERT_EQUAL(r.status, 401);
	http_res_release(&r);
	clear_attempts();
}

static void test_sessions_table_holds_no_raw_token(void)
{
	struct principal s;

	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "alice", PASSWORD, NULL), 200);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM sessions t WHERE t::text LIKE '%%%s%%'"
				 " OR encode(token_hash, 'escape') LIKE '%%%s%%'", s.token, s.token), 0);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM sessions WHERE token_hash = sha256('%s'::bytea)",
				 s.token), 1);
}

static void test_deactivating_a_user_ends_their_sessions(void)
{
	struct principal s;

	create_user("dora", "employee", true, true, NULL, NULL);
	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "dora", PASSWORD, NULL), 200);
	CU_ASSERT_EQUAL(me_status(&s), 200);
	sql("UPDATE users SET active = false WHERE username = 'dora'");
	CU_ASSERT_EQUAL(me_status(&s), 401);
}

static void test_signup_creates_a_pending_employee(void)
{
	static const char body[] =
		"{\"username\":\"newbie\",\"password\":\"long enough\",\"name\":\"New Bie\","
		"\"email\":\"newbie@example.com\"}";
	struct http_res r;

	http(&r, "POST", "/api/v1/auth/signup", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_TRUE(body_has(&r, "\"approved\" : false") || body_has(&r, "\"approved\":false"));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/signup",
	     "{\"username\":\"NewBie\",\"password\":\"long enough\",\"name\":\"Other\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT_TRUE(body_has(&r, "\"username_taken\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/signup",
	     "{\"username\":\"newbie2\",\"password\":\"long enough\",\"name\":\"Other\","
	     "\"email\":\"NEWBIE@example.com\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT_TRUE(body_has(&r, "\"email_taken\""));
	http_res_release(&r);
	http(&r, "POST", "/api/v1/auth/signup",
	     "{\"username\":\"x\",\"password\":\"short\",\"name\":\"\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 422);
	CU_ASSERT_TRUE(body_has(&r, "\"username\"") &&
		       body_has(&r, "\"password\"") && body_has(&r, "\"name\""));
	http_res_release(&r);
	CU_ASSERT_EQUAL(principal_login_with_token(NULL, "newbie", "long enough", NULL), 403);
	seed_settings("{\"signup_enabled\": false}");
	http(&r, "POST", "/api/v1/auth/signup",
	     "{\"username\":\"late\",\"password\":\"long enough\",\"name\":\"Late\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"signup_disabled\""));
	http_res_release(&r);
	seed_settings("{\"signup_enabled\": true}");
	clear_attempts();
}

static void test_idle_session_times_out(void)
{
	static const char *const env[] = { "EASYSHIFTS_SESSION_IDLE_TIMEOUT_S=2", NULL };
	struct principal s;

	serve_stop();
	CU_ASSERT_FATAL(serve_start(env) > 0);
	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "alice", PASSWORD, NULL), 200);
	CU_ASSERT_EQUAL(me_status(&s), 200);
	sleep_ms(3000);
	CU_ASSERT_EQUAL(me_status(&s), 401);
	serve_stop();
	CU_ASSERT_FATAL(serve_start(fake_google_env()) > 0);
}

/* --- Google --------------------------------------------------------------- */

static char *query_param(const char *url, const char *name)
{
	static char out[1024];
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "%s=", name);
	p = strstr(url, key);
	while (p && p != url && p[-1] != '?' && p[-1] != '&')
		p = strstr(p + 1, key);
	if (!p)
		return NULL;
	p += strlen(key);
	snprintf(out, sizeof(out), "%.*s", (int)strcspn(p, "&"), p);
	return out;
}

struct flow {
	long start_status;
	char state[128];
	char state_cookie[200];
	char authorize_url[4096];
	char callback_url[4096];
};

/* start → the provider's authorize (which answers at once with a code). */
static void flow_begin(struct flow *f, const char *next)
{
	struct http_res r;
	char path[1024];
	const char *v;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "/api/v1/auth/google/start?next=%s", next);
	http_get(&r, path);
	f->start_status = r.status;
	if ((v = http_header(&r, "Location")))
		snprintf(f->authorize_url, sizeof(f->authorize_url), "%s", v);
	if ((v = http_set_cookie(&r, "es_oauth_state"))) {
		snprintf(f->state, sizeof(f->state), "%s", v);
		snprintf(f->state_cookie, sizeof(f->state_cookie), "Cookie: es_oauth_state=%s", v);
	}
	http_res_release(&r);
	http_url(&r, "GET", f->authorize_url, NULL, NULL);
	if (r.status == 302 && (v = http_header(&r, "Location")))
		snprintf(f->callback_url, sizeof(f->callback_url), "%s", v);
	http_res_release(&r);
}

static void flow_finish(struct flow *f, struct http_res *r)
{
	const char *h[] = { f->state_cookie, NULL };

	http_url(r, "GET", f->callback_url, NULL, h);
}

static void test_code_flow_start_carries_state_nonce_and_pkce(void)
{
	struct flow f;

	create_user("gwen", "employee", true, true, "worker@example.com", "google-sub-1");
	flow_begin(&f, "/me.html");
	CU_ASSERT_EQUAL(f.start_status, 302);
	CU_ASSERT_PTR_NOT_NULL(query_param(f.authorize_url, "state"));
	CU_ASSERT_PTR_NOT_NULL(query_param(f.authorize_url, "nonce"));
	CU_ASSERT_PTR_NOT_NULL(query_param(f.authorize_url, "code_challenge"));
	CU_ASSERT_STRING_EQUAL(query_param(f.authorize_url, "code_challenge_method"), "S256");
	CU_ASSERT_STRING_EQUAL(query_param(f.authorize_url, "state"), f.state);
	CU_ASSERT_PTR_NOT_NULL(strstr(f.callback_url, "code="));
}

static void test_code_flow_happy_path_signs_in_and_goes_to_next(void)
{
	struct flow f;
	struct http_res r;
	struct principal s;

	flow_begin(&f, "/me.html");
	flow_finish(&f, &r);
	CU_ASSERT_EQUAL(r.status, 302);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), "/me.html");
	CU_ASSERT_PTR_NOT_NULL_FATAL(http_set_cookie(&r, "es_session"));
	snprintf(s.cookie, sizeof(s.cookie), "Cookie: es_session=%s", http_set_cookie(&r, "es_session"));
	http_res_release(&r);
	CU_ASSERT_EQUAL(me_status(&s), 200);
}

static void test_code_flow_wrong_or_replayed_state_is_400(void)
{
	struct flow f;
	struct http_res r;
	char wrong[4200];
	const char *h[] = { NULL, NULL };
	char *p;

	flow_begin(&f, "/me.html");
	/* a state that does not match the browser's cookie */
	snprintf(wrong, sizeof(wrong), "%s", f.callback_url);
	p = strstr(wrong, "state=");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p[6] = p[6] == 'A' ? 'B' : 'A';
	h[0] = f.state_cookie;
	http_url(&r, "GET", wrong, NULL, h);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_TRUE(body_has(&r, "\"invalid_state\""));
	http_res_release(&r);

	flow_finish(&f, &r);
	CU_ASSERT_EQUAL(r.status, 302);
	http_res_release(&r);
	flow_finish(&f, &r);   /* the same state again */
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_PTR_NULL(http_set_cookie(&r, "es_session"));
	http_res_release(&r);
}

static void test_code_flow_token_with_another_nonce_is_refused(void)
{
	struct flow f;
	struct http_res r;

	fake_google_control("{\"wrong_nonce\":true}");
	flow_begin(&f, "/me.html");
	flow_finish(&f, &r);
	fake_google_control("{\"wrong_nonce\":false}");
	CU_ASSERT_EQUAL(r.status, 302);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), "/?error=google_failed");
	CU_ASSERT_TRUE(http_set_cookie(&r, "es_session") == NULL ||
		       !*http_set_cookie(&r, "es_session"));
	http_res_release(&r);
}

static void test_code_flow_ignores_foreign_next(void)
{
	static const char *const nexts[] = { "//evil.example/x", "https://evil.example/",
					     "/%5Cevil.example", "javascript:alert(1)" };
	size_t i;

	for (i = 0; i < sizeof(nexts) / sizeof(nexts[0]); i++) {
		struct flow f;
		struct http_res r;

		flow_begin(&f, nexts[i]);
		flow_finish(&f, &r);
		CU_ASSERT_EQUAL(r.status, 302);
		CU_ASSERT_STRING_EQUAL(http_header(&r, "Location"), "/");
		http_res_release(&r);
	}
}

static void test_button_credential_signs_in_a_linked_user(void)
{
	char body[16500];
	struct http_res r;

	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}",
		 fake_google_mint("sub=google-sub-1&email=worker%40example.com"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "gwen"));
	CU_ASSERT_PTR_NOT_NULL(http_set_cookie(&r, "es_session"));
	http_res_release(&r);
}

static void test_button_refuses_bad_tokens_and_unknown_accounts(void)
{
	char body[16500];
	struct http_res r;
	const char *gcsrf[] = { "Content-Type: application/json", "Cookie: g_csrf_token=abc", NULL };

	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}", fake_google_mint("sub=stranger"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"account_not_found\""));
	http_res_release(&r);

	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}",
		 fake_google_mint("sub=google-sub-1&aud=someone-else"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT_TRUE(body_has(&r, "\"bad_audience\""));
	http_res_release(&r);

	http(&r, "POST", "/api/v1/auth/google", "{\"credential\":\"not.a.token\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 401);
	http_res_release(&r);

	snprintf(body, sizeof(body), "{\"credential\":\"%s\",\"g_csrf_token\":\"xyz\"}",
		 fake_google_mint("sub=google-sub-1"));
	http(&r, "POST", "/api/v1/auth/google", body, gcsrf);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"csrf_failed\""));
	http_res_release(&r);
}

static void test_linking_by_email_needs_a_verified_email_and_the_setting(void)
{
	char body[16500];
	struct http_res r;

	create_user("evan", "employee", true, true, "evan@example.com", NULL);
	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}",
		 fake_google_mint("sub=evan-sub&email=evan%40example.com&email_verified=true"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 403);   /* linking by email is off by default */
	http_res_release(&r);

	seed_settings("{\"google_link_by_email\": true}");
	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}",
		 fake_google_mint("sub=evan-sub&email=evan%40example.com&email_verified=false"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT_TRUE(body_has(&r, "\"account_not_found\""));
	http_res_release(&r);

	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}",
		 fake_google_mint("sub=evan-sub&email=EVAN%40example.com&email_verified=true"));
	http(&r, "POST", "/api/v1/auth/google", body, json_ct);
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);
	CU_ASSERT_EQUAL(sql_long("SELECT count(*) FROM users WHERE username = 'evan'"
				 " AND google_sub = 'evan-sub'"), 1);
	seed_settings("{\"google_link_by_email\": false}");
}

static void test_link_attaches_google_to_the_caller_once(void)
{
	struct principal s;
	char body[16500];

	create_user("lena", "manager", true, true, NULL, NULL);
	CU_ASSERT_EQUAL_FATAL(principal_login_with_token(&s, "lena", PASSWORD, NULL), 200);
	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}", fake_google_mint("sub=lena-sub"));
	CU_ASSERT_EQUAL(call(&s, "POST", "/api/v1/auth/google/link", body, NULL), 200);
	snprintf(body, sizeof(body), "{\"credential\":\"%s\"}", fake_google_mint("sub=google-sub-1"));
	CU_ASSERT_EQUAL(call(&s, "POST", "/api/v1/auth/google/link", body, NULL), 409);
}

static int suite_init(void)
{
	if (sodium_init() < 0 || e2e_init() || fake_google_start() < 0)
		return 1;
	sql("DELETE FROM sessions");
	sql("DELETE FROM oauth_states");
	sql("DELETE FROM login_attempts");
	sql("DELETE FROM certifications");
	sql("DELETE FROM users");
	return serve_start(fake_google_env()) > 0 ? 0 : 1;
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "login, me, logout", test_login_me_logout },
		{ "session cookie attributes", test_session_cookie_attributes },
		{ "CSRF missing or wrong is 403", test_csrf_missing_or_wrong_is_403 },
		{ "Bearer token works without CSRF", test_bearer_token_works_without_csrf },
		{ "wrong password and unknown user look the same", test_wrong_password_and_unknown_user_look_the_same },
		{ "sixth failed login is 429", test_sixth_failed_login_is_429 },
		{ "parallel guesses are all counted", test_parallel_guesses_are_all_counted },
		{ "pending and inactive users get distinct 403s", test_pending_and_inactive_users_get_distinct_403s },
		{ "sessions table holds no raw token", test_sessions_table_holds_no_raw_token },
		{ "deactivating a user ends their sessions", test_deactivating_a_user_ends_their_sessions },
		{ "signup creates a pending employee", test_signup_creates_a_pending_employee },
		{ "idle session times out", test_idle_session_times_out },
		{ "code flow: start carries state, nonce and PKCE", test_code_flow_start_carries_state_nonce_and_pkce },
		{ "code flow: happy path signs in and goes to next", test_code_flow_happy_path_signs_in_and_goes_to_next },
		{ "code flow: wrong or replayed state is 400", test_code_flow_wrong_or_replayed_state_is_400 },
		{ "code flow: token with another nonce is refused", test_code_flow_token_with_another_nonce_is_refused },
		{ "code flow: foreign next is ignored", test_code_flow_ignores_foreign_next },
		{ "button credential signs in a linked user", test_button_credential_signs_in_a_linked_user },
		{ "button refuses bad tokens and unknown accounts", test_button_refuses_bad_tokens_and_unknown_accounts },
		{ "linking by email needs a verified email and the setting", test_linking_by_email_needs_a_verified_email_and_the_setting },
		{ "link attaches Google to the caller once", test_link_attaches_google_to_the_caller_once },
		{ NULL, NULL },
	};

	return cu_run("e2e auth", suite_init, e2e_done, tests);
}
