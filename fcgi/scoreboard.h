#ifndef ES_SCOREBOARD_H
#define ES_SCOREBOARD_H

#include <stdint.h>
#include <sys/types.h>

#include "pool/pool.h"

#define SB_MAX_WORKERS 256

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

/* Shared memory the master maps before forking; workers write their own slot. */
struct scoreboard {
	int32_t master_pid;
	int64_t started_at;
	uint32_t nworkers;
	uint64_t respawns;
	uint64_t reloads;
	struct sb_worker workers[SB_MAX_WORKERS];
};

/* Maps a zeroed scoreboard shared with future children; NULL on failure. */
struct scoreboard *scoreboard_new(void);
void scoreboard_free(struct scoreboard *sb);
const char *scoreboard_state_name(int state);

#endif
