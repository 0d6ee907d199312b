#ifndef ES_MASTER_H
#define ES_MASTER_H

#include <stdbool.h>

#include "base/config.h"

struct worker_hooks;

/*
 * Runs `easyshifts serve`: opens or inherits the listening socket, forks
 * the workers, respawns them (with back-off when they crash), recycles,
 * reloads on SIGHUP (config_path re-read exactly as at start: required or
 * optional; workers replaced one by one),
 * reopens logs on SIGUSR1, stops gracefully on SIGTERM/SIGQUIT/SIGINT.
 * Each worker runs worker_run with hooks. Returns the process exit status.
 */
int master_run(const char *config_path, bool config_required, struct config *cfg,
	       const struct worker_hooks *hooks);

/* Where the listening socket came from. */
enum listen_source {
	LISTEN_SYSTEMD,    /* socket activation: LISTEN_PID/LISTEN_FDS, fd 3 */
	LISTEN_INHERITED,  /* "fd:N", or fd 0 when it is a listening socket (spawn-fcgi) */
	LISTEN_TCP,        /* "host:port" */
	LISTEN_UNIX,       /* a unix socket path this process created (and removes at exit) */
};

/*
 * Opens the listening socket. A socket handed over by the launcher wins
 * over cfg->listen: the one systemd passes (LISTEN_PID is this process,
 * LISTEN_FDS >= 1: fd 3; the variables are then removed), else fd 0 when it
 * is a listening socket (spawn-fcgi). Otherwise cfg->listen names it:
 * "systemd" (required to be passed), "fd:N", "host:port", or a unix socket
 * path (mode and owner applied). Returns the fd with *source set, or -1
 * with a message in err.
 */
int listen_open(const struct config *cfg, enum listen_source *source, struct strbuf *err);

#endif
