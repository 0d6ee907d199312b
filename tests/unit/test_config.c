#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/errors.h"
#include "tests/lib/cu.h"

static char path[] = "/tmp/es-config-XXXXXX";

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static int setup(void)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

static int teardown(void)
{
	unlink(path);
	return 0;
}

static void test_defaults_are_valid(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	CU_ASSERT_EQUAL(config_load(&cfg, NULL, false, &err), 0);
	CU_ASSERT_EQUAL(cfg.max_body_bytes, 1048576);
	CU_ASSERT_EQUAL(cfg.pool_recycle_s, 3600);
	CU_ASSERT_TRUE(cfg.cookie_secure);
	CU_ASSERT_STRING_EQUAL(cfg.google_jwks_url, "https://www.googleapis.com/oauth2/v3/certs");
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_file_values_are_read(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	write_file("# comment\n\nworkers = 3\n  threads=5  \ndatabase = \"host=/tmp dbname=x\"\n"
		   "cookie_secure = off\n");
	CU_ASSERT_EQUAL(config_load(&cfg, path, true, &err), 0);
	CU_ASSERT_EQUAL(cfg.workers, 3);
	CU_ASSERT_EQUAL(cfg.threads, 5);
	CU_ASSERT_STRING_EQUAL(cfg.database, "host=/tmp dbname=x");
	CU_ASSERT_FALSE(cfg.cookie_secure);
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_environment_overrides_file(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	write_file("workers = 3\n");
	setenv("EASYSHIFTS_WORKERS", "7", 1);
	setenv("EASYSHIFTS_DEBUG_ROUTES", "true", 1);
	CU_ASSERT_EQUAL(config_load(&cfg, path, true, &err), 0);
	CU_ASSERT_EQUAL(cfg.workers, 7);
	CU_ASSERT_TRUE(cfg.debug_routes);
	unsetenv("EASYSHIFTS_WORKERS");
	unsetenv("EASYSHIFTS_DEBUG_ROUTES");
	config_release(&cfg);
	strbuf_release(&err);
}

static void expect_error(const char *file, const char *needle)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	write_file(file);
	CU_ASSERT_EQUAL(config_load(&cfg, path, true, &err), ES_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, needle));
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_bad_values_name_the_key(void)
{
	expect_error("workers = many\n", "workers");
	expect_error("workers = 0\n", "workers");
	expect_error("pool_size = 12abc\n", "pool_size");
	expect_error("cookie_secure = maybe\n", "cookie_secure");
	expect_error("no_such_key = 1\n", "no_such_key");
	expect_error("log_level = loud\n", "log_level");
	expect_error("listen_mode = 999\n", "listen_mode");
	expect_error("just words\n", ":1:");
}

static void test_bad_environment_value_names_the_variable(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	setenv("EASYSHIFTS_POOL_TIMEOUT_MS", "-5", 1);
	CU_ASSERT_EQUAL(config_load(&cfg, NULL, false, &err), ES_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "EASYSHIFTS_POOL_TIMEOUT_MS"));
	unsetenv("EASYSHIFTS_POOL_TIMEOUT_MS");
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_missing_required_file_is_an_error(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;

	CU_ASSERT_EQUAL(config_load(&cfg, "/nonexistent/es.conf", true, &err), ES_EINVAL);
	config_release(&cfg);
	strbuf_reset(&err);
	CU_ASSERT_EQUAL(config_load(&cfg, "/nonexistent/es.conf", false, &err), 0);
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_booleans_accept_every_spelling(void)
{
	static const char *const yes[] = { "1", "true", "on", "TRUE", "On", "yes" };
	static const char *const no[] = { "0", "false", "off", "FALSE", "Off", "no" };
	bool v;
	size_t i;

	for (i = 0; i < 6; i++) {
		CU_ASSERT_TRUE(config_parse_bool(yes[i], &v) && v);
		CU_ASSERT_TRUE(config_parse_bool(no[i], &v) && !v);
	}
	CU_ASSERT_FALSE(config_parse_bool("2", &v));
	CU_ASSERT_FALSE(config_parse_bool("", &v));
}

static void test_print_masks_secrets(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT;
	char buf[8192] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	write_file("database = host=/tmp password=hunter2\ngoogle_client_secret = s3cret\n");
	CU_ASSERT_EQUAL(config_load(&cfg, path, true, &err), 0);
	config_print(&cfg, f);
	fclose(f);
	CU_ASSERT_PTR_NULL(strstr(buf, "hunter2"));
	CU_ASSERT_PTR_NULL(strstr(buf, "s3cret"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "google_client_secret = ********"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "workers = 2"));
	config_release(&cfg);
	strbuf_release(&err);
}

static void test_defaults_neither_wait_nor_churn(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;

	CU_ASSERT_EQUAL(config_load(&cfg, NULL, false, &err), 0);
	CU_ASSERT_TRUE(cfg.threads <= cfg.pool_size + cfg.pool_max_overflow);
	CU_ASSERT_TRUE(cfg.pool_overflow_idle_s > 0);
	CU_ASSERT_EQUAL(config_warnings(&cfg, &warn), 0);
	CU_ASSERT_EQUAL(warn.len, 0);
	config_release(&cfg);
	strbuf_release(&err);
	strbuf_release(&warn);
}

static void test_warnings_name_waiting_threads_and_churn(void)
{
	struct config cfg;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;

	CU_ASSERT_EQUAL(config_load(&cfg, NULL, false, &err), 0);
	cfg.threads = 16;
	cfg.pool_size = 4;
	cfg.pool_max_overflow = 2;
	cfg.pool_overflow_idle_s = 0;
	CU_ASSERT_EQUAL(config_warnings(&cfg, &warn), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(warn.buf, "threads (16) exceed pool_size + pool_max_overflow (6)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(warn.buf, "pool_overflow_idle_s = 0"));
	config_release(&cfg);
	strbuf_release(&err);
	strbuf_release(&warn);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "defaults are valid", test_defaults_are_valid },
		{ "file values are read", test_file_values_are_read },
		{ "environment overrides file", test_environment_overrides_file },
		{ "bad values name the key", test_bad_values_name_the_key },
		{ "bad environment value names the variable", test_bad_environment_value_names_the_variable },
		{ "missing required file is an error", test_missing_required_file_is_an_error },
		{ "booleans accept every spelling", test_booleans_accept_every_spelling },
		{ "print masks secrets", test_print_masks_secrets },
		{ "defaults neither wait nor churn", test_defaults_neither_wait_nor_churn },
		{ "warnings name waiting threads and churn", test_warnings_name_waiting_threads_and_churn },
		{ NULL, NULL },
	};

	return cu_run("config", setup, teardown, tests);
}
