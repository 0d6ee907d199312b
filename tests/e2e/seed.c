#include "tests/e2e/seed.h"

#include "tests/lib/sql.h"

long long seed_user(const char *username, const char *name, const char *role)
{
	return sql_long("INSERT INTO users (username, name, role, active, approved)"
			" VALUES ('%s', '%s', '%s', true, true) RETURNING id", username, name, role);
}

long long seed_user_id(const char *username)
{
	return sql_long("SELECT id FROM users WHERE username = '%s'", username);
}

long long seed_company(const char *name)
{
	return sql_long("INSERT INTO client_companies (name) VALUES ('%s') RETURNING id", name);
}

long long seed_job(long long company, const char *name)
{
	return sql_long("INSERT INTO jobs (client_company_id, name) VALUES (%lld, '%s') RETURNING id",
			company, name);
}

long long seed_shift(long long job, const char *starts, const char *ends, const char *required)
{
	if (!required)
		return sql_long("INSERT INTO shifts (job_id, starts_at, ends_at)"
				" VALUES (%lld, (%s)::timestamptz, (%s)::timestamptz) RETURNING id",
				job, starts, ends);
	return sql_long("INSERT INTO shifts (job_id, starts_at, ends_at, required)"
			" VALUES (%lld, (%s)::timestamptz, (%s)::timestamptz, '%s') RETURNING id",
			job, starts, ends, required);
}

void seed_assign(long long shift, long long user, const char *role)
{
	sql("INSERT INTO assignments (shift_id, user_id, role) VALUES (%lld, %lld, '%s')", shift, user,
	    role);
}

void seed_week(const char *week_start, bool published)
{
	sql("INSERT INTO schedule_weeks (week_start, published, published_at) VALUES ('%s', %s, %s)"
	    " ON CONFLICT (week_start) DO UPDATE SET published = excluded.published,"
	    " published_at = excluded.published_at", week_start, published ? "true" : "false",
	    published ? "now()" : "NULL");
}

void seed_settings(const char *json)
{
	sql("UPDATE settings SET doc = doc || '%s' WHERE id = 1", json);
}
