#ifndef ES_SCOREBOARD_H
#define ES_SCOREBOARD_H

#include <stdint.h>
#include <sys/types.h>

#include "base/strbuf.h"
#include "pool/pool.h"

#define SB_MAX_WORKERS 256
#define SB_MAGIC 0x42535345u   /* "ESSB" */
#define SB_VERSION 1

enum sb_state { SB_EMPTY, SB_STARTING, SB_READY, SB_STOPPING };

/* One worker's public numbers, written by the worker, read by /status. */
struct sb_worker {
	int32_t pid;
	int32_t state;
	int64_t started_at;      /* unix seconds */
	uint64_t requests;
	uint32_t active;         /* requests in flight */
	uint32_t generation;     /* bumped on each reload */
	struct pool_stats pool;
};

/*
 * The shared numbers of one `easyshifts serve`: a file (scoreboard_path)
 * the master maps before forking, so every worker writes its own slot
 * through the same pages and `easyshifts status` can read them from
 * another process. The header says which build wrote it.
 */
struct scoreboard {
	uint32_t magic;          /* SB_MAGIC once the master has filled the header */
	uint32_t version;        /* SB_VERSION */
	uint32_t size;           /* sizeof(struct scoreboard) */
	int32_t master_pid;
	int64_t started_at;
	uint32_t nworkers;       /* configured: workers, threads, pool_size, pool_max_overflow */
	uint32_t threads;
	uint32_t pool_size;
	uint32_t pool_max_overflow;
	uint64_t respawns;
	uint64_t reloads;
	struct sb_worker workers[SB_MAX_WORKERS];
};

/*
 * Creates (or takes over a stale) scoreboard file at path with mode 0640,
 * holds an exclusive lock on it for the life of the process, and maps it
 * shared and zeroed: workers forked afterwards write through the mapping.
 * Returns 0 with *out and *fd set; ES_ECONFLICT when another live master
 * holds the file; ES_EIO otherwise. err names the key and the reason.
 */
int scoreboard_create(const char *path, struct scoreboard **out, int *fd, struct strbuf *err);
/* Removes the file, unmaps it and releases the lock (master exit). */
void scoreboard_remove(struct scoreboard *sb, int fd, const char *path);

/*
 * Copies the live scoreboard at path (read-only mapping, never written).
 * Returns 0 with *out a heap copy the caller frees; ES_ENOTFOUND when no
 * master runs (no file, or nobody holds its lock); ES_EINVAL when another
 * version wrote it; ES_EIO when it cannot be read. err says why.
 */
int scoreboard_snapshot(const char *path, struct scoreboard **out, struct strbuf *err);

const char *scoreboard_state_name(int state);

#endif
