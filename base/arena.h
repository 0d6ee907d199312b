#ifndef ES_ARENA_H
#define ES_ARENA_H

#include <stddef.h>

/*
 * Per-request memory: a bump allocator over chunks plus a list of cleanup
 * callbacks (json-c objects, PGresults). arena_reset() runs the cleanups
 * in reverse order and frees everything but the first chunk, so a worker
 * thread reuses the same memory request after request. Allocation failure
 * aborts the worker.
 */
struct arena_chunk;
struct arena_cleanup;

struct arena {
	struct arena_chunk *head;
	struct arena_cleanup *cleanups;
	size_t chunk_size;
};

void arena_init(struct arena *a, size_t chunk_size);
void arena_reset(struct arena *a);
void arena_release(struct arena *a);
/* Returns zeroed memory aligned for any type, valid until the next reset. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Runs fn(ptr) at the next reset or release. */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

#endif
