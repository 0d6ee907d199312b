#ifndef ES_PARAMS_H
#define ES_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

struct request;

/* limit/offset of a list (SPEC §3: limit default 50, at most 500). */
struct page {
	long limit;
	long offset;
};

/* Row ids stay below 2^53 so JSON clients read them exactly. */
#define ID_MAX 9007199254740991LL

#define PAGE_DEFAULT_LIMIT 50
#define PAGE_MAX_LIMIT 500

/*
 * The readers below return 0 with *out set, or, when the request cannot go
 * on, answer it with the refusal and return ES_EINVAL or ES_ENOTFOUND: the
 * handler then returns 0 (answered), never the reader's code.
 */

/*
 * The {name} path capture as a row id. Anything but a positive integer is
 * a 404 (such a row cannot exist). Returns 0, or ES_ENOTFOUND with the
 * response set.
 */
int param_id(struct request *req, const char *name, long long *out);
/*
 * The {name} path capture as a calendar date YYYY-MM-DD (*out points to
 * it). Anything else is a 404, as for ids: no such day, so no such
 * resource. Returns 0, or ES_ENOTFOUND with the response set.
 */
int param_date(struct request *req, const char *name, const char **out);
/* Reads ?limit=&offset=; 422 naming the parameter when malformed or out of range. */
int param_page(struct request *req, struct page *out);
/*
 * Reads an optional query parameter that must be one of the NULL-ended
 * choices; *out is NULL when absent. 422 naming the parameter otherwise.
 */
int param_choice(struct request *req, const char *name, const char *const *choices,
		 const char **out);
/* Reads an optional positive integer id from the query; *out 0 when absent. 422 when malformed. */
int param_query_id(struct request *req, const char *name, long long *out);
/* Reads an optional boolean (true/false/1/0) from the query; *out -1 when absent. */
int param_query_bool(struct request *req, const char *name, int *out);
/* Reads an optional date (YYYY-MM-DD) from the query; *out NULL when absent. 422 otherwise. */
int param_query_date(struct request *req, const char *name, const char **out);
/* Reads an optional RFC 3339 time with offset from the query; *out NULL when absent. 422 otherwise. */
int param_query_time(struct request *req, const char *name, const char **out);
/*
 * Reads an optional free-text query parameter (a search), trimmed; *out is
 * NULL when absent or blank. 400 invalid_utf8 (details.parameter) when it is
 * not UTF-8, 422 naming the parameter when longer than max characters.
 */
int param_query_text(struct request *req, const char *name, size_t max, const char **out);
/* Formats n into a buffer of the request's arena (for SQL parameters). */
const char *param_text(struct request *req, long long n);

/*
 * Answers a 422 validation_failed naming one field with a reason. Returns 0
 * (answered), like every function that answers a request.
 */
int param_invalid(struct request *req, const char *field, const char *reason);

#endif
