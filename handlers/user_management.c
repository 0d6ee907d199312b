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

#include "auth/account.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "base/errors.h"
#include "handlers/patch.h"
#include "handlers/viewer.h"
#include "handlers/write.h"
#include "http/params.h"
#include "http/refusal.h"
#include "http/request.h"
#include "http/validate.h"
#include "pool/db.h"

/* The users the viewer ($1 kind, $2 id) may see, filtered. */
#define LISTED_USERS                                                                             \
	" es_visible_users($1, $2::bigint)"                                                      \
	" WHERE ($3::text IS NULL OR role = $3)"                                                 \
	"   AND ($4::text IS NULL OR $4 = CASE WHEN NOT approved THEN 'pending'"                 \
	"                                      WHEN NOT active THEN 'inactive'"                  \
	"                                      ELSE 'active' END)"                               \
	"   AND ($5::text IS NULL OR strpos(lower(name), lower($5)) > 0"                          \
	"        OR strpos(lower(username), lower($5)) > 0"                                        \
	"        OR strpos(lower(coalesce(email, '')), lower($5)) > 0)"

/*
 * The page is read in (name, id) order from its index and only its rows
 * become JSON; the total is counted on its own (no sort of every match).
 */
static const struct stmt stmt_users_list[] = VIEWER_STMT("users_list",
	"SELECT json_build_object("
	"   'items', coalesce((SELECT json_agg((SELECT doc FROM user_docs d WHERE d.id = p.id)"
	"                                      ORDER BY p.name, p.id)"
	"                        FROM (SELECT id, name FROM" LISTED_USERS
	"                              ORDER BY name, id LIMIT $6::int OFFSET $7::int) p),"
	"                     '[]'::json),"
	"   'total', (SELECT count(*) FROM" LISTED_USERS "))");
/* User $3 when the viewer ($1 kind, $2 id) may see them. */
static const struct stmt stmt_user_get[] = VIEWER_STMT("users_get",
	"SELECT d.doc FROM user_docs d"
	" WHERE d.id = $3::bigint"
	"   AND d.id IN (SELECT u.id FROM es_visible_users($1, $2::bigint) u)");
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
/*
 * $2: the fields the body changes (user_update_fields). A client user's
 * company goes with the client role.
 */
static const struct stmt stmt_user_update = STMT("users_update",
	"UPDATE users u"
	"   SET (name, email, active, role)"
	"       = (SELECT d.name, d.email, d.active, d.role FROM jsonb_populate_record(u, $2::jsonb) d),"
	"       client_company_id = CASE WHEN coalesce($2::jsonb ->> 'role', u.role) = 'client'"
	"                                THEN u.client_company_id END,"
	"       updated_at = now()"
	" WHERE u.id = $1::bigint");
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

static const struct refusal
	r_no_user = REFUSAL(404, "not_found", "No such user"),
	r_creates_above = REFUSAL(403, "role_not_allowed", "Only admins create managers and admins"),
	r_above = REFUSAL(403, "role_not_allowed", "You may not change this user"),
	r_role_change = REFUSAL(403, "role_change_forbidden", "Only admins change roles"),
	r_own_role = CONFLICT("cannot_change_own_role", "You cannot change your own role"),
	r_deactivate_self = CONFLICT("cannot_deactivate_self", "You cannot deactivate yourself"),
	r_delete_self = CONFLICT("cannot_delete_self", "You cannot delete yourself"),
	r_client_role_fixed = CONFLICT("client_role_fixed",
				      "A client user keeps the client role; create a new account instead"),
	r_last_admin_kept = CONFLICT("last_admin",
				    "The last active admin cannot be demoted or deactivated"),
	r_last_admin_removed = CONFLICT("last_admin", "The last active admin cannot be removed"),
	r_not_pending = CONFLICT("not_pending", "This user is not a pending signup"),
	r_not_a_worker = CONFLICT("not_a_worker", "Client users hold no certifications");

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

static const char *not_trimmed(struct json_object *v)
{
	return text_is_trimmed(field_string(v)) ? NULL : "no leading or trailing spaces";
}

static const char *not_an_email(struct json_object *v)
{
	return text_is_email(field_string(v)) ? NULL : "not an email address";
}

/* A role a PATCH may give: a client user is created with its company, never converted. */
static const char *not_a_role_to_give(struct json_object *v)
{
	const char *role = field_string(v);

	if (!role_valid(role))
		return "must be admin, manager, employee or client";
	return strcmp(role, "client") ? NULL : "a client user is created with its company, not converted";
}

/* A PATCH body: null keeps a name, a state or a role, and clears the email. */
static const struct patch_field user_update_fields[] = {
	{ { "name", FIELD_STRING, false, 1, 200 }, .null_keeps = true, .check = not_trimmed },
	{ { "email", FIELD_STRING, false, 3, 254 }, .check = not_an_email },
	{ { "active", FIELD_BOOL, false, 0, 0 }, .null_keeps = true },
	{ { "role", FIELD_STRING, false, 1, 16 }, .null_keeps = true, .check = not_a_role_to_give },
};
static const struct patch user_patch = {
	user_update_fields, sizeof(user_update_fields) / sizeof(user_update_fields[0]), NULL,
};

int users_list(struct request *req)
{
	const char *viewer[2], *role, *status, *q = req_query(req, "q");
	struct page page;
	PGresult *r = NULL;

	if (param_choice(req, "role", roles, &role) || param_choice(req, "status", statuses, &status) ||
	    param_page(req, &page))
		return 0;
	if (q && utf8_length(q) > 200)
		return param_invalid(req, "q", "too long");
	viewer_params(req, viewer);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_users_list), viewer[0], viewer[1], role,
			    status, q && *q ? q : NULL, param_text(req, page.limit),
			    param_text(req, page.offset));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

/* The user's document after the change, and the change's audit row. 0 or ES_EDB. */
static int user_changed(struct write_op *w, struct db_tx *tx, const char *action)
{
	PGresult *r = DB_EXEC(tx, &stmt_user_doc, w->id_text);

	return r ? write_audit(w, tx, action, PQgetvalue(r, 0, 0)) : ES_EDB;
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
	const char *username, *name, *email, *role, *company = NULL;
	char hash[PASSWORD_HASH_MAX], *hashp = NULL, location[64];
	struct write_op w;

	if (body_validate(req, fields, 7, v))
		return 0;
	username = field_string(v[0]);
	name = field_string(v[2]);
	email = field_string(v[3]);
	role = field_string(v[4]);
	account_check_names(username, name, email, &details);
	if (!role_valid(role))
		details_add(&details, "role", "must be admin, manager, employee or client");
	else if (!strcmp(role, "client") && !v[5])
		details_add(&details, "client_company_id", "required for a client user");
	else if (strcmp(role, "client") && v[5])
		details_add(&details, "client_company_id", "only client users belong to a company");
	if (details)
		return refusal_send_with(req, &refusal_invalid, details);
	if (!may_manage_role(req, role))
		return refusal_send(req, &r_creates_above);
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
	write_init(&w, req, "user", 0);
	DB_TX(req, tx) {
		PGresult *r = DB_EXEC(&tx, &stmt_user_insert, username, name, email, role, hashp, company,
				      v[6] && !json_object_get_boolean(v[6]) ? "false" : "true",
				      param_text(req, req->user->id));
		if (!r)
			continue;
		write_id(&w, atoll(PQgetvalue(r, 0, 0)));
		if (user_changed(&w, &tx, "create"))
			continue;
	}
	if (write_done(&w)) {
		snprintf(location, sizeof(location), "/api/v1/users/%lld", w.id);
		resp_header(req, "Location", location);
	}
	return write_answer(&w, 201);
}

int users_get(struct request *req)
{
	const char *viewer[2];
	long long id;
	PGresult *r = NULL;

	if (param_id(req, "id", &id))
		return 0;
	viewer_params(req, viewer);
	DB_READ_ONE(req, tx) {
		r = DB_EXEC(&tx, viewer_stmt(req, stmt_user_get), viewer[0], viewer[1],
			    param_text(req, id));
		if (!r)
			continue;
	}
	if (req->db.err)
		return req->db.err;
	if (PQntuples(r) != 1)
		return refusal_send(req, &r_no_user);
	return resp_json_text(req, 200, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
}

/* The locked user: role and state. */
struct target {
	const char *role;
	bool active;
	bool approved;
};

/*
 * Locks the user (stmt_user_lock's row, its document first): a missing
 * one is refused. Returns 0 with t read, ES_EDB (continue) or ES_ECONFLICT
 * (break).
 */
static int lock_target(struct write_op *w, struct db_tx *tx, struct target *t)
{
	PGresult *r = DB_EXEC(tx, &stmt_user_lock, w->id_text);

	if (!r)
		return ES_EDB;
	if (write_lock(w, r, &r_no_user))
		return ES_ECONFLICT;
	t->role = PQgetvalue(r, 0, 1);
	t->active = PQgetvalue(r, 0, 2)[0] == 't';
	t->approved = PQgetvalue(r, 0, 3)[0] == 't';
	return 0;
}

/*
 * The common start of changing a user: lock every admin (so two admins
 * cannot remove each other) and count the active ones, then the target,
 * refused when it is above the caller's station. Returns as lock_target.
 */
static int lock_managed(struct write_op *w, struct db_tx *tx, struct target *t, long *admins)
{
	PGresult *r = DB_EXEC0(tx, &stmt_lock_admins);
	int rc;

	if (!r)
		return ES_EDB;
	*admins = atol(PQgetvalue(r, 0, 0));
	rc = lock_target(w, tx, t);
	if (rc)
		return rc;
	return write_refuse(w, may_manage_role(req_from_tx(tx), t->role) ? NULL : &r_above);
}

/* The last active admin stays one: demoted (new role) or deactivated (active false) is refused. */
static const struct refusal *update_refusal(const struct target *t, const char *role,
					    struct json_object *active, long admins)
{
	bool was_admin = !strcmp(t->role, "admin") && t->active && t->approved;
	bool stays_admin = (!role || !strcmp(role, "admin")) &&
			   (!active || json_object_get_boolean(active));

	if (!strcmp(t->role, "client") && role && strcmp(role, "client"))
		return &r_client_role_fixed;
	return was_admin && !stays_admin && admins <= 1 ? &r_last_admin_kept : NULL;
}

int users_update(struct request *req)
{
	struct json_object *active;
	const char *doc, *role;
	struct target t;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || patch_doc(req, &user_patch, PATCH_UPDATE, &doc))
		return 0;
	role = field_string(patch_value(req, "role"));
	active = patch_value(req, "active");
	if (role && req->user->role != ROLE_ADMIN)
		return refusal_send(req, &r_role_change);
	if (id == req->user->id && role && strcmp(role, req->user->role_name))
		return refusal_send(req, &r_own_role);
	if (id == req->user->id && active && !json_object_get_boolean(active))
		return refusal_send(req, &r_deactivate_self);
	write_init(&w, req, "user", id);
	DB_TX(req, tx) {
		bool deactivating;
		long admins;
		int rc = lock_managed(&w, &tx, &t, &admins);

		if (rc == ES_EDB)
			continue;
		if (rc || write_refuse(&w, update_refusal(&t, role, active, admins)))
			break;
		deactivating = active && !json_object_get_boolean(active) && t.active;
		if (!DB_EXEC(&tx, &stmt_user_update, w.id_text, doc))
			continue;
		/* a deactivated user, or one with a new role, signs in again */
		if ((deactivating || role) && !DB_EXEC(&tx, &stmt_kill_sessions, w.id_text))
			continue;
		if (user_changed(&w, &tx, "update"))
			continue;
	}
	return write_answer(&w, 200);
}

int users_delete(struct request *req)
{
	struct strbuf *b = &req->resp.body;
	bool history = false;
	struct target t;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	if (id == req->user->id)
		return refusal_send(req, &r_delete_self);
	write_init(&w, req, "user", id);
	DB_TX(req, tx) {
		long admins;
		int rc = lock_managed(&w, &tx, &t, &admins);
		PGresult *r;

		if (rc == ES_EDB)
			continue;
		if (rc || write_refuse(&w, !strcmp(t.role, "admin") && t.active && t.approved &&
						   admins <= 1 ? &r_last_admin_removed : NULL))
			break;
		r = DB_EXEC(&tx, &stmt_user_history, w.id_text);
		if (!r)
			continue;
		/* someone with history is deactivated instead: the history keeps naming them */
		history = PQgetvalue(r, 0, 0)[0] == 't';
		if (history) {
			if (!DB_EXEC(&tx, &stmt_user_update, w.id_text, "{\"active\":false}") ||
			    !DB_EXEC(&tx, &stmt_kill_sessions, w.id_text) ||
			    user_changed(&w, &tx, "deactivate"))
				continue;
		} else if (!DB_EXEC(&tx, &stmt_user_delete, w.id_text) ||
			   write_audit(&w, &tx, "delete", NULL)) {
			continue;
		}
	}
	if (!write_done(&w) || !history)
		return write_answer(&w, 204);
	req->resp.status = 200;
	req->resp.content_type = "application/json";
	strbuf_reset(b);
	strbuf_addf(b, "{\"deactivated\":true,\"message\":\"The user has history and was "
		       "deactivated instead of deleted\",\"user\":%s}", w.after);
	return 0;
}

/* Approve or reject: both only for a pending signup, which is locked first. */
static int decide(struct request *req, bool approve)
{
	struct target t;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id))
		return 0;
	write_init(&w, req, "user", id);
	DB_TX(req, tx) {
		int rc = lock_target(&w, &tx, &t);

		if (rc == ES_EDB)
			continue;
		if (rc || write_refuse(&w, t.approved ? &r_not_pending : NULL))
			break;
		if (approve) {
			if (!DB_EXEC(&tx, &stmt_user_approve, w.id_text) ||
			    user_changed(&w, &tx, "approve"))
				continue;
		} else if (!DB_EXEC(&tx, &stmt_user_delete, w.id_text) ||
			   write_audit(&w, &tx, "reject", NULL)) {
			continue;   /* availability and certifications go with it (ON DELETE CASCADE) */
		}
	}
	return write_answer(&w, approve ? 200 : 204);
}

int users_approve(struct request *req)
{
	return decide(req, true);
}

int users_reject(struct request *req)
{
	return decide(req, false);
}

/* Certifications: of the users the caller manages, and only of workers. */
static const struct refusal *certifications_refusal(const struct request *req,
						    const struct target *t)
{
	if (!may_manage_role(req, t->role))
		return &r_above;
	if (strcmp(t->role, "employee") && strcmp(t->role, "manager") && strcmp(t->role, "admin"))
		return &r_not_a_worker;
	return NULL;
}

int users_set_certifications(struct request *req)
{
	static const struct field fields[] = {
		{ "can_crew_chief", FIELD_BOOL, true, 0, 0 },
		{ "can_forklift", FIELD_BOOL, true, 0, 0 },
		{ "can_truck", FIELD_BOOL, true, 0, 0 },
	};
	struct json_object *v[3];
	struct target t;
	struct write_op w;
	long long id;

	if (param_id(req, "id", &id) || body_validate(req, fields, 3, v))
		return 0;
	write_init(&w, req, "user", id);
	DB_TX(req, tx) {
		int rc = lock_target(&w, &tx, &t);

		if (rc == ES_EDB)
			continue;
		if (rc || write_refuse(&w, certifications_refusal(req, &t)))
			break;
		if (!DB_EXEC(&tx, &stmt_certs_upsert, w.id_text,
			     json_object_get_boolean(v[0]) ? "true" : "false",
			     json_object_get_boolean(v[1]) ? "true" : "false",
			     json_object_get_boolean(v[2]) ? "true" : "false",
			     param_text(req, req->user->id)) ||
		    user_changed(&w, &tx, "certifications"))
			continue;
	}
	return write_answer(&w, 200);
}
