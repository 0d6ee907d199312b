#include "handlers/week_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct week_view {
	char week_start[11];
	long long week_version, shared_version;
	time_t expires;
	unsigned long last_used;
	char *json;
	size_t len;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct week_view views[WEEK_CACHE_SLOTS];
static unsigned long clock_ticks;

bool week_cache_get(const char *week_start, long long week_version, long long shared_version,
		    struct strbuf *out)
{
	bool hit = false;
	int i;

	pthread_mutex_lock(&mu);
	for (i = 0; i < WEEK_CACHE_SLOTS; i++) {
		struct week_view *v = &views[i];

		if (v->json && !strcmp(v->week_start, week_start) && v->week_version == week_version &&
		    v->shared_version == shared_version && (!v->expires || time(NULL) < v->expires)) {
			v->last_used = ++clock_ticks;
			strbuf_add(out, v->json, v->len);
			hit = true;
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return hit;
}

void week_cache_put(const char *week_start, long long week_version, long long shared_version,
		    time_t expires, const char *json, size_t len)
{
	struct week_view *slot = NULL;
	char *copy = malloc(len);
	int i;

	if (!copy)
		abort();
	memcpy(copy, json, len);
	pthread_mutex_lock(&mu);
	for (i = 0; i < WEEK_CACHE_SLOTS; i++) {
		struct week_view *v = &views[i];

		if (v->json && !strcmp(v->week_start, week_start)) {
			slot = v;   /* an older version of the same week */
			break;
		}
		if (!slot || !v->json || (slot->json && v->last_used < slot->last_used))
			slot = v;
	}
	/* a newer view already there wins */
	if (slot->json && !strcmp(slot->week_start, week_start) &&
	    (slot->week_version > week_version || slot->shared_version > shared_version)) {
		pthread_mutex_unlock(&mu);
		free(copy);
		return;
	}
	free(slot->json);
	strncpy(slot->week_start, week_start, sizeof(slot->week_start) - 1);
	slot->week_start[sizeof(slot->week_start) - 1] = '\0';
	slot->week_version = week_version;
	slot->shared_version = shared_version;
	slot->expires = expires;
	slot->json = copy;
	slot->len = len;
	slot->last_used = ++clock_ticks;
	pthread_mutex_unlock(&mu);
}
