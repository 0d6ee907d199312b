#ifndef ES_WEEK_CACHE_H
#define ES_WEEK_CACHE_H

#include <stdbool.h>
#include <time.h>

#include "base/strbuf.h"

/*
 * The manager's rendered week views kept by this worker process, keyed by
 * the week's first day and valid for one pair of versions from
 * schedule_versions (sql/010): the week's own and the shared one. Bounded
 * (WEEK_CACHE_SLOTS views, least recently used out). Thread safe.
 */
#define WEEK_CACHE_SLOTS 16

/* Appends the cached view to out and returns true when it is there for these versions. */
bool week_cache_get(const char *week_start, long long week_version, long long shared_version,
		    struct strbuf *out);
/*
 * Keeps a rendered view for these versions until expires (unix seconds; 0:
 * no limit): the view shows whether the request window is open, which
 * changes with the clock, not with a version.
 */
void week_cache_put(const char *week_start, long long week_version, long long shared_version,
		    time_t expires, const char *json, size_t len);

#endif
