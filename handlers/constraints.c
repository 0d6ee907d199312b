/*
 * The constraints of the schema (sql/) that a request can break, and the
 * refusal each one is answered with: the one place where a failed write's
 * constraint becomes an error. Handlers check what they can before
 * writing; the schema is the last word, and races end up here. A
 * constraint not listed is a 409 conflict (unique, foreign key) or a 422
 * naming the constraint (a value the schema refused): see http/dispatch.c.
 */
#include "handlers/constraints.h"

#include <stddef.h>

const struct constraint_refusal constraint_refusals[] = {
	/* people */
	{ "users_username_key", REFUSAL(409, "username_taken", "That username is taken") },
	{ "users_email_key", REFUSAL(409, "email_taken", "That email is already in use") },
	{ "users_google_sub_key",
	  REFUSAL(409, "google_account_in_use", "That Google account is linked to another user") },
	{ "users_client_company_id_fkey", INVALID("client_company_id", "unknown client company") },

	/* client companies */
	{ "client_companies_name_key",
	  { .status = 409, .code = "client_name_taken",
	    .message = "Another client already has that name", .field = "name",
	    .rule = "unique_client_name" } },
	{ "client_companies_name_check", INVALID("name", "not a valid name") },
	{ "client_companies_contact_name_check", INVALID("contact_name", "too long") },
	{ "client_companies_contact_email_check", INVALID("contact_email", "not an email address") },
	{ "client_companies_contact_phone_check", INVALID("contact_phone", "too long") },

	/* jobs */
	{ "jobs_client_company_id_fkey", INVALID("client_company_id", "unknown client") },
	{ "jobs_estimated_dates_check",
	  INVALID("estimated_end", "must not be before estimated_start") },
	{ "jobs_name_check", INVALID("name", "not a valid name") },
	{ "jobs_description_check", INVALID("description", "too long") },
	{ "jobs_venue_name_check", INVALID("venue_name", "too long") },
	{ "jobs_venue_address_check", INVALID("venue_address", "too long") },
	{ "jobs_venue_contact_check", INVALID("venue_contact", "too long") },

	/* shifts */
	{ "shifts_time_check", INVALID("ends_at", "must be after starts_at") },

	{ NULL, { 0 } },
};
