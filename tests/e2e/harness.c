#include "tests/e2e/harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/sql.h"

static const char *run_dir, *top_dir, *database;
static int nginx_port;
static char base_url_text[256];
static pid_t master = -1;

const char *const json_ct[] = { "Content-Type: application/json", NULL };

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *rfc3339_from_now(long seconds)
{
	static char ring[8][32];
	static unsigned next;
	char *out = ring[next++ % 8];
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof(ring[0]), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static int free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(fd, (struct sockaddr *)&sa, &len);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int stack(const char *cmd, const char *args)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	strbuf_addf(&sb, "'%s/tests/stack' %s '%s' %s", top_dir, cmd, run_dir, args ? args : "");
	rc = system(sb.buf);
	strbuf_release(&sb);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int e2e_init(void)
{
	char port[16];

	run_dir = getenv("ES_E2E_RUN");
	top_dir = getenv("ES_E2E_TOP");
	database = getenv("ES_TEST_DATABASE");
	if (!run_dir || !top_dir || !database) {
		fprintf(stderr, "run the end-to-end suites through tests/e2e/run\n");
		return -1;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	signal(SIGPIPE, SIG_IGN);
	nginx_port = free_port();
	snprintf(port, sizeof(port), "%d", nginx_port);
	snprintf(base_url_text, sizeof(base_url_text), "http://127.0.0.1:%d", nginx_port);
	return stack("nginx-start", port) ? -1 : 0;
}

int e2e_done(void)
{
	if (master > 0)
		serve_stop();
	fake_google_stop();
	stack("nginx-stop", NULL);
	sql_close();
	return 0;
}

pid_t serve_pid(void)
{
	return master;
}

pid_t serve_start(const char *const *env)
{
	char sock[1024], logpath[1024], scoreboard[1100];
	struct http_res res;
	double deadline;
	pid_t pid;

	snprintf(sock, sizeof(sock), "%s/easyshifts.sock", run_dir);
	snprintf(logpath, sizeof(logpath), "%s/serve.log", run_dir);
	snprintf(scoreboard, sizeof(scoreboard), "%s/easyshifts.scoreboard", run_dir);
	unlink(sock);
	pid = fork();
	if (pid == 0) {
		const char *wrapper = getenv("ES_E2E_WRAPPER");
		char bin[1024];
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		setenv("EASYSHIFTS_LISTEN", sock, 1);
		setenv("EASYSHIFTS_SCOREBOARD_PATH", scoreboard, 1);
		setenv("EASYSHIFTS_DATABASE", database, 1);
		setenv("EASYSHIFTS_DEBUG_ROUTES", "on", 1);
		setenv("EASYSHIFTS_LISTEN_MODE", "0666", 1);
		for (; env && *env; env++)
			putenv((char *)*env);
		snprintf(bin, sizeof(bin), "%s/easyshifts", getenv("ES_E2E_BUILD") ? getenv("ES_E2E_BUILD") : top_dir);
		if (wrapper && *wrapper) {
			char cmd[4096];

			snprintf(cmd, sizeof(cmd), "exec %s '%s' serve", wrapper, bin);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		} else {
			execl(bin, bin, "serve", (char *)NULL);
		}
		_exit(127);
	}
	master = pid;
	{
		/* tests/e2e/run stops what a crashed suite left by these pids, never by name */
		char pids[1024];
		FILE *f;

		snprintf(pids, sizeof(pids), "%s/serve.pids", run_dir);
		f = fopen(pids, "a");
		if (f) {
			fprintf(f, "%d\n", (int)pid);
			fclose(f);
		}
	}
	deadline = now_s() + 60;
	while (now_s() < deadline) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			master = -1;
			return -1;
		}
		if (access(sock, F_OK) == 0) {
			http_get(&res, "/healthz");
			if (res.status == 200) {
				http_res_release(&res);
				return pid;
			}
			http_res_release(&res);
		}
		sleep_ms(50);
	}
	return -1;
}

int serve_stop(void)
{
	double deadline = now_s() + 60;
	int status;

	if (master <= 0)
		return -1;
	kill(master, SIGTERM);
	while (now_s() < deadline) {
		if (waitpid(master, &status, WNOHANG) == master) {
			master = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		sleep_ms(20);
	}
	kill(master, SIGKILL);
	waitpid(master, &status, 0);
	master = -1;
	return -1;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	strbuf_add(ud, p, size * n);
	return size * n;
}

const char *base_url(void)
{
	return base_url_text;
}

void http_use_base(const char *url)
{
	snprintf(base_url_text, sizeof(base_url_text), "%s", url);
}

void http(struct http_res *res, const char *method, const char *path, const char *body,
	  const char *const *extra_headers)
{
	char url[4096];

	snprintf(url, sizeof(url), "%s%s", base_url_text, path);
	http_url(res, method, url, body, extra_headers);
}

void http_url(struct http_res *res, const char *method, const char *url, const char *body,
	      const char *const *extra_headers)
{
	struct curl_slist *hdrs = NULL;
	double t0 = now_s();
	CURL *c = curl_easy_init();

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->headers, 0);
	strbuf_init(&res->body, 0);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &res->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &res->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	for (; extra_headers && *extra_headers; extra_headers++)
		hdrs = curl_slist_append(hdrs, *extra_headers);
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	res->curl_error = (int)curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	res->seconds = now_s() - t0;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
}

void http_get(struct http_res *res, const char *path)
{
	http(res, "GET", path, NULL, NULL);
}

void http_res_release(struct http_res *res)
{
	strbuf_release(&res->headers);
	strbuf_release(&res->body);
}

bool body_has(const struct http_res *res, const char *needle)
{
	return res->body.buf && strstr(res->body.buf, needle) != NULL;
}

struct json_object *body_json(const struct http_res *res)
{
	return res->body.buf ? json_tokener_parse(res->body.buf) : NULL;
}

const char *http_header(const struct http_res *res, const char *name)
{
	static __thread char value[1024];
	size_t n = strlen(name);
	const char *p = res->headers.buf;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > n + 1 && !strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			snprintf(value, sizeof(value), "%.*s", (int)(p + len - v), v);
			return value;
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

const char *http_set_cookie_line(const struct http_res *res, const char *name)
{
	static __thread char line[2048];
	size_t n = strlen(name);
	const char *p = res->headers.buf;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > 12 && !strncasecmp(p, "Set-Cookie:", 11)) {
			const char *v = p + 11;

			while (*v == ' ')
				v++;
			if (!strncmp(v, name, n) && v[n] == '=') {
				snprintf(line, sizeof(line), "%.*s", (int)(p + len - v), v);
				return line;
			}
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

const char *http_set_cookie(const struct http_res *res, const char *name)
{
	static __thread char value[1024];
	const char *line = http_set_cookie_line(res, name);
	size_t len;

	if (!line)
		return NULL;
	line += strlen(name) + 1;
	len = strcspn(line, ";");
	snprintf(value, sizeof(value), "%.*s", (int)len, line);
	return value;
}

static pid_t idp_pid = -1;
static int idp_port;

int fake_google_start(void)
{
	char portfile[1024], bin[1024], buf[32];
	double deadline;
	FILE *f;

	snprintf(portfile, sizeof(portfile), "%s/idp.port", run_dir);
	snprintf(bin, sizeof(bin), "%s/tests/fakeidp/fake_google",
		 getenv("ES_E2E_BUILD") ? getenv("ES_E2E_BUILD") : top_dir);
	unlink(portfile);
	idp_pid = fork();
	if (idp_pid == 0) {
		char logpath[1100];
		int devnull = open("/dev/null", O_WRONLY), logfd;

		snprintf(logpath, sizeof(logpath), "%s/fake_google.log", run_dir);
		logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(devnull, 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		execl(bin, bin, "--port", "0", "--port-file", portfile, (char *)NULL);
		_exit(127);
	}
	deadline = now_s() + 30;
	while (now_s() < deadline) {
		f = fopen(portfile, "r");
		if (f) {
			if (fgets(buf, sizeof(buf), f))
				idp_port = atoi(buf);
			fclose(f);
			if (idp_port > 0)
				return idp_port;
		}
		sleep_ms(20);
	}
	return -1;
}

void fake_google_stop(void)
{
	if (idp_pid > 0) {
		kill(idp_pid, SIGTERM);
		waitpid(idp_pid, NULL, 0);
	}
	idp_pid = -1;
}

const char *const *fake_google_env(void)
{
	static char jwks[128], auth[128], token[128], base[128];
	static const char *env[] = {
		"EASYSHIFTS_GOOGLE_CLIENT_ID=test-client.apps.googleusercontent.com",
		"EASYSHIFTS_GOOGLE_CLIENT_SECRET=test-secret",
		jwks, auth, token, base, NULL,
	};

	snprintf(jwks, sizeof(jwks), "EASYSHIFTS_GOOGLE_JWKS_URL=http://127.0.0.1:%d/jwks", idp_port);
	snprintf(auth, sizeof(auth), "EASYSHIFTS_GOOGLE_AUTH_URL=http://127.0.0.1:%d/authorize", idp_port);
	snprintf(token, sizeof(token), "EASYSHIFTS_GOOGLE_TOKEN_URL=http://127.0.0.1:%d/token", idp_port);
	snprintf(base, sizeof(base), "EASYSHIFTS_PUBLIC_BASE_URL=http://127.0.0.1:%d", nginx_port);
	return env;
}

void fake_google_control(const char *json)
{
	static const char *const ct[] = { "Content-Type: application/json", NULL };
	struct http_res r;
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/control", idp_port);
	http_url(&r, "POST", url, json, ct);
	http_res_release(&r);
}

const char *fake_google_mint(const char *query)
{
	static char token[16384];
	struct http_res r;
	char url[2048];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/mint?%s", idp_port, query);
	http_url(&r, "GET", url, NULL, NULL);
	snprintf(token, sizeof(token), "%s", r.status == 200 && r.body.buf ? r.body.buf : "");
	http_res_release(&r);
	return token;
}

struct par { const char *path; struct http_res *res; };

static void *par_one(void *arg)
{
	struct par *p = arg;

	http_get(p->res, p->path);
	return NULL;
}

void http_parallel(int n, const char *path, struct http_res *results)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	struct par *p = calloc((size_t)n, sizeof(*p));
	int i;

	for (i = 0; i < n; i++) {
		p[i].path = path;
		p[i].res = &results[i];
		pthread_create(&t[i], NULL, par_one, &p[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	free(p);
}

int worker_pids(pid_t *pids, int max)
{
	struct json_object *root, *workers;
	struct http_res res;
	int n = 0;
	size_t i;

	http_get(&res, "/status");
	root = json_tokener_parse(res.body.buf);
	if (root && json_object_object_get_ex(root, "workers", &workers)) {
		for (i = 0; i < json_object_array_length(workers) && n < max; i++) {
			struct json_object *w = json_object_array_get_idx(workers, i), *pid;

			if (json_object_object_get_ex(w, "pid", &pid))
				pids[n++] = (pid_t)json_object_get_int(pid);
		}
	}
	json_object_put(root);
	http_res_release(&res);
	return n;
}
