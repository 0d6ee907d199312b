#ifndef ES_MASTER_H
#define ES_MASTER_H

#include <stdbool.h>

#include "fcgi/config.h"

/*
 * Runs `easyshifts serve`: opens or inherits the listening socket, forks
 * the workers, respawns them (with back-off when they crash), recycles,
 * reloads on SIGHUP (config_path re-read exactly as at start: required or
 * optional; workers replaced one by one),
 * reopens logs on SIGUSR1, stops gracefully on SIGTERM/SIGQUIT/SIGINT.
 * Returns the process exit status.
 */
int master_run(const char *config_path, bool config_required, struct config *cfg);

/*
 * Opens the socket cfg->listen names: "fd:N" (inherited, e.g. spawn-fcgi's
 * fd 0), "systemd" (LISTEN_FDS), "host:port", or a unix socket path (mode
 * and owner applied). Returns the fd or -1 with a message in err.
 */
int listen_open(const struct config *cfg, struct strbuf *err);

#endif
