/*
 * The runtime end to end: nginx (project config) -> easyshifts serve ->
 * PostgreSQL. Each test starts the server with the settings it needs.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/harness.h"
#include "tests/e2e/json_at.h"
#include "tests/lib/cu.h"
#include "tests/lib/sql.h"

static void start(const char *const *env)
{
	CU_ASSERT_FATAL(serve_start(env) > 0);
}

static void stop(void)
{
	CU_ASSERT_EQUAL(serve_stop(), 0);
}

static void test_bad_input_gets_clear_errors_with_request_ids(void)
{
	static const char *const env[] = { "EASYSHIFTS_MAX_BODY_BYTES=4096", NULL };
	static const char *const text_ct[] = { "Content-Type: text/plain", NULL };
	struct http_res r;
	char *big = malloc(8001);

	start(env);
	memset(big, ' ', 8000);
	big[0] = '{';
	big[7999] = '}';
	big[8000] = '\0';
	http(&r, "POST", "/api/v1/debug/echo", big, json_ct);
	CU_ASSERT_EQUAL(r.status, 413);
	CU_ASSERT_TRUE(body_has(&r, "\"payload_too_large\""));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);
	free(big);

	http(&r, "POST", "/api/v1/debug/echo", "{\"a\":1}", text_ct);
	CU_ASSERT_EQUAL(r.status, 415);
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);

	http(&r, "POST", "/api/v1/debug/echo", "{\"a\":", json_ct);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_TRUE(body_has(&r, "\"malformed_json\""));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);

	http(&r, "POST", "/api/v1/debug/echo", "{\"name\":\"\xc3\x28\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 400);
	CU_ASSERT_TRUE(body_has(&r, "\"invalid_utf8\""));
	http_res_release(&r);

	http_get(&r, "/api/v1/no/such/route");
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT_TRUE(body_has(&r, "{\"error\":{\"code\":\"not_found\""));
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);

	http(&r, "DELETE", "/healthz", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 405);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Allow"), "GET");
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);

	http(&r, "POST", "/api/v1/debug/echo", "{\"ok\":[1,2,\"\xf0\x9f\x98\x80\"]}", json_ct);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.body.buf, "{\"ok\":[1,2,\"\xf0\x9f\x98\x80\"]}");
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "X-Request-Id"));
	http_res_release(&r);
	stop();
}

static void test_request_id_is_unique_per_request(void)
{
	struct http_res a, b;
	char first[128];

	start(NULL);
	http_get(&a, "/healthz");
	http_get(&b, "/healthz");
	CU_ASSERT_PTR_NOT_NULL_FATAL(http_header(&a, "X-Request-Id"));
	snprintf(first, sizeof(first), "%s", http_header(&a, "X-Request-Id"));
	CU_ASSERT_STRING_NOT_EQUAL(first, http_header(&b, "X-Request-Id"));
	http_res_release(&a);
	http_res_release(&b);
	stop();
}

static void test_more_concurrent_requests_than_connections_all_succeed(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=8",
		"EASYSHIFTS_POOL_SIZE=2", "EASYSHIFTS_POOL_MAX_OVERFLOW=0",
		"EASYSHIFTS_POOL_TIMEOUT_MS=10000", NULL };
	struct http_res res[8];
	int i, ok = 0;

	start(env);
	http_parallel(8, "/api/v1/debug/sleep?ms=300", res);
	for (i = 0; i < 8; i++) {
		ok += res[i].status == 200;
		http_res_release(&res[i]);
	}
	CU_ASSERT_EQUAL(ok, 8);
	CU_ASSERT_TRUE(sql_long("SELECT count(*) FROM pg_stat_activity"
				" WHERE application_name = 'easyshifts'") <= 2);
	stop();
}

struct bg { const char *path; struct http_res res; pthread_t t; };

static void *bg_run(void *arg)
{
	struct bg *b = arg;

	http_get(&b->res, b->path);
	return NULL;
}

static void bg_start(struct bg *b, const char *path)
{
	b->path = path;
	pthread_create(&b->t, NULL, bg_run, b);
}

static void test_exhausted_pool_gives_503_after_the_acquire_timeout(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=4",
		"EASYSHIFTS_POOL_SIZE=1", "EASYSHIFTS_POOL_MAX_OVERFLOW=0",
		"EASYSHIFTS_POOL_TIMEOUT_MS=300", NULL };
	struct bg hold;
	struct http_res r;

	start(env);
	bg_start(&hold, "/api/v1/debug/sleep?ms=2500");
	sleep_ms(500);
	http_get(&r, "/api/v1/debug/backend");
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Retry-After"), "1");
	CU_ASSERT_TRUE(body_has(&r, "\"server_busy\""));
	CU_ASSERT(r.seconds >= 0.25);
	CU_ASSERT(r.seconds < 1.9);
	http_res_release(&r);
	pthread_join(hold.t, NULL);
	CU_ASSERT_EQUAL(hold.res.status, 200);
	http_res_release(&hold.res);
	stop();
}

static long easyshifts_backends(void)
{
	return sql_long("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'easyshifts'");
}

static void test_overflow_connections_close_once_idle(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=6",
		"EASYSHIFTS_POOL_SIZE=1", "EASYSHIFTS_POOL_MAX_OVERFLOW=2",
		"EASYSHIFTS_POOL_OVERFLOW_IDLE_S=3", "EASYSHIFTS_POOL_TIMEOUT_MS=5000", NULL };
	struct http_res res[3];
	long n = -1;
	double deadline;
	int i, ok = 0;

	start(env);
	http_parallel(3, "/api/v1/debug/sleep?ms=600", res);
	for (i = 0; i < 3; i++) {
		ok += res[i].status == 200;
		http_res_release(&res[i]);
	}
	CU_ASSERT_EQUAL(ok, 3);
	/* kept for the next burst (idle for at least 2.4 s with jitter) */
	CU_ASSERT_EQUAL(easyshifts_backends(), 3);
	deadline = now_s() + 10;
	while (now_s() < deadline) {
		n = easyshifts_backends();
		if (n == 1)
			break;
		sleep_ms(100);
	}
	CU_ASSERT_EQUAL(n, 1);
	stop();
}

static long backend_pid(void)
{
	struct http_res r;
	long pid;

	http_get(&r, "/api/v1/debug/backend");
	pid = r.status == 200 ? (long)body_int_at(&r, "backend_pid") : -1;
	http_res_release(&r);
	return pid;
}

static void test_database_down_fails_fast_and_recovers_without_restart(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=2", "EASYSHIFTS_THREADS=4",
		"EASYSHIFTS_POOL_SIZE=2", "EASYSHIFTS_POOL_TIMEOUT_MS=2000", NULL };
	pid_t before[8], after[8];
	struct http_res r;
	int nb, na, i, ok;
	double deadline;

	start(env);
	for (i = 0; i < 6; i++)
		CU_ASSERT(backend_pid() > 0);
	nb = worker_pids(before, 8);
	CU_ASSERT_EQUAL(nb, 2);

	CU_ASSERT_EQUAL_FATAL(stack("pg-stop", NULL), 0);
	http_get(&r, "/readyz");
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT(r.seconds < 1.0);
	CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
	http_res_release(&r);
	for (i = 0; i < 10; i++) {
		http_get(&r, "/api/v1/debug/backend");
		CU_ASSERT_EQUAL(r.status, 503);
		CU_ASSERT(r.seconds < 2.0);
		CU_ASSERT_TRUE(body_has(&r, "\"database_unavailable\""));
		http_res_release(&r);
	}
	http_get(&r, "/healthz");
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);

	CU_ASSERT_EQUAL_FATAL(stack("pg-start", NULL), 0);
	/* within 5 s every worker serves again: ten database requests in a row succeed */
	deadline = now_s() + 5;
	ok = 0;
	while (now_s() < deadline && ok < 10) {
		ok = backend_pid() > 0 ? ok + 1 : 0;
		if (!ok)
			sleep_ms(100);
	}
	CU_ASSERT_EQUAL(ok, 10);
	http_get(&r, "/readyz");
	CU_ASSERT_EQUAL(r.status, 200);
	http_res_release(&r);
	na = worker_pids(after, 8);
	CU_ASSERT_EQUAL(na, nb);
	for (i = 0; i < na && i < nb; i++)
		CU_ASSERT_EQUAL(after[i], before[i]);
	stop();
}

static void test_recycle_age_replaces_backend_connections(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=2",
		"EASYSHIFTS_POOL_SIZE=1", "EASYSHIFTS_POOL_MAX_OVERFLOW=0",
		"EASYSHIFTS_POOL_RECYCLE_S=1", NULL };
	long first, again, later;

	start(env);
	first = backend_pid();
	again = backend_pid();
	CU_ASSERT(first > 0);
	CU_ASSERT_EQUAL(again, first);
	sleep_ms(1300);
	later = backend_pid();
	CU_ASSERT(later > 0);
	CU_ASSERT_NOT_EQUAL(later, first);
	stop();
}

static void test_killed_worker_is_respawned_and_service_goes_on(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=2", NULL };
	pid_t before[8], after[8];
	struct http_res r;
	double deadline;
	int n, i, ok = 0;

	start(env);
	n = worker_pids(before, 8);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	kill(before[0], SIGKILL);
	deadline = now_s() + 5;
	while (now_s() < deadline) {
		n = worker_pids(after, 8);
		if (n == 2 && after[0] != before[0] && after[1] == before[1])
			break;
		sleep_ms(50);
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_NOT_EQUAL(after[0], before[0]);
	CU_ASSERT_EQUAL(after[1], before[1]);
	for (i = 0; i < 20; i++) {
		http_get(&r, "/readyz");
		ok += r.status == 200;
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL(ok, 20);
	stop();
}

static void test_sigterm_lets_the_slow_request_finish_then_exits_zero(void)
{
	struct bg slow;

	start(NULL);
	bg_start(&slow, "/api/v1/debug/sleep?ms=1500");
	sleep_ms(400);
	CU_ASSERT_EQUAL(serve_stop(), 0);
	pthread_join(slow.t, NULL);
	CU_ASSERT_EQUAL(slow.res.status, 200);
	CU_ASSERT_TRUE(body_has(&slow.res, "slept"));
	http_res_release(&slow.res);
}

static void test_max_requests_replaces_workers(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=2",
		"EASYSHIFTS_MAX_REQUESTS=20", NULL };
	pid_t before[4], after[4];
	struct http_res r;
	int i, ok = 0;

	start(env);
	CU_ASSERT_EQUAL_FATAL(worker_pids(before, 4), 1);
	for (i = 0; i < 60; i++) {
		http_get(&r, "/healthz");
		ok += r.status == 200;
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL(ok, 60);
	CU_ASSERT_EQUAL(worker_pids(after, 4), 1);
	CU_ASSERT_NOT_EQUAL(after[0], before[0]);
	stop();
}

static void test_sighup_replaces_every_worker(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=2", NULL };
	pid_t before[4], after[4];
	struct http_res r;
	double deadline;
	int n = 0, i, ok = 0;

	start(env);
	CU_ASSERT_EQUAL_FATAL(worker_pids(before, 4), 2);
	kill(serve_pid(), SIGHUP);
	deadline = now_s() + 10;
	while (now_s() < deadline) {
		n = worker_pids(after, 4);
		if (n == 2 && after[0] != before[0] && after[1] != before[1])
			break;
		sleep_ms(50);
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_NOT_EQUAL(after[0], before[0]);
	CU_ASSERT_NOT_EQUAL(after[1], before[1]);
	for (i = 0; i < 10; i++) {
		http_get(&r, "/readyz");
		ok += r.status == 200;
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL(ok, 10);
	stop();
}

static void test_sighup_rereads_the_config_file(void)
{
	char path[1024], setting[1100];
	const char *env[] = { setting, NULL };
	pid_t pids[8];
	double deadline;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/reload.conf", getenv("ES_E2E_RUN"));
	snprintf(setting, sizeof(setting), "EASYSHIFTS_CONFIG=%s", path);
	f = fopen(path, "w");
	fputs("workers = 1\n", f);
	fclose(f);
	start(env);
	CU_ASSERT_EQUAL(worker_pids(pids, 8), 1);
	f = fopen(path, "w");
	fputs("workers = 3\n", f);
	fclose(f);
	kill(serve_pid(), SIGHUP);
	deadline = now_s() + 10;
	while (now_s() < deadline && (n = worker_pids(pids, 8)) != 3)
		sleep_ms(50);
	CU_ASSERT_EQUAL(n, 3);
	stop();
}

static void test_status_reports_workers_and_pool_counters(void)
{
	struct http_res r;

	start(NULL);
	http_get(&r, "/readyz");
	http_res_release(&r);
	http_get(&r, "/status");
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "\"workers\":[{"));
	CU_ASSERT_TRUE(body_has(&r, "\"acquires\":"));
	CU_ASSERT_TRUE(body_has(&r, "\"connect_failures\":"));
	CU_ASSERT_TRUE(body_has(&r, "\"connects\":"));
	CU_ASSERT_TRUE(body_has(&r, "\"closes\":"));
	http_res_release(&r);
	http_get(&r, "/status?format=prometheus");
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_TRUE(body_has(&r, "easyshifts_pool_acquires_total{slot=\"0\"}"));
	CU_ASSERT_TRUE(body_has(&r, "easyshifts_pool_connects_total{slot=\"0\"}"));
	CU_ASSERT_TRUE(body_has(&r, "easyshifts_pool_closes_total{slot=\"0\"}"));
	CU_ASSERT_TRUE(body_has(&r, "easyshifts_worker_requests_total{"));
	CU_ASSERT_PTR_NOT_NULL(strstr(http_header(&r, "Content-Type"), "text/plain"));
	http_res_release(&r);
	stop();
}

/* Runs an easyshifts subcommand with the suite's scoreboard; output in out, exit status returned. */
static int run_command(const char *args, char *out, size_t cap)
{
	char cmd[4096];
	size_t n;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "EASYSHIFTS_SCOREBOARD_PATH='%s/easyshifts.scoreboard' "
		 "timeout 20 '%s/easyshifts' %s 2>&1",
		 getenv("ES_E2E_RUN"), getenv("ES_E2E_BUILD"), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_status_command_reads_the_live_scoreboard(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=2", NULL };
	char out[16384], path[1100], pid[32];
	struct json_object *root, *v;
	pid_t pids[4];
	struct http_res r;
	struct stat st;
	int i;

	start(env);
	for (i = 0; i < 5; i++) {
		http_get(&r, "/readyz");
		http_res_release(&r);
	}
	CU_ASSERT_EQUAL_FATAL(worker_pids(pids, 4), 2);
	snprintf(path, sizeof(path), "%s/easyshifts.scoreboard", getenv("ES_E2E_RUN"));
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0640);

	CU_ASSERT_EQUAL(run_command("status --json", out, sizeof(out)), 0);
	snprintf(pid, sizeof(pid), "\"pid\":%d,", (int)pids[1]);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, pid));
	root = json_tokener_parse(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "master_pid", &v) &&
		       json_object_get_int(v) == serve_pid());
	CU_ASSERT_TRUE(json_object_object_get_ex(root, "requests", &v) && json_object_get_int(v) >= 5);
	json_object_put(root);

	CU_ASSERT_EQUAL(run_command("status", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "master pid:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "2 running, 2 configured"));
	snprintf(pid, sizeof(pid), " %d ", (int)pids[1]);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, pid));
	stop();
	CU_ASSERT_EQUAL(run_command("status", out, sizeof(out)), 3);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
}

static void test_second_master_on_the_same_scoreboard_refuses_to_start(void)
{
	char out[4096];

	start(NULL);
	CU_ASSERT_EQUAL(run_command("serve", out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "event=scoreboard_failed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "in use by another easyshifts serve"));
	stop();
}

/* The audit rows the request that carried tag wrote. */
static long audit_rows(const char *tag)
{
	return (long)sql_long("SELECT count(*) FROM audit_log WHERE request_id = '%s'", tag);
}

static void test_scope_commits_or_leaves_nothing(void)
{
	struct http_res r;

	start(NULL);
	http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"e2e-commit\",\"then\":\"commit\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 201);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_rows("e2e-commit"), 1);

	http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"e2e-refuse\",\"then\":\"refuse\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 409);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_rows("e2e-refuse"), 0);

	http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"e2e-fail\",\"then\":\"fail\"}", json_ct);
	CU_ASSERT_EQUAL(r.status, 422);
	http_res_release(&r);
	CU_ASSERT_EQUAL(audit_rows("e2e-fail"), 0);
	stop();
}

static bool file_contains(const char *path, const char *needle)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen(path, "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	return found;
}

static void test_sigusr1_reopens_the_log_file(void)
{
	char logpath[1024], rotated[1100], setting[1100], rid[128];
	const char *env[3] = { setting, "EASYSHIFTS_WORKERS=1", NULL };
	struct http_res r;
	double deadline;
	bool found = false;

	snprintf(logpath, sizeof(logpath), "%s/app.log", getenv("ES_E2E_RUN"));
	snprintf(rotated, sizeof(rotated), "%s.1", logpath);
	snprintf(setting, sizeof(setting), "EASYSHIFTS_LOG_FILE=%s", logpath);
	unlink(logpath);
	start(env);
	CU_ASSERT_EQUAL_FATAL(rename(logpath, rotated), 0);
	kill(serve_pid(), SIGUSR1);
	deadline = now_s() + 5;
	while (now_s() < deadline && !found) {
		http_get(&r, "/healthz");
		snprintf(rid, sizeof(rid), "req_id=%s", http_header(&r, "X-Request-Id"));
		http_res_release(&r);
		found = file_contains(logpath, rid);
		if (!found)
			sleep_ms(50);
	}
	CU_ASSERT_TRUE(found);
	CU_ASSERT_TRUE(file_contains(rotated, "event=worker_ready"));
	stop();
	CU_ASSERT_TRUE(file_contains(logpath, "event=master_exit"));
}

static void test_check_config_names_the_bad_key(void)
{
	char cmd[2048], out[4096] = "";
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "EASYSHIFTS_POOL_SIZE=lots '%s/easyshifts' check-config 2>&1",
		 getenv("ES_E2E_BUILD"));
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	fread(out, 1, sizeof(out) - 1, p);
	status = pclose(p);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "pool_size"));
	snprintf(cmd, sizeof(cmd), "EASYSHIFTS_DATABASE='dbname=x password=topsecret' "
		 "'%s/easyshifts' check-config 2>&1", getenv("ES_E2E_BUILD"));
	p = popen(cmd, "r");
	memset(out, 0, sizeof(out));
	fread(out, 1, sizeof(out) - 1, p);
	status = pclose(p);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_PTR_NULL(strstr(out, "topsecret"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "max_body_bytes = 1048576"));
}

static int suite_init(void)
{
	return e2e_init();
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "bad input gets clear errors with request ids", test_bad_input_gets_clear_errors_with_request_ids },
		{ "request id is unique per request", test_request_id_is_unique_per_request },
		{ "more concurrent requests than connections all succeed", test_more_concurrent_requests_than_connections_all_succeed },
		{ "exhausted pool gives 503 after the acquire timeout", test_exhausted_pool_gives_503_after_the_acquire_timeout },
		{ "overflow connections close once idle", test_overflow_connections_close_once_idle },
		{ "database down fails fast and recovers without restart", test_database_down_fails_fast_and_recovers_without_restart },
		{ "recycle age replaces backend connections", test_recycle_age_replaces_backend_connections },
		{ "killed worker is respawned and service goes on", test_killed_worker_is_respawned_and_service_goes_on },
		{ "SIGTERM lets the slow request finish, then exits 0", test_sigterm_lets_the_slow_request_finish_then_exits_zero },
		{ "max_requests replaces workers", test_max_requests_replaces_workers },
		{ "SIGHUP replaces every worker", test_sighup_replaces_every_worker },
		{ "SIGHUP re-reads the config file", test_sighup_rereads_the_config_file },
		{ "status reports workers and pool counters", test_status_reports_workers_and_pool_counters },
		{ "status command reads the live scoreboard", test_status_command_reads_the_live_scoreboard },
		{ "second master on the same scoreboard refuses to start", test_second_master_on_the_same_scoreboard_refuses_to_start },
		{ "scope commits or leaves nothing", test_scope_commits_or_leaves_nothing },
		{ "SIGUSR1 reopens the log file", test_sigusr1_reopens_the_log_file },
		{ "check-config names the bad key", test_check_config_names_the_bad_key },
		{ NULL, NULL },
	};

	return cu_run("e2e runtime", suite_init, e2e_done, tests);
}
