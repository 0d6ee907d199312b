/*
 * People (SPEC §1, §3 "People and clients"). Managers run employees and
 * client users; admins also managers and admins. The rules that protect the
 * company: nobody changes their own role or deactivates themselves, the
 * last active admin stays, a client user belongs to an existing company,
 * usernames and emails are unique whatever their case. Every change lands
 * in the audit log with the row before and after.
 */
#include "handlers/user_management.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "base/errors.h"
#include "http/params.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

/* The filters of the user list, on the users table. */
#define USER_FILTERS                                                                             \
	" WHERE ($1::text IS NULL OR role = $1)"                                                 \
	"   AND ($2::text IS NULL OR $2 = CASE WHEN NOT approved THEN 'pending'"                 \
	"                                      WHEN NOT active THEN 'inactive'"                  \
	"                                      ELSE 'active' END)"                               \
	"   AND ($3::text IS NULL OR strpos(lower(name), lower($3)) > 0"                          \
	"        OR strpos(lower(username), lower($3)) > 0"                                        \
	"        OR strpos(lower(coalesce(email, '')), lower($3)) > 0)"

/*
 * The page is read in (name, id) order from its index and only its rows
 * become JSON; the total is counted on its own (no sort of every match).
 */
static const struct stmt stmt_users_list = STMT("users_list",
	"SELECT json_build_object("
	"   'items', coalesce((SELECT json_agg((SELECT doc FROM user_docs d WHERE d.id = p.id)"
	"                                      ORDER BY p.name, p.id)"
	"                        FROM (SELECT id, name FROM users" USER_FILTERS
	"                              ORDER BY name, id LIMIT $4::int OFFSET $5::int) p),"
	"                     '[]'::json),"
	"   'total', (SELECT count(*) FROM users" USER_FILTERS "))");
static const struct stmt stmt_user_doc = STMT("users_doc",
	"SELECT doc, role, active, approved FROM user_docs WHERE id = $1::bigint");
static const struct stmt stmt_user_lock = STMT("users_lock",
	"SELECT d.doc, u.role, u.active, u.approved FROM users u JOIN user_docs d ON d.id = u.id"
	" WHERE u.id = $1::bigint FOR UPDATE OF u");
static const struct stmt stmt_user_insert = STMT("users_insert",
	"WITH u AS (INSERT INTO users (username, name, email, role, password_hash, client_company_id,"
	"                              active, approved)"
	"           VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::boolean, true) RETURNING id),"
	"     c AS (INSERT INTO certifications (user_id, updated_by) SELECT id, $8::bigint FROM u)"
	" SELECT id FROM u");
static const struct stmt stmt_user_update = STMT("users_update",
	"UPDATE users SET name = coalesce($2, name),"
	"                 email = CASE WHEN $3::boolean THEN $4 ELSE email END,"
	"                 active = coalesce($5::boolean, active),"
	"                 role = coalesce($6, role),"
	"                 client_company_id = CASE WHEN coalesce($6, role) = 'client'"
	"                                          THEN client_company_id END,"
	"                 updated_at = now()"
	" WHERE id = $1::bigint");
/* Serialises changes that could remove the last admin: they all lock admins first. */
static const struct stmt stmt_lock_admins = STMT("users_lock_admins",
	"SELECT count(*) FILTER (WHERE active AND approved)"
	"  FROM (SELECT active, approved FROM users WHERE role = 'admin' FOR UPDATE) a");
static const struct stmt stmt_kill_sessions = STMT("users_kill_sessions",
	"DELETE FROM sessions WHERE user_id = $1::bigint");
static const struct stmt stmt_user_history = STMT("users_history",
	"SELECT EXISTS (SELECT 1 FROM assignments WHERE user_id = $1::bigint)"
	"    OR EXISTS (SELECT 1 FROM audit_log WHERE actor_id = $1::bigint)"
	"    OR EXISTS (SELECT 1 FROM jobs WHERE created_by = $1::bigint)"
	"    OR EXISTS (SELECT 1 FROM shifts WHERE created_by = $1::bigint)");
static const struct stmt stmt_user_delete = STMT("users_delete",
	"DELETE FROM users WHERE id = $1::bigint");
static const struct stmt stmt_user_approve = STMT("users_approve",
	"UPDATE users SET approved = true, updated_at = now() WHERE id = $1::bigint");
static const struct stmt stmt_certs_upsert = STMT("users_certs",
	"INSERT INTO certifications (user_id, can_crew_chief, can_forklift, can_truck, updated_at,"
	"                            updated_by)"
	" VALUES ($1::bigint, $2::boolean, $3::boolean, $4::boolean, now(), $5::bigint)"
	" ON CONFLICT (user_id) DO UPDATE SET can_crew_chief = excluded.can_crew_chief,"
	"   can_forklift = excluded.can_forklift, can_truck = excluded.can_truck,"
	"   updated_at = now(), updated_by = excluded.updated_by");

static const char *const roles[] = { "admin", "manager", "employee", "client", NULL };
static const char *const statuses[] = { "active", "inactive", "pending", NULL };

static bool is_manager_or_admin(const struct request *req)
{
	return req->user->role == ROLE_MANAGER || req->user->role == ROLE_ADMIN;
}

/* Managers act on employees and clients; admins on everyone. */
static bool may_manage_role(const struct request *req, const char *role)
{
	return req->user->role == ROLE_ADMIN || !strcmp(role, "employee") || !strcmp(role, "client");
}

static bool role_valid(const char *s)
{
	size_t i;

	for (i = 0; roles[i]; i++)
		if (!strcmp(roles[i], s))
			return true;
	return false;
}

static int validation_failed(struct request *req, struct json_object *details)
{
	return resp_error(req, 422, "validation_failed", "Some fields are not valid", details);
}

int users_list(struct request *req)
{
	const char *role, *status, *q = req_query(req, "q");
	struct page page;
	PGresult *r = NULL;

	if (param_choice(req, "role", roles, &role) || param_choice(req, "status", statuses, &status) ||
	    param_page(req, &page))
		return 0;
	if (q && utf8_length(q) > 200) {
		param_invalid(req, "q", "too long");
		return 0;
	}
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_users_list, role, status, q && *q ? q : NULL,
			    param_text(req, page.limit), param_text(req, page.offset));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

int users_create(struct request *req)
{
	static const struct field fields[] = {
		{ "username", FIELD_STRING, true, 3, 64 },
		{ "password", FIELD_STRING, false, PASSWORD_MIN_LEN, PASSWORD_MAX_LEN },
		{ "name", FIELD_STRING, true, 1, 200 },
		{ "email", FIELD_STRING, false, 3, 254 },
		{ "role", FIELD_STRING, true, 1, 16 },
		{ "client_company_id", FIELD_INT, false, 1, 9007199254740991L },
		{ "active", FIELD_BOOL, false, 0, 0 },
	};
	struct json_object *v[7], *details = NULL;
	const char *username, *name, *email, *role, *doc = NULL, *company = NULL;
	char hash[PASSWORD_HASH_MAX], *hashp = NULL;
	long long id = 0;

	if (body_validate(req, fields, 7, v))
		return 0;
	username = field_string(v[0]);
	name = field_string(v[2]);
	email = field_string(v[3]);
	role = field_string(v[4]);
	if (!text_is_username(username))
		details_add(&details, "username", "no spaces or control characters");
	if (!text_is_trimmed(name))
		details_add(&details, "name", "no leading or trailing spaces");
	if (email && !text_is_email(email))
		details_add(&details, "email", "not an email address");
	if (!role_valid(role))
		details_add(&details, "role", "must be admin, manager, employee or client");
	else if (!strcmp(role, "client") && !v[5])
		details_add(&details, "client_company_id", "required for a client user");
	else if (strcmp(role, "client") && v[5])
		details_add(&details, "client_company_id", "only client users belong to a company");
	if (details)
		return validation_failed(req, details);
	if (!may_manage_role(req, role))
		return resp_error(req, 403, "role_not_allowed",
				  "Only admins create managers and admins", NULL);
	if (v[5])
		company = param_text(req, json_object_get_int64(v[5]));
	if (v[1]) {
		if (password_hash(field_string(v[1]), hash)) {
			resp_header(req, "Retry-After", "2");
			return resp_error(req, 503, "server_busy", "Too busy hashing passwords; try again",
					  NULL);
		}
		hashp = hash;
	}
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_user_insert, username, name, email, role, hashp, company,
				      v[6] && !json_object_get_boolean(v[6]) ? "false" : "true",
				      param_text(req, req->user->id));
		if (!r)
			continue;
		id = atoll(PQgetvalue(r, 0, 0));
		r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));
		if (!r)
			continue;
		doc = PQgetvalue(r, 0, 0);
		if (audit_record(&tx, "create", "user", id, NULL, doc))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	{
		char location[64];

		snprintf(location, sizeof(location), "/api/v1/users/%lld", id);
		resp_header(req, "Location", location);
	}
	return resp_json_text(req, 201, doc, strlen(doc));
}

int users_get(struct request *req)
{
	long long id;
	PGresult *r = NULL;

	if (param_id(req, "id", &id))
		return 0;
	if (!is_manager_or_admin(req) && id != req->user->id)
		return resp_error(req, 404, "not_found", "No such user", NULL);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (PQntuples(r) != 1)
		return resp_error(req, 404, "not_found", "No such user", NULL);
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

/* The locked target row; NULL when it does not exist. */
struct target {
	const char *doc;
	const char *role;
	bool active;
	bool approved;
};

static bool lock_target(struct db_tx *tx, long long id, struct target *t, bool *found)
{
	PGresult *r = DB_EXEC(tx, &stmt_user_lock, param_text(req_from_tx(tx), id));

	if (!r)
		return false;
	*found = PQntuples(r) == 1;
	if (*found) {
		t->doc = PQgetvalue(r, 0, 0);
		t->role = PQgetvalue(r, 0, 1);
		t->active = PQgetvalue(r, 0, 2)[0] == 't';
		t->approved = PQgetvalue(r, 0, 3)[0] == 't';
	}
	return true;
}

/* Active admins, counted under a lock on every admin row. -1 on failure. */
static long active_admins(struct db_tx *tx)
{
	PGresult *r = DB_EXEC0(tx, &stmt_lock_admins);

	return r ? atol(PQgetvalue(r, 0, 0)) : -1;
}

/*
 * The common start of changing a user: lock every admin (so two admins
 * cannot remove each other), then the target; refuse a missing target (404)
 * or one above the caller's station (403). Returns false on a database
 * failure (the scope's `continue`); *refusal is set when the caller stops.
 */
static bool lock_managed(struct db_tx *tx, long long id, struct target *t, long *admins,
			 const char **refusal, int *status)
{
	bool found;

	*refusal = NULL;
	*admins = active_admins(tx);
	if (*admins < 0 || !lock_target(tx, id, t, &found))
		return false;
	if (!found) {
		*refusal = "not_found";
		*status = 404;
	} else if (!may_manage_role(req_from_tx(tx), t->role)) {
		*refusal = "role_not_allowed";
		*status = 403;
	}
	return true;
}

static int refuse(struct request *req, int status, const char *code, const char *why)
{
	if (!why)
		why = status == 404 ? "No such user" : "You may not change this user";
	return resp_error(req, status, code, why, NULL);
}

int users_update(struct request *req)
{
	static const struct field fields[] = {
		{ "name", FIELD_STRING, false, 1, 200 },
		{ "email", FIELD_STRING, false, 3, 254 },
		{ "active", FIELD_BOOL, false, 0, 0 },
		{ "role", FIELD_STRING, false, 1, 16 },
	};
	struct json_object *v[4], *details = NULL;
	const char *name, *email, *role, *after = NULL, *refusal = NULL, *why = NULL;
	bool email_given, deactivating = false;
	long long id;
	int status = 409;

	if (param_id(req, "id", &id) || body_validate(req, fields, 4, v))
		return 0;
	name = field_string(v[0]);
	email = field_string(v[1]);
	role = field_string(v[3]);
	email_given = json_object_object_get_ex(req->json, "email", NULL);
	if (name && !text_is_trimmed(name))
		details_add(&details, "name", "no leading or trailing spaces");
	if (email && !text_is_email(email))
		details_add(&details, "email", "not an email address");
	if (role && !role_valid(role))
		details_add(&details, "role", "must be admin, manager, employee or client");
	if (role && !strcmp(role, "client"))
		details_add(&details, "role", "a client user is created with its company, not converted");
	if (details)
		return validation_failed(req, details);
	if (role && req->user->role != ROLE_ADMIN)
		return resp_error(req, 403, "role_change_forbidden", "Only admins change roles", NULL);
	if (id == req->user->id && role && strcmp(role, req->user->role_name))
		return resp_error(req, 409, "cannot_change_own_role", "You cannot change your own role",
				  NULL);
	if (id == req->user->id && v[2] && !json_object_get_boolean(v[2]))
		return resp_error(req, 409, "cannot_deactivate_self", "You cannot deactivate yourself",
				  NULL);

	DB_TX(req, tx) {
		struct target t;
		bool was_admin, stays_admin;
		long admins;

		if (!lock_managed(&tx, id, &t, &admins, &refusal, &status))
			continue;
		if (refusal)
			break;
		if (!strcmp(t.role, "client") && role && strcmp(role, "client")) {
			refusal = "client_role_fixed";
			why = "A client user keeps the client role; create a new account instead";
			break;
		}
		was_admin = !strcmp(t.role, "admin") && t.active && t.approved;
		stays_admin = (!role || !strcmp(role, "admin")) && (!v[2] || json_object_get_boolean(v[2]));
		if (was_admin && !stays_admin && admins <= 1) {
			refusal = "last_admin";
			why = "The last active admin cannot be demoted or deactivated";
			break;
		}
		deactivating = v[2] && !json_object_get_boolean(v[2]) && t.active;
		if (!DB_EXEC(&tx, &stmt_user_update, param_text(req, id), name,
			     email_given ? "true" : "false", email,
			     v[2] ? (json_object_get_boolean(v[2]) ? "true" : "false") : NULL, role))
			continue;
		if ((deactivating || role) && !DB_EXEC(&tx, &stmt_kill_sessions, param_text(req, id)))
			continue;
		{
			PGresult *r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));

			if (!r)
				continue;
			after = PQgetvalue(r, 0, 0);
		}
		if (audit_record(&tx, "update", "user", id, t.doc, after))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (refusal)
		return refuse(req, status, refusal, why);
	return resp_json_text(req, 200, after, strlen(after));
}

int users_delete(struct request *req)
{
	const char *refusal = NULL, *why = NULL, *after = NULL;
	bool deactivated = false;
	long long id;
	int status = 409;

	if (param_id(req, "id", &id))
		return 0;
	if (id == req->user->id)
		return resp_error(req, 409, "cannot_delete_self", "You cannot delete yourself", NULL);
	DB_TX(req, tx) {
		struct target t;
		long admins;
		PGresult *r;

		if (!lock_managed(&tx, id, &t, &admins, &refusal, &status))
			continue;
		if (refusal)
			break;
		if (!strcmp(t.role, "admin") && t.active && t.approved && admins <= 1) {
			refusal = "last_admin";
			why = "The last active admin cannot be removed";
			break;
		}
		r = DB_EXEC(&tx, &stmt_user_history, param_text(req, id));
		if (!r)
			continue;
		deactivated = PQgetvalue(r, 0, 0)[0] == 't';
		if (deactivated) {
			if (!DB_EXEC(&tx, &stmt_user_update, param_text(req, id), NULL, "false", NULL,
				     "false", NULL) ||
			    !DB_EXEC(&tx, &stmt_kill_sessions, param_text(req, id)))
				continue;
			r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));
			if (!r)
				continue;
			after = PQgetvalue(r, 0, 0);
		} else if (!DB_EXEC(&tx, &stmt_user_delete, param_text(req, id))) {
			continue;
		}
		if (audit_record(&tx, deactivated ? "deactivate" : "delete", "user", id, t.doc, after))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (refusal)
		return refuse(req, status, refusal, why);
	if (!deactivated)
		return resp_empty(req, 204);
	{
		struct strbuf *b = &req->resp.body;

		req->resp.status = 200;
		req->resp.content_type = "application/json";
		strbuf_reset(b);
		strbuf_addf(b, "{\"deactivated\":true,\"message\":\"The user has history and was "
			       "deactivated instead of deleted\",\"user\":%s}", after);
		return 0;
	}
}

/* Approve or reject: both only for a pending signup, which is locked first. */
static int decide(struct request *req, bool approve)
{
	const char *refusal = NULL, *after = NULL;
	long long id;
	int status = 409;

	if (param_id(req, "id", &id))
		return 0;
	DB_TX(req, tx) {
		struct target t;
		bool found;

		refusal = NULL;
		if (!lock_target(&tx, id, &t, &found))
			continue;
		if (!found) {
			refusal = "not_found";
			status = 404;
			break;
		}
		if (t.approved) {
			refusal = "not_pending";
			break;
		}
		if (approve) {
			PGresult *r;

			if (!DB_EXEC(&tx, &stmt_user_approve, param_text(req, id)))
				continue;
			r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));
			if (!r)
				continue;
			after = PQgetvalue(r, 0, 0);
		} else if (!DB_EXEC(&tx, &stmt_user_delete, param_text(req, id))) {
			continue;   /* availability and certifications go with it (ON DELETE CASCADE) */
		}
		if (audit_record(&tx, approve ? "approve" : "reject", "user", id, t.doc, after))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (refusal)
		return refuse(req, status, refusal,
			      status == 409 ? "This user is not a pending signup" : NULL);
	return approve ? resp_json_text(req, 200, after, strlen(after)) : resp_empty(req, 204);
}

int users_approve(struct request *req)
{
	return decide(req, true);
}

int users_reject(struct request *req)
{
	return decide(req, false);
}

int users_set_certifications(struct request *req)
{
	static const struct field fields[] = {
		{ "can_crew_chief", FIELD_BOOL, true, 0, 0 },
		{ "can_forklift", FIELD_BOOL, true, 0, 0 },
		{ "can_truck", FIELD_BOOL, true, 0, 0 },
	};
	struct json_object *v[3];
	const char *after = NULL, *refusal = NULL;
	long long id;
	int status = 404;

	if (param_id(req, "id", &id) || body_validate(req, fields, 3, v))
		return 0;
	DB_TX(req, tx) {
		struct target t;
		bool found;
		PGresult *r;

		refusal = NULL;
		if (!lock_target(&tx, id, &t, &found))
			continue;
		if (!found) {
			refusal = "not_found";
			break;
		}
		if (!may_manage_role(req, t.role)) {
			refusal = "role_not_allowed";
			status = 403;
			break;
		}
		if (strcmp(t.role, "employee") && strcmp(t.role, "manager") && strcmp(t.role, "admin")) {
			refusal = "not_a_worker";
			status = 409;
			break;
		}
		if (!DB_EXEC(&tx, &stmt_certs_upsert, param_text(req, id),
			     json_object_get_boolean(v[0]) ? "true" : "false",
			     json_object_get_boolean(v[1]) ? "true" : "false",
			     json_object_get_boolean(v[2]) ? "true" : "false",
			     param_text(req, req->user->id)))
			continue;
		r = DB_EXEC(&tx, &stmt_user_doc, param_text(req, id));
		if (!r)
			continue;
		after = PQgetvalue(r, 0, 0);
		if (audit_record(&tx, "certifications", "user", id, t.doc, after))
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (refusal)
		return refuse(req, status, refusal,
			      status == 409 ? "Client users hold no certifications" : NULL);
	return resp_json_text(req, 200, after, strlen(after));
}
