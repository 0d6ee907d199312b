#ifndef ES_REFUSAL_H
#define ES_REFUSAL_H

struct json_object;
struct request;

/*
 * Why a request is not done, as SPEC §3 answers it: a status below 500,
 * the error code and message, and what the details name: the field it is
 * about (with its reason for a 422), the rule a 409 broke (details.rule),
 * anything more. A rule check returns one (or NULL when the request may go
 * on); refusal_send() is the one place that answers it.
 */
struct refusal {
	int status;
	const char *code;
	const char *message;
	const char *field;              /* details {field: reason}, or details.field without one */
	const char *reason;
	const char *rule;               /* details.rule, or NULL */
	struct json_object *details;    /* more details (refusal_new), or NULL */
};

/* A refusal naming no rule and no field (a 403, a 404...). */
#define REFUSAL(st, c, msg) { .status = (st), .code = (c), .message = (msg) }
/* A 409 whose rule (details.rule) is its code. */
#define CONFLICT(c, msg) { .status = 409, .code = (c), .message = (msg), .rule = (c) }
/* A 422 naming one field and its reason. */
#define INVALID(f, why)                                                                  \
	{ .status = 422, .code = "validation_failed", .message = "Some fields are not valid", \
	  .field = (f), .reason = (why) }

/* The 422 of fields that are not valid, for refusal_send_with and its details. */
extern const struct refusal refusal_invalid;

/*
 * Answers the request with r: status and {"error": {code, message,
 * details}}, details holding r's field, its other details and its rule.
 * Returns 0: the request is answered, as a handler returns it.
 */
int refusal_send(struct request *req, const struct refusal *r);
/* Answers base with these details (consumed) instead of its own. Returns 0. */
int refusal_send_with(struct request *req, const struct refusal *base, struct json_object *details);

/*
 * A copy of base owned by the request (it and its details live until the
 * request is reset), with base's details and these (consumed; may be
 * NULL), and room for more (refusal_add).
 */
struct refusal *refusal_new(struct request *req, const struct refusal *base,
			    struct json_object *details);
/* Adds key: value (consumed; NULL is JSON null) to r's details. Returns r. */
struct refusal *refusal_add(struct refusal *r, const char *key, struct json_object *value);

/* A constraint of the schema and the refusal its violation is answered with. */
struct constraint_refusal {
	const char *constraint;
	struct refusal refusal;
};

#endif
