#include "fcgi/status.h"

#include <stdlib.h>
#include <time.h>

#include "base/errors.h"

#define POOL_FIELDS(X) \
	X(acquires) X(waits) X(timeouts) X(connects) X(closes) X(connect_failures) X(recycled) X(broken)

void status_json(const struct scoreboard *sb, struct strbuf *b)
{
	time_t now = time(NULL);
	uint64_t total = 0;
	unsigned active = 0;
	int i, first = 1;

	strbuf_addf(b, "{\"master_pid\":%d,\"uptime_s\":%lld,\"respawns\":%llu,\"reloads\":%llu,"
		    "\"configured\":{\"workers\":%u,\"threads\":%u,\"pool_size\":%u,"
		    "\"pool_max_overflow\":%u},\"workers\":[",
		    sb->master_pid, (long long)(now - sb->started_at),
		    (unsigned long long)sb->respawns, (unsigned long long)sb->reloads, sb->nworkers,
		    sb->threads, sb->pool_size, sb->pool_max_overflow);
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		const struct sb_worker *w = &sb->workers[i];

		if (!w->pid)
			continue;
		total += w->requests;
		active += w->active;
		strbuf_addf(b, "%s{\"slot\":%d,\"pid\":%d,\"state\":\"%s\",\"requests\":%llu,"
			    "\"active\":%u,\"uptime_s\":%lld,\"pool\":{\"open\":%u,\"in_use\":%u",
			    first ? "" : ",", i, w->pid, scoreboard_state_name(w->state),
			    (unsigned long long)w->requests, w->active,
			    (long long)(now - w->started_at), w->pool.open, w->pool.in_use);
#define X(f) strbuf_addf(b, ",\"" #f "\":%llu", (unsigned long long)w->pool.f);
		POOL_FIELDS(X)
#undef X
		strbuf_addstr(b, "}}");
		first = 0;
	}
	strbuf_addf(b, "],\"requests\":%llu,\"active\":%u}", (unsigned long long)total, active);
}

void status_prometheus(const struct scoreboard *sb, struct strbuf *b)
{
	int i;

	strbuf_addstr(b, "# TYPE easyshifts_worker_requests_total counter\n"
			 "# TYPE easyshifts_worker_active gauge\n"
			 "# TYPE easyshifts_pool_open gauge\n"
			 "# TYPE easyshifts_pool_in_use gauge\n");
#define X(f) strbuf_addstr(b, "# TYPE easyshifts_pool_" #f "_total counter\n");
	POOL_FIELDS(X)
#undef X
	strbuf_addf(b, "easyshifts_respawns_total %llu\neasyshifts_reloads_total %llu\n",
		    (unsigned long long)sb->respawns, (unsigned long long)sb->reloads);
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		const struct sb_worker *w = &sb->workers[i];

		if (!w->pid)
			continue;
		strbuf_addf(b, "easyshifts_worker_requests_total{slot=\"%d\",pid=\"%d\"} %llu\n", i,
			    w->pid, (unsigned long long)w->requests);
		strbuf_addf(b, "easyshifts_worker_active{slot=\"%d\",pid=\"%d\"} %u\n", i, w->pid,
			    w->active);
		strbuf_addf(b, "easyshifts_pool_open{slot=\"%d\"} %u\n", i, w->pool.open);
		strbuf_addf(b, "easyshifts_pool_in_use{slot=\"%d\"} %u\n", i, w->pool.in_use);
#define X(f) strbuf_addf(b, "easyshifts_pool_" #f "_total{slot=\"%d\"} %llu\n", i, \
			 (unsigned long long)w->pool.f);
		POOL_FIELDS(X)
#undef X
	}
}

/* In the spirit of `php-fpm status`: the process, then one row per worker. */
void status_table(const struct scoreboard *sb, struct strbuf *b)
{
	time_t now = time(NULL);
	uint64_t requests = 0;
	unsigned active = 0, running = 0;
	int i;

	for (i = 0; i < SB_MAX_WORKERS; i++) {
		requests += sb->workers[i].requests;
		active += sb->workers[i].active;
		running += sb->workers[i].pid != 0;
	}
	strbuf_addf(b, "master pid:         %d\n", sb->master_pid);
	strbuf_addf(b, "uptime:             %lld s\n", (long long)(now - sb->started_at));
	strbuf_addf(b, "workers:            %u running, %u configured, %u threads each\n", running,
		    sb->nworkers, sb->threads);
	strbuf_addf(b, "active requests:    %u of %u accept threads\n", active,
		    running * sb->threads);
	strbuf_addf(b, "requests:           %llu (since each worker started)\n",
		    (unsigned long long)requests);
	strbuf_addf(b, "database pool:      %u + %u overflow per worker\n", sb->pool_size,
		    sb->pool_max_overflow);
	strbuf_addf(b, "respawns:           %llu\n", (unsigned long long)sb->respawns);
	strbuf_addf(b, "reloads:            %llu\n\n", (unsigned long long)sb->reloads);
	strbuf_addf(b, "%-4s %-8s %-8s %8s %10s %6s %5s %6s %9s %6s %8s %8s %8s %8s %8s %6s\n",
		    "slot", "pid", "state", "uptime", "requests", "active", "open", "in_use",
		    "acquires", "waits", "timeouts", "connects", "closes", "failures", "recycled",
		    "broken");
	for (i = 0; i < SB_MAX_WORKERS; i++) {
		const struct sb_worker *w = &sb->workers[i];

		if (!w->pid)
			continue;
		strbuf_addf(b, "%-4d %-8d %-8s %8lld %10llu %6u %5u %6u %9llu %6llu %8llu %8llu %8llu"
			    " %8llu %8llu %6llu\n",
			    i, w->pid, scoreboard_state_name(w->state), (long long)(now - w->started_at),
			    (unsigned long long)w->requests, w->active, w->pool.open, w->pool.in_use,
			    (unsigned long long)w->pool.acquires, (unsigned long long)w->pool.waits,
			    (unsigned long long)w->pool.timeouts, (unsigned long long)w->pool.connects,
			    (unsigned long long)w->pool.closes, (unsigned long long)w->pool.connect_failures,
			    (unsigned long long)w->pool.recycled, (unsigned long long)w->pool.broken);
	}
}

int status_command(const struct config *cfg, bool json, FILE *out)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct scoreboard *sb;
	int rc = scoreboard_snapshot(cfg->scoreboard_path, &sb, &err);

	if (rc) {
		fprintf(stderr, "easyshifts status: %s\n", err.buf);
		strbuf_release(&err);
		return rc == ES_ENOTFOUND ? STATUS_NOT_RUNNING : STATUS_UNREADABLE;
	}
	if (json) {
		status_json(sb, &text);
		strbuf_addch(&text, '\n');
	} else {
		status_table(sb, &text);
	}
	fwrite(text.buf, 1, text.len, out);
	strbuf_release(&text);
	strbuf_release(&err);
	free(sb);
	return STATUS_RUNNING;
}
