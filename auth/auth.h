#ifndef ES_AUTH_H
#define ES_AUTH_H

#include <stdbool.h>

#include "http/router.h"

struct request;

enum role { ROLE_NONE, ROLE_CLIENT, ROLE_EMPLOYEE, ROLE_MANAGER, ROLE_ADMIN };

/* The signed-in user of a request (arena-owned strings). */
struct auth_user {
	long long id;
	long long session_id;
	const char *username;
	const char *name;
	const char *email;            /* NULL when none */
	const char *picture_url;      /* NULL when none */
	const char *role_name;
	enum role role;
	long long client_company_id;  /* 0 when none */
	const char *csrf_token;
	bool via_cookie;              /* false: Authorization: Bearer */
	bool can_crew_chief, can_forklift, can_truck;   /* certifications */
};

#define SESSION_COOKIE "es_session"

/* "admin" → ROLE_ADMIN ...; ROLE_NONE for anything else. */
enum role role_from_name(const char *name);

/*
 * Enforces a route's access rule (ACCESS_USER and above): finds the session
 * from the Bearer token or the cookie (one indexed query), refuses a missing
 * or expired one (401), a role below the rule (403), and a cookie-
 * authenticated unsafe method without the matching X-CSRF-Token (403).
 * Sets req->user. Returns 0, or an ES_E* code with the response set (or a
 * database error for the dispatcher to map).
 */
int auth_require(struct request *req, enum access access);

/* True when the role satisfies the rule (no session lookup). */
bool auth_role_allows(enum role role, enum access access);

/*
 * Refuses employees, who read no client companies and no jobs: 403 set,
 * returns ES_ECONFLICT. 0 for anyone else, who reads the companies and jobs
 * es_visible_client_companies and es_visible_jobs let them see
 * (sql/functions/16_visibility.sql).
 */
int auth_refuse_employees(struct request *req);

#endif
