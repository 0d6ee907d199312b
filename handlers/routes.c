/*
 * The API, one line per route: method, path (under /api/v1), who may call
 * it, and the handler. The router enforces the access column, with the
 * session check of auth/auth.c for the roles.
 */
#include "handlers/routes.h"

#include "auth/auth.h"
#include "handlers/audit_log.h"
#include "handlers/client_directory.h"
#include "handlers/constraints.h"
#include "handlers/debug.h"
#include "handlers/enhanced_schedule.h"
#include "handlers/google_auth.h"
#include "handlers/jobs.h"
#include "handlers/login.h"
#include "handlers/manager_schedule.h"
#include "handlers/ops.h"
#include "handlers/settings.h"
#include "handlers/shift_management.h"
#include "handlers/timesheet_management.h"
#include "handlers/user_management.h"

const struct route routes[] = {
	/* operations */
	{ "GET", "/healthz", ACCESS_PUBLIC, ops_healthz },
	{ "GET", "/readyz", ACCESS_PUBLIC, ops_readyz },
	{ "GET", "/status", ACCESS_LOCAL, ops_status },

	/* sign-in (handlers/login.c) */
	{ "POST", "/auth/login", ACCESS_PUBLIC, login_password },
	{ "POST", "/auth/logout", ACCESS_USER, login_logout },
	{ "GET", "/auth/me", ACCESS_USER, login_me },
	{ "POST", "/auth/signup", ACCESS_PUBLIC, login_signup },

	/* Google sign-in (handlers/google_auth.c) */
	{ "POST", "/auth/google", ACCESS_PUBLIC, google_auth_credential },
	{ "GET", "/auth/google/start", ACCESS_PUBLIC, google_auth_start },
	{ "GET", "/auth/google/callback", ACCESS_PUBLIC, google_auth_callback },
	{ "POST", "/auth/google/link", ACCESS_USER, google_auth_link },

	/* people (handlers/user_management.c) */
	{ "GET", "/users", ACCESS_MANAGER, users_list },
	{ "POST", "/users", ACCESS_MANAGER, users_create },
	{ "GET", "/users/{id}", ACCESS_USER, users_get },
	{ "PATCH", "/users/{id}", ACCESS_MANAGER, users_update },
	{ "DELETE", "/users/{id}", ACCESS_MANAGER, users_delete },
	{ "POST", "/users/{id}/approve", ACCESS_MANAGER, users_approve },
	{ "POST", "/users/{id}/reject", ACCESS_MANAGER, users_reject },
	{ "PUT", "/users/{id}/certifications", ACCESS_MANAGER, users_set_certifications },

	/* shifts and assignments (handlers/shift_management.c) */
	{ "GET", "/shifts", ACCESS_USER, shifts_list },
	{ "POST", "/shifts", ACCESS_MANAGER, shifts_create },
	{ "POST", "/shifts/bulk", ACCESS_MANAGER, shifts_create_bulk },
	{ "GET", "/shifts/{id}", ACCESS_USER, shifts_get },
	{ "PATCH", "/shifts/{id}", ACCESS_MANAGER, shifts_update },
	{ "DELETE", "/shifts/{id}", ACCESS_MANAGER, shifts_delete },
	{ "POST", "/shifts/{id}/assignments", ACCESS_EMPLOYEE, shifts_assign },
	{ "DELETE", "/shifts/{id}/assignments/{user_id}/{role}", ACCESS_EMPLOYEE, shifts_unassign },
	{ "GET", "/me/shifts", ACCESS_EMPLOYEE, shifts_mine },

	/*
	 * client companies (handlers/client_directory.c): ACCESS_USER routes let
	 * a client user read their own company; the handler refuses employees
	 */
	{ "GET", "/clients", ACCESS_MANAGER, client_directory_list },
	{ "POST", "/clients", ACCESS_MANAGER, client_directory_create },
	{ "GET", "/clients/analytics", ACCESS_MANAGER, client_directory_analytics },
	{ "GET", "/clients/{id}", ACCESS_USER, client_directory_get },
	{ "PATCH", "/clients/{id}", ACCESS_MANAGER, client_directory_update },
	{ "DELETE", "/clients/{id}", ACCESS_MANAGER, client_directory_delete },

	/* jobs (handlers/jobs.c): clients read their own company's, as above */
	{ "GET", "/jobs", ACCESS_USER, jobs_list },
	{ "POST", "/jobs", ACCESS_MANAGER, jobs_create },
	{ "GET", "/jobs/{id}", ACCESS_USER, jobs_get },
	{ "PATCH", "/jobs/{id}", ACCESS_MANAGER, jobs_update },
	{ "DELETE", "/jobs/{id}", ACCESS_MANAGER, jobs_delete },

	/* schedule weeks (handlers/manager_schedule.c); {date} is any day of the week */
	{ "GET", "/schedule/weeks/{date}", ACCESS_USER, weeks_get },
	{ "POST", "/schedule/weeks/{date}/publish", ACCESS_MANAGER, weeks_publish },
	{ "POST", "/schedule/weeks/{date}/unpublish", ACCESS_MANAGER, weeks_unpublish },
	{ "PUT", "/schedule/weeks/{date}/request-window", ACCESS_MANAGER, weeks_set_request_window },
	{ "PUT", "/schedule/weeks/{date}/preferences", ACCESS_MANAGER, weeks_set_preferences },
	{ "POST", "/schedule/weeks/{date}/copy", ACCESS_MANAGER, weeks_copy },
	{ "GET", "/schedule/weeks/{date}/conflicts", ACCESS_MANAGER, weeks_conflicts },

	/* availability (handlers/enhanced_schedule.c) */
	{ "GET", "/schedule/weeks/{date}/availability", ACCESS_MANAGER, availability_week },
	{ "GET", "/me/availability/{date}", ACCESS_EMPLOYEE, availability_mine },
	{ "PUT", "/me/availability/{date}", ACCESS_EMPLOYEE, availability_submit },

	/* time sheets (handlers/timesheet_management.c): crew chiefs' powers are per shift */
	{ "GET", "/shifts/{id}/timesheet", ACCESS_USER, timesheet_get },
	{ "POST", "/shifts/{id}/clock", ACCESS_EMPLOYEE, timesheet_clock },
	{ "POST", "/shifts/{id}/absent", ACCESS_EMPLOYEE, timesheet_absent },
	{ "POST", "/shifts/{id}/end", ACCESS_EMPLOYEE, timesheet_end },
	{ "PUT", "/shifts/{id}/timesheet/{user_id}/{role}", ACCESS_EMPLOYEE, timesheet_edit },
	{ "POST", "/shifts/{id}/timesheet/submit", ACCESS_EMPLOYEE, timesheet_submit },
	{ "POST", "/shifts/{id}/timesheet/approve", ACCESS_MANAGER, timesheet_approve },
	{ "POST", "/shifts/{id}/timesheet/reject", ACCESS_MANAGER, timesheet_reject },
	{ "GET", "/timesheets", ACCESS_USER, timesheets_list },

	/* settings (handlers/settings.c) */
	{ "GET", "/settings", ACCESS_USER, settings_get },
	{ "PUT", "/settings", ACCESS_MANAGER, settings_update },

	/* who changed what (handlers/audit_log.c) */
	{ "GET", "/audit", ACCESS_MANAGER, audit_list },

	/* test suites only (debug_routes = on) */
	{ "POST", "/debug/echo", ACCESS_DEBUG, debug_echo },
	{ "GET", "/debug/sleep", ACCESS_DEBUG, debug_sleep },
	{ "GET", "/debug/backend", ACCESS_DEBUG, debug_backend },
	{ "POST", "/debug/tx", ACCESS_DEBUG, debug_tx_write },
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

const struct dispatch_table routes_table = {
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.authenticate = auth_require,
	.constraints = constraint_refusals,
};
