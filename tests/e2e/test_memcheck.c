/*
 * The server under valgrind: the same kinds of requests as the runtime suite
 * (good, refused, malformed, database work, rollbacks), then a graceful stop;
 * the master's and every worker's valgrind report must show no invalid
 * access and no leaked block.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/harness.h"
#include "tests/lib/cu.h"

static char vgdir[1024];

static int suite_init(void)
{
	static char wrapper[3072];
	const char *run = getenv("ES_E2E_RUN");

	if (!run || strlen(run) > 900)
		return 1;
	snprintf(vgdir, sizeof(vgdir), "%s/valgrind", run);
	if (mkdir(vgdir, 0755) && errno != EEXIST)
		return 1;
	snprintf(wrapper, sizeof(wrapper),
		 "valgrind --leak-check=full --show-leak-kinds=definite,indirect "
		 "--num-callers=30 --log-file='%s/vg.%%p.log'", vgdir);
	setenv("ES_E2E_WRAPPER", wrapper, 1);
	return e2e_init();
}

static int suite_done(void)
{
	e2e_done();
	return 0;
}

static void exercise(void)
{
	static const char *const json_ct[] = { "Content-Type: application/json", NULL };
	static const char *const text_ct[] = { "Content-Type: text/plain", NULL };
	struct http_res r;
	int i;

	for (i = 0; i < 3; i++) {
		http_get(&r, "/healthz");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http_get(&r, "/readyz");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http_get(&r, "/status?format=prometheus");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{\"a\":[1,{\"b\":\"\xc3\xa9\"}]}", json_ct);
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{\"a\":", json_ct);
		CU_ASSERT_EQUAL(r.status, 400);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/echo", "{}", text_ct);
		CU_ASSERT_EQUAL(r.status, 415);
		http_res_release(&r);
		http_get(&r, "/api/v1/nowhere?x=%41%42");
		CU_ASSERT_EQUAL(r.status, 404);
		http_res_release(&r);
		http(&r, "PUT", "/readyz", NULL, NULL);
		CU_ASSERT_EQUAL(r.status, 405);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"commit\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 201);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"refuse\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 409);
		http_res_release(&r);
		http(&r, "POST", "/api/v1/debug/tx", "{\"tag\":\"vg\",\"then\":\"fail\"}", json_ct);
		CU_ASSERT_EQUAL(r.status, 422);
		http_res_release(&r);
		http_get(&r, "/api/v1/debug/sleep?ms=10");
		CU_ASSERT_EQUAL(r.status, 200);
		http_res_release(&r);
	}
}

/* Returns how many reports were read; adds their error and leak totals. */
static int read_reports(long *errors, long *lost)
{
	DIR *d = opendir(vgdir);
	struct dirent *de;
	int n = 0;

	*errors = *lost = 0;
	while (d && (de = readdir(d))) {
		char path[2048], line[1024];
		FILE *f;

		if (strncmp(de->d_name, "vg.", 3))
			continue;
		snprintf(path, sizeof(path), "%s/%s", vgdir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n++;
		while (fgets(line, sizeof(line), f)) {
			char *p;

			if ((p = strstr(line, "ERROR SUMMARY: ")))
				*errors += atol(p + strlen("ERROR SUMMARY: "));
			if ((p = strstr(line, "definitely lost: ")))
				*lost += atol(p + strlen("definitely lost: "));
			if ((p = strstr(line, "indirectly lost: ")))
				*lost += atol(p + strlen("indirectly lost: "));
		}
		fclose(f);
		if (*errors || *lost)
			fprintf(stderr, "valgrind report with findings: %s\n", path);
	}
	if (d)
		closedir(d);
	return n;
}

static void test_worker_and_master_are_clean_under_valgrind(void)
{
	static const char *const env[] = { "EASYSHIFTS_WORKERS=1", "EASYSHIFTS_THREADS=2",
		"EASYSHIFTS_POOL_SIZE=2", "EASYSHIFTS_POOL_TIMEOUT_MS=20000", NULL };
	long errors, lost;

	CU_ASSERT_FATAL(serve_start(env) > 0);
	exercise();
	CU_ASSERT_EQUAL(serve_stop(), 0);
	CU_ASSERT(read_reports(&errors, &lost) >= 2);   /* the master and the worker */
	CU_ASSERT_EQUAL(errors, 0);
	CU_ASSERT_EQUAL(lost, 0);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "worker and master are clean under valgrind", test_worker_and_master_are_clean_under_valgrind },
		{ NULL, NULL },
	};

	return cu_run("e2e memcheck", suite_init, suite_done, tests);
}
