#ifndef ES_E2E_SEED_H
#define ES_E2E_SEED_H

#include <stdbool.h>

/*
 * Fixtures written straight into the tables, without the API: what a test
 * needs to exist before it asks the server anything. Each returns the new
 * row's id, or -1 when the insert failed (printed).
 */

/* An active, approved user of role ("employee", "manager", "admin"; clients need a company). */
long long seed_user(const char *username, const char *name, const char *role);
/* The id of the user named username; -1 when there is none. */
long long seed_user_id(const char *username);
/* A client company. */
long long seed_company(const char *name);
/* An active job of company. */
long long seed_job(long long company, const char *name);
/*
 * A shift of job from starts to ends, both SQL expressions ("now() - interval
 * '3 hours'", "'2031-03-10 08:00+00'"); required is the roles JSON, or NULL
 * for the column's default.
 */
long long seed_shift(long long job, const char *starts, const char *ends, const char *required);
/* Assigns user to shift in role (no rule is checked). */
void seed_assign(long long shift, long long user, const char *role);
/* The schedule week starting on week_start ("2026-06-01"), published or not, created or updated. */
void seed_week(const char *week_start, bool published);
/* Merges json ("{\"time_zone\": \"UTC\"}") into the settings document. */
void seed_settings(const char *json);

#endif
