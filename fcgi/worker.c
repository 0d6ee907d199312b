#include "fcgi/worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "base/log.h"
#include "http/request.h"

struct worker_state worker;

static void wake_all(void)
{
	ssize_t n;

	worker.stopping = 1;
	do
		n = write(worker.wake[1], "x", 1);
	while (n < 0 && errno == EINTR);
}

/* A kept-alive FastCGI connection idle this long is closed, freeing its thread. */
#define KEPT_IDLE_MS 2000

/*
 * Waits until a kept-alive connection brings its next request. Returns 1
 * when readable, 0 when the worker stops or the connection stayed idle.
 */
static int wait_readable(int fd)
{
	struct pollfd pfd[2] = { { fd, POLLIN, 0 }, { worker.wake[0], POLLIN, 0 } };

	for (;;) {
		int n;

		if (worker.stopping)
			return 0;
		n = poll(pfd, 2, KEPT_IDLE_MS);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (pfd[1].revents)
			return 0;
		if (pfd[0].revents)
			return 1;
	}
}

/*
 * Each thread waits on its own epoll set holding the listening socket
 * (EPOLLEXCLUSIVE: a new connection wakes one waiter, not all) and the wake
 * pipe. Returns an accepted fd, or -1 when the worker is stopping.
 */
static int accept_next(int ep)
{
	struct epoll_event ev;
	int fd, n;

	for (;;) {
		if (worker.stopping)
			return -1;
		n = epoll_wait(ep, &ev, 1, -1);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		if (ev.data.fd == worker.wake[0])
			return -1;
		fd = accept4(worker.listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED && errno != EPROTO) {
			log_event(LOG_ERROR, "accept_failed", "errno=%d", errno);
			usleep(100000);
		}
	}
}

static int accept_setup(void)
{
	struct epoll_event ev;
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = worker.listen_fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, worker.listen_fd, &ev))
		goto fail;
	ev.events = EPOLLIN;
	ev.data.fd = worker.wake[0];
	if (epoll_ctl(ep, EPOLL_CTL_ADD, worker.wake[0], &ev))
		goto fail;
	return ep;
fail:
	close(ep);
	return -1;
}

static int fcgx_read(void *ctx, char *buf, int n)
{
	return FCGX_GetStr(buf, n, ((FCGX_Request *)ctx)->in);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void log_request(const struct request *req, double ms)
{
	struct strbuf kv;

	if (!log_enabled(LOG_INFO))
		return;
	strbuf_init(&kv, 160);
	log_kv(&kv, "req_id", req->request_id);
	log_kv(&kv, "method", req->method ? req->method : "");
	log_kv(&kv, "path", req->path ? req->path : "");
	strbuf_addf(&kv, " status=%d ms=%.2f", req->resp.status, ms);
	log_line(req->resp.status >= 500 ? LOG_WARN : LOG_INFO, "request", &kv);
	strbuf_release(&kv);
}

static bool body_left_unread(const struct request *req)
{
	const char *cl = req_param(req, "CONTENT_LENGTH");

	return cl && *cl && strtoull(cl, NULL, 10) > req->body_len;
}

static void serve_one(FCGX_Request *fcgx, struct request *req, struct strbuf *out)
{
	double start = now_ms();

	__atomic_add_fetch(&worker.slot->active, 1, __ATOMIC_RELAXED);
	req->read_ctx = fcgx;
	dispatch(req, fcgx->envp, worker.hooks->table);
	if (body_left_unread(req))
		fcgx->keepConnection = 0;   /* the unread records would poison the next request */
	strbuf_reset(out);
	resp_serialize(&req->resp, req->request_id, out);
	FCGX_PutStr(out->buf, (int)out->len, fcgx->out);
	FCGX_Finish_r(fcgx);
	log_request(req, now_ms() - start);
	__atomic_sub_fetch(&worker.slot->active, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&worker.slot->requests, 1, __ATOMIC_RELAXED);
}

static void *worker_thread(void *arg)
{
	FCGX_Request fcgx;
	struct request req;
	struct strbuf out;
	int ep = accept_setup();

	(void)arg;
	if (ep < 0) {
		log_event(LOG_ERROR, "epoll_failed", "errno=%d", errno);
		return NULL;
	}
	FCGX_InitRequest(&fcgx, -1, 0);   /* we accept ourselves: see accept_next */
	req_init(&req, worker.cfg);
	req.db.pool = &worker.pool;
	req.read_body = fcgx_read;
	strbuf_init(&out, 4096);
	while (!worker.stopping) {
		if (fcgx.ipcFd < 0) {
			fcgx.ipcFd = accept_next(ep);
			if (fcgx.ipcFd < 0)
				continue;
			/* FCGX_Accept_r first finishes the previous request; keep the new fd open */
			fcgx.keepConnection = 1;
		} else if (!wait_readable(fcgx.ipcFd)) {
			FCGX_Free(&fcgx, 1);   /* idle too long, or stopping: close it */
			continue;
		}
		if (FCGX_Accept_r(&fcgx) < 0) {
			fcgx.ipcFd = -1;   /* peer closed, or a protocol error: libfcgi closed it */
			continue;
		}
		serve_one(&fcgx, &req, &out);
		req_reset(&req);
		if (worker.max_requests &&
		    __atomic_add_fetch(&worker.served, 1, __ATOMIC_RELAXED) >= worker.max_requests)
			wake_all();
	}
	FCGX_Free(&fcgx, 1);
	req_release(&req);
	strbuf_release(&out);
	close(ep);
	return NULL;
}

/* Worker 0 runs the housekeeping hook this often. */
#define HOUSEKEEPING_MS (5 * 60 * 1000.0)

static void housekeeping(const struct config *cfg)
{
	struct request req;

	if (!worker.hooks->housekeeping)
		return;
	req_init(&req, cfg);
	req.db.pool = &worker.pool;
	snprintf(req.request_id, sizeof(req.request_id), "housekeeping");
	if (worker.hooks->housekeeping(&req))
		log_event(LOG_WARN, "housekeeping_failed", "sqlstate=%s", req.db.sqlstate);
	req_release(&req);
}

static unsigned long jittered(unsigned long n)
{
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);

	if (!n)
		return 0;
	return n + (unsigned long)rand_r(&seed) % (n / 10 + 1);
}

int worker_run(const struct config *cfg, const struct worker_hooks *hooks, int listen_fd,
	       struct scoreboard *sb, int index)
{
	struct pool_settings ps;
	double next_housekeeping;
	pthread_t *threads;
	sigset_t set;
	int i, nthreads = cfg->threads;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	memset(&worker, 0, sizeof(worker));
	worker.cfg = cfg;
	worker.sb = sb;
	worker.index = index;
	worker.slot = &sb->workers[index];
	worker.listen_fd = listen_fd;
	worker.hooks = hooks;
	worker.max_requests = jittered((unsigned long)cfg->max_requests);
	log_setup(cfg->log_level, index + 1);
	if (pipe(worker.wake))
		return 1;
	pool_settings_from_config(&ps, cfg);
	pool_init(&worker.pool, &ps, &worker.slot->pool);
	if (hooks->init)
		hooks->init(cfg);
	FCGX_Init();

	threads = calloc((size_t)nthreads, sizeof(*threads));
	if (!threads)
		abort();
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker_thread, NULL)) {
			log_event(LOG_ERROR, "thread_create_failed", "thread=%d", i);
			nthreads = i;
			wake_all();
			break;
		}
	__atomic_store_n(&worker.slot->state, SB_READY, __ATOMIC_RELEASE);
	log_event(LOG_INFO, "worker_ready", "threads=%d max_requests=%lu", nthreads,
		  worker.max_requests);

	/* Signals stay blocked in every thread; this one takes them synchronously. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	next_housekeeping = now_ms() + HOUSEKEEPING_MS / 10;
	while (!worker.stopping) {
		struct timespec tick = { 0, 200 * 1000000L };
		int sig = sigtimedwait(&set, NULL, &tick);

		pool_reap(&worker.pool);

		if (index == 0 && now_ms() >= next_housekeeping) {
			housekeeping(cfg);
			next_housekeeping = now_ms() + HOUSEKEEPING_MS;
		}
		if (sig == SIGUSR1)
			log_reopen();
		else if (sig == SIGTERM || sig == SIGQUIT || sig == SIGINT || sig == SIGHUP)
			wake_all();
	}
	__atomic_store_n(&worker.slot->state, SB_STOPPING, __ATOMIC_RELEASE);
	log_event(LOG_INFO, "worker_stopping", "served=%lu", worker.served);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	if (hooks->release)
		hooks->release();
	pool_release(&worker.pool);
	close(worker.wake[0]);
	close(worker.wake[1]);
	log_event(LOG_INFO, "worker_exit", "served=%lu", worker.served);
	return 0;
}
