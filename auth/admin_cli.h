#ifndef ES_ADMIN_CLI_H
#define ES_ADMIN_CLI_H

/*
 * `easyshifts create-admin`: creates an active, approved admin. The
 * password comes from password_file (first line) or, without one, from a
 * prompt on the terminal (asked twice), or from standard input's first line
 * when there is no terminal. Prints the new id. Returns the exit status.
 */
int admin_create(const char *conninfo, const char *username, const char *name,
		 const char *email, const char *password_file);

#endif
