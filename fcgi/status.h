#ifndef ES_STATUS_H
#define ES_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "base/config.h"
#include "base/strbuf.h"
#include "fcgi/scoreboard.h"

/*
 * The scoreboard as operators read it: the same numbers for GET /status
 * (JSON, Prometheus text) and for `easyshifts status` (table, JSON).
 * Workers whose slot is empty are left out.
 */
void status_json(const struct scoreboard *sb, struct strbuf *out);
void status_prometheus(const struct scoreboard *sb, struct strbuf *out);
void status_table(const struct scoreboard *sb, struct strbuf *out);

/* Exit statuses of `easyshifts status` (LSB init-script convention for 3). */
enum status_exit {
	STATUS_RUNNING = 0,
	STATUS_UNREADABLE = 1,     /* permission, or another version's scoreboard */
	STATUS_NOT_RUNNING = 3,
};

/*
 * `easyshifts status [--json]`: reads the live scoreboard at
 * cfg->scoreboard_path from another process and prints it to out (a table,
 * or the JSON of GET /status). Messages go to stderr. Returns a status_exit.
 */
int status_command(const struct config *cfg, bool json, FILE *out);

#endif
