#include "fcgi/master.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "base/log.h"
#include "fcgi/scoreboard.h"
#include "fcgi/worker.h"

/* A worker that dies within this many seconds of starting counts as a crash loop. */
#define CRASH_WINDOW_S 5
#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 10000

struct slot_ctl {
	pid_t pid;
	double started;
	double respawn_at;   /* 0: not waiting */
	long backoff_ms;
	bool replace;        /* reload: stop this one, then start a fresh one */
};

static struct slot_ctl slots[SB_MAX_WORKERS];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Logs event with the message in err as a quoted logfmt value. */
static void log_failure(const char *event, const struct strbuf *err)
{
	struct strbuf kv = STRBUF_INIT;

	log_kv(&kv, "error", err->buf);
	log_line(LOG_ERROR, event, &kv);
	strbuf_release(&kv);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int chown_socket(const char *path, const char *owner, struct strbuf *err)
{
	char user[128], *group;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	snprintf(user, sizeof(user), "%s", owner);
	group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	if (*user) {
		struct passwd *pw = getpwnam(user);

		if (!pw) {
			strbuf_addf(err, "listen_owner: no such user \"%s\"", user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (group && *group) {
		struct group *gr = getgrnam(group);

		if (!gr) {
			strbuf_addf(err, "listen_owner: no such group \"%s\"", group);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (chown(path, uid, gid)) {
		strbuf_addf(err, "listen_owner: chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int listen_unix(const struct config *cfg, struct strbuf *err)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(cfg->listen) >= sizeof(sa.sun_path)) {
		strbuf_addf(err, "listen: socket path too long: %s", cfg->listen);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, cfg->listen);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	unlink(cfg->listen);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1024))
		goto fail;
	if (chmod(cfg->listen, (mode_t)strtol(cfg->listen_mode, NULL, 8)))
		goto fail;
	if (*cfg->listen_owner && chown_socket(cfg->listen, cfg->listen_owner, err)) {
		close(fd);
		return -1;
	}
	return fd;
fail:
	strbuf_addf(err, "listen: %s: %s", cfg->listen, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int listen_tcp(const struct config *cfg, struct strbuf *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *port;
	int fd = -1, one = 1, rc;

	snprintf(host, sizeof(host), "%s", cfg->listen);
	port = strrchr(host, ':');
	*(char *)port++ = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	if (rc) {
		strbuf_addf(err, "listen: %s: %s", cfg->listen, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 1024))
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		strbuf_addf(err, "listen: %s: %s", cfg->listen, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static int listen_inherited(int fd, struct strbuf *err)
{
	int type = 0;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_STREAM) {
		strbuf_addf(err, "listen: fd %d is not a stream socket", fd);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/*
 * The number of sockets systemd passed to this process (sd_listen_fds(3)
 * protocol: LISTEN_PID is our pid, LISTEN_FDS sockets from fd 3). The
 * variables are removed so that nothing started later takes them as its own.
 */
static int systemd_fds(void)
{
	const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
	int count = pid && n && atol(pid) == (long)getpid() ? atoi(n) : 0;

	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return count;
}

/* spawn-fcgi (and inetd-style launchers) hand over a listening socket as fd 0. */
static bool fd0_is_listening(void)
{
	int listening = 0;
	socklen_t len = sizeof(listening);

	return !getsockopt(STDIN_FILENO, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) &&
	       listening;
}

int listen_open(const struct config *cfg, enum listen_source *source, struct strbuf *err)
{
	int fd, passed = systemd_fds();

	if (passed > 0) {
		*source = LISTEN_SYSTEMD;
		if (passed > 1)
			log_event(LOG_WARN, "listen_extra_sockets", "passed=%d used=1", passed);
		fd = listen_inherited(3, err);
	} else if (!strcmp(cfg->listen, "systemd")) {
		strbuf_addstr(err, "listen: systemd passed no socket (LISTEN_PID/LISTEN_FDS)");
		return -1;
	} else if (!strncmp(cfg->listen, "fd:", 3)) {
		*source = LISTEN_INHERITED;
		fd = listen_inherited(atoi(cfg->listen + 3), err);
	} else if (fd0_is_listening()) {
		*source = LISTEN_INHERITED;
		fd = listen_inherited(STDIN_FILENO, err);
	} else if (cfg->listen[0] != '/' && strchr(cfg->listen, ':')) {
		*source = LISTEN_TCP;
		fd = listen_tcp(cfg, err);
	} else {
		*source = LISTEN_UNIX;
		fd = listen_unix(cfg, err);
	}
	if (fd >= 0 && set_nonblock(fd)) {
		strbuf_addf(err, "listen: cannot make the socket non-blocking: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Warns when workers × (pool_size + overflow) exceeds what the server allows. */
static void check_max_connections(const struct config *cfg)
{
	const char *keys[] = { "dbname", "connect_timeout", NULL };
	const char *vals[] = { cfg->database, "2", NULL };
	long need = (long)cfg->workers * (cfg->pool_size + cfg->pool_max_overflow);
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	PGresult *r;

	if (PQstatus(pg) != CONNECTION_OK) {
		log_event(LOG_WARN, "database_unreachable_at_start",
			  "need_connections=%ld", need);
		PQfinish(pg);
		return;
	}
	r = PQexec(pg, "SELECT current_setting('max_connections')::int"
		       " - current_setting('superuser_reserved_connections')::int");
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		long avail = atol(PQgetvalue(r, 0, 0));

		if (need > avail)
			log_event(LOG_WARN, "pool_exceeds_max_connections",
				  "need_connections=%ld available=%ld", need, avail);
		else
			log_event(LOG_INFO, "pool_capacity", "need_connections=%ld available=%ld",
				  need, avail);
	}
	PQclear(r);
	PQfinish(pg);
}

static struct scoreboard *sb;
static int sb_fd = -1;
static int listen_fd = -1;
static enum listen_source listen_source;
static sigset_t master_signals;
static const struct worker_hooks *worker_hooks;

static void spawn(const struct config *cfg, int i)
{
	pid_t pid;

	sb->workers[i].state = SB_STARTING;
	pid = fork();
	if (pid < 0) {
		log_event(LOG_ERROR, "fork_failed", "slot=%d errno=%d", i, errno);
		slots[i].respawn_at = now_s() + 1.0;
		return;
	}
	if (pid == 0) {
		int rc;

		memset(&sb->workers[i], 0, sizeof(sb->workers[i]));
		sb->workers[i].pid = (int32_t)getpid();
		sb->workers[i].started_at = (int64_t)time(NULL);
		sb->workers[i].state = SB_STARTING;
		rc = worker_run(cfg, worker_hooks, listen_fd, sb, i);
		_exit(rc);
	}
	slots[i].pid = pid;
	slots[i].started = now_s();
	slots[i].respawn_at = 0;
	slots[i].replace = false;
	log_event(LOG_INFO, "worker_spawned", "slot=%d child=%d", i, (int)pid);
}

static int find_slot(pid_t pid)
{
	int i;

	for (i = 0; i < SB_MAX_WORKERS; i++)
		if (slots[i].pid == pid)
			return i;
	return -1;
}

static int alive_count(void)
{
	int i, n = 0;

	for (i = 0; i < SB_MAX_WORKERS; i++)
		n += slots[i].pid > 0;
	return n;
}

/* Reaps exited workers and schedules their respawn. */
static void reap(const struct config *cfg, bool stopping)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		bool crashed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		double lived;

		i = find_slot(pid);
		if (i < 0)
			continue;
		lived = now_s() - slots[i].started;
		slots[i].pid = 0;
		sb->workers[i].state = SB_EMPTY;
		sb->workers[i].pid = 0;
		if (crashed)
			log_event(LOG_ERROR, "worker_died", "slot=%d child=%d status=%d signal=%d",
				  i, (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		else
			log_event(LOG_INFO, "worker_exited", "slot=%d child=%d", i, (int)pid);
		if (stopping || i >= cfg->workers)
			continue;
		if (crashed && lived < CRASH_WINDOW_S) {
			slots[i].backoff_ms = slots[i].backoff_ms ? slots[i].backoff_ms * 2
								  : BACKOFF_FIRST_MS;
			if (slots[i].backoff_ms > BACKOFF_MAX_MS)
				slots[i].backoff_ms = BACKOFF_MAX_MS;
		} else {
			slots[i].backoff_ms = 0;
		}
		slots[i].respawn_at = now_s() + (double)slots[i].backoff_ms / 1000.0;
		__atomic_add_fetch(&sb->respawns, 1, __ATOMIC_RELAXED);
	}
}

/* Reload: replace one worker at a time; the next waits until the last is back. */
static void reload_step(const struct config *cfg)
{
	int i;

	for (i = 0; i < SB_MAX_WORKERS; i++)
		if (slots[i].pid > 0 && !slots[i].replace && i < cfg->workers &&
		    sb->workers[i].state != SB_READY)
			return;   /* a fresh worker is still starting */
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		if (!slots[i].replace)
			continue;
		if (slots[i].pid > 0) {
			if (sb->workers[i].state != SB_STOPPING) {
				sb->workers[i].state = SB_STOPPING;
				kill(slots[i].pid, SIGTERM);
			}
			return;
		}
		/* gone: its fresh replacement starts now; the next old one waits for it */
		slots[i].replace = false;
		return;
	}
}

static int reload(const char *config_path, bool required, struct config *cfg)
{
	struct config fresh;
	struct strbuf err = STRBUF_INIT;
	int i;

	if (config_load(&fresh, config_path, required, &err)) {
		log_failure("reload_refused", &err);
		config_release(&fresh);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	if (strcmp(fresh.listen, cfg->listen) || strcmp(fresh.scoreboard_path, cfg->scoreboard_path))
		log_event(LOG_WARN, "reload_listen_unchanged",
			  "msg=\"listen and scoreboard_path change only on restart\"");
	free(fresh.listen);
	fresh.listen = strdup(cfg->listen);
	free(fresh.scoreboard_path);
	fresh.scoreboard_path = strdup(cfg->scoreboard_path);
	if (!fresh.listen || !fresh.scoreboard_path)
		abort();
	config_release(cfg);
	*cfg = fresh;
	log_setup(cfg->log_level, 0);
	__atomic_add_fetch(&sb->reloads, 1, __ATOMIC_RELAXED);
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		if (slots[i].pid > 0)
			slots[i].replace = true;
		sb->workers[i].generation++;
	}
	log_event(LOG_INFO, "reload", "workers=%d", cfg->workers);
	return 0;
}

static void signal_all(int sig)
{
	int i;

	for (i = 0; i < SB_MAX_WORKERS; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, sig);
}

static void log_start(const struct config *cfg)
{
	static const char *const sources[] = { "systemd", "inherited", "tcp", "unix" };
	struct strbuf kv = STRBUF_INIT;

	log_kv(&kv, "listen", listen_source == LISTEN_UNIX || listen_source == LISTEN_TCP
				      ? cfg->listen : sources[listen_source]);
	log_kv(&kv, "listen_source", sources[listen_source]);
	log_kv(&kv, "scoreboard", cfg->scoreboard_path);
	strbuf_addf(&kv, " workers=%d threads=%d pool_size=%d pool_max_overflow=%d", cfg->workers,
		    cfg->threads, cfg->pool_size, cfg->pool_max_overflow);
	log_line(LOG_INFO, "master_start", &kv);
	strbuf_release(&kv);
}

/* The configured shape, for `easyshifts status`; refreshed after a reload. */
static void publish_config(const struct config *cfg)
{
	sb->nworkers = (uint32_t)cfg->workers;
	sb->threads = (uint32_t)cfg->threads;
	sb->pool_size = (uint32_t)cfg->pool_size;
	sb->pool_max_overflow = (uint32_t)cfg->pool_max_overflow;
}

int master_run(const char *config_path, bool config_required, struct config *cfg,
	       const struct worker_hooks *hooks)
{
	struct strbuf err = STRBUF_INIT;
	bool stopping = false;
	double deadline = 0;
	int i;

	worker_hooks = hooks;
	sigemptyset(&master_signals);
	sigaddset(&master_signals, SIGCHLD);
	sigaddset(&master_signals, SIGTERM);
	sigaddset(&master_signals, SIGQUIT);
	sigaddset(&master_signals, SIGINT);
	sigaddset(&master_signals, SIGHUP);
	sigaddset(&master_signals, SIGUSR1);
	sigprocmask(SIG_BLOCK, &master_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the scoreboard's lock first: a second master must not take over the socket */
	if (scoreboard_create(cfg->scoreboard_path, &sb, &sb_fd, &err)) {
		log_failure("scoreboard_failed", &err);
		strbuf_release(&err);
		return 1;
	}
	listen_fd = listen_open(cfg, &listen_source, &err);
	if (listen_fd < 0) {
		log_failure("listen_failed", &err);
		strbuf_release(&err);
		goto out_remove_scoreboard;
	}
	strbuf_release(&err);
	sb->master_pid = (int32_t)getpid();
	sb->started_at = (int64_t)time(NULL);
	publish_config(cfg);
	check_max_connections(cfg);
	log_start(cfg);
	for (i = 0; i < cfg->workers; i++)
		spawn(cfg, i);

	for (;;) {
		struct timespec tick = { 0, 100 * 1000000L };
		siginfo_t info;
		int sig = sigtimedwait(&master_signals, &info, &tick);

		publish_config(cfg);
		switch (sig) {
		case SIGCHLD:
			break;
		case SIGTERM:
		case SIGQUIT:
		case SIGINT:
			if (!stopping) {
				stopping = true;
				deadline = now_s() + cfg->shutdown_timeout_s;
				log_event(LOG_INFO, "master_stopping", "signal=%d", sig);
				signal_all(SIGTERM);
			}
			break;
		case SIGHUP:
			if (!stopping)
				reload(config_path, config_required, cfg);
			break;
		case SIGUSR1:
			log_reopen();
			signal_all(SIGUSR1);
			log_event(LOG_INFO, "logs_reopened", NULL);
			break;
		}
		reap(cfg, stopping);
		if (stopping) {
			if (alive_count() == 0)
				break;
			if (now_s() > deadline) {
				log_event(LOG_WARN, "shutdown_timeout", "killing=%d", alive_count());
				signal_all(SIGKILL);
				deadline = now_s() + 3600;
			}
			continue;
		}
		reload_step(cfg);
		for (i = 0; i < SB_MAX_WORKERS; i++) {
			if (i >= cfg->workers && slots[i].pid > 0 && !slots[i].replace) {
				slots[i].replace = true;   /* fewer workers after a reload */
				continue;
			}
			if (i < cfg->workers && slots[i].pid == 0 && !slots[i].replace &&
			    (slots[i].respawn_at == 0 || now_s() >= slots[i].respawn_at)) {
				if (slots[i].respawn_at == 0 && sb->reloads == 0)
					continue;   /* never started: only after a reload grew the count */
				spawn(cfg, i);
			}
		}
	}
	scoreboard_remove(sb, sb_fd, cfg->scoreboard_path);
	close(listen_fd);
	if (listen_source == LISTEN_UNIX)
		unlink(cfg->listen);
	log_event(LOG_INFO, "master_exit", NULL);
	return 0;
out_remove_scoreboard:
	scoreboard_remove(sb, sb_fd, cfg->scoreboard_path);
	return 1;
}
