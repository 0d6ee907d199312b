#ifndef ES_RESPONSE_H
#define ES_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strbuf.h"

struct json_object;
struct request;

/*
 * The response being built for one request: status, extra header lines
 * and body. Nothing is written to the web server until resp_send().
 */
struct response {
	int status;              /* 0: nothing set yet */
	const char *content_type;
	struct strbuf headers;   /* "Name: value\r\n" lines */
	struct strbuf body;
};

void resp_init(struct response *resp);
void resp_release(struct response *resp);
void resp_reset(struct response *resp);

/* Adds one header line; name and value must not contain CR or LF. */
void resp_header(struct request *req, const char *name, const char *value);
/* Sets status and a JSON body serialised from obj (obj is not consumed). Returns 0. */
int resp_json(struct request *req, int status, struct json_object *obj);
/* Sets status and a body already in JSON text. Returns 0. */
int resp_json_text(struct request *req, int status, const char *text, size_t len);
/* A body-less response (204, 302...). Returns 0. */
int resp_empty(struct request *req, int status);
/*
 * Sets the error envelope {"error":{"code","message","details"}}. details may be
 * NULL; it is consumed (json_object_put) when given. Returns 0.
 */
int resp_error(struct request *req, int status, const char *code, const char *message,
	       struct json_object *details);
/* Writes the CGI header block and body to out (for resp_send and the tests). */
void resp_serialize(const struct response *resp, const char *request_id, struct strbuf *out);
const char *resp_reason(int status);

#endif
