#include "http/router.h"

#include <string.h>

/* Returns the number of literal segments matched, or -1 when no match. */
static int pattern_match(const char *pattern, const char *path, struct route_result *out)
{
	const char *p = pattern, *s = path;
	int literals = 0;

	out->ncaptures = 0;
	while (*p && *s) {
		const char *pend, *send;
		size_t plen, slen;

		if (*p != '/' || *s != '/')
			return -1;
		p++;
		s++;
		pend = strchr(p, '/');
		send = strchr(s, '/');
		plen = pend ? (size_t)(pend - p) : strlen(p);
		slen = send ? (size_t)(send - s) : strlen(s);
		if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
			if (slen == 0 || out->ncaptures == ROUTE_MAX_CAPTURES)
				return -1;
			out->capture_names[out->ncaptures] = p + 1;
			out->capture_name_lens[out->ncaptures] = plen - 2;
			out->captures[out->ncaptures] = s;
			out->capture_lens[out->ncaptures] = slen;
			out->ncaptures++;
		} else {
			if (plen != slen || memcmp(p, s, plen))
				return -1;
			literals++;
		}
		p += plen;
		s += slen;
	}
	return (*p || *s) ? -1 : literals;
}

static void allow_add(char *allow, size_t cap, const char *method)
{
	size_t len = strlen(allow);

	if (strstr(allow, method))
		return;
	if (len + strlen(method) + 3 > cap)
		return;
	if (len)
		strcat(allow, ", ");
	strcat(allow, method);
}

enum route_match router_match(const struct route *table, size_t n, const char *method,
			      const char *path, struct route_result *out)
{
	struct route_result probe;
	int best = -1;
	bool path_seen = false;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		int score = pattern_match(table[i].pattern, path, &probe);

		if (score < 0)
			continue;
		path_seen = true;
		if (strcmp(table[i].method, method)) {
			allow_add(out->allow, sizeof(out->allow), table[i].method);
			continue;
		}
		if (score > best) {
			char allow[sizeof(out->allow)];

			memcpy(allow, out->allow, sizeof(allow));
			*out = probe;
			memcpy(out->allow, allow, sizeof(allow));
			out->route = &table[i];
			best = score;
		}
	}
	if (out->route)
		return ROUTE_FOUND;
	return path_seen ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}
