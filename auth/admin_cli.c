#include "auth/admin_cli.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/password.h"
#include "base/strbuf.h"

static const char sql_create_admin[] =
	"WITH u AS (INSERT INTO users (username, name, email, role, password_hash, active, approved)"
	"           VALUES ($1, $2, $3, 'admin', $4, true, true) RETURNING id),"
	"     c AS (INSERT INTO certifications (user_id) SELECT id FROM u)"
	" SELECT id FROM u";

static int read_line(FILE *f, char *buf, size_t cap)
{
	size_t n;

	if (!fgets(buf, (int)cap, f))
		return -1;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

static int prompt_password(const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int rc;

	if (!tty)
		return read_line(stdin, buf, cap);
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	rc = read_line(tty, buf, cap);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return rc;
}

static int get_password(const char *file, char *pw, size_t cap)
{
	char again[PASSWORD_MAX_LEN + 2];

	if (file) {
		FILE *f = fopen(file, "r");
		int rc;

		if (!f) {
			fprintf(stderr, "create-admin: cannot read %s\n", file);
			return -1;
		}
		rc = read_line(f, pw, cap);
		fclose(f);
		return rc;
	}
	if (prompt_password("Password: ", pw, cap))
		return -1;
	if (isatty(STDIN_FILENO)) {
		if (prompt_password("Again: ", again, sizeof(again)) || strcmp(pw, again)) {
			fprintf(stderr, "create-admin: the passwords differ\n");
			return -1;
		}
	}
	return 0;
}

int admin_create(const char *conninfo, const char *username, const char *name,
		 const char *email, const char *password_file)
{
	char pw[PASSWORD_MAX_LEN + 2], hash[PASSWORD_HASH_MAX];
	const char *params[4];
	PGconn *pg = NULL;
	PGresult *r = NULL;
	int rc = 1;

	if (!username || !name) {
		fprintf(stderr, "create-admin: --username and --name are required\n");
		return 2;
	}
	if (get_password(password_file, pw, sizeof(pw)))
		return 1;
	if (strlen(pw) < PASSWORD_MIN_LEN || strlen(pw) > PASSWORD_MAX_LEN) {
		fprintf(stderr, "create-admin: the password must have %d to %d characters\n",
			PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		goto out;
	}
	if (password_hash(pw, hash)) {
		fprintf(stderr, "create-admin: hashing failed\n");
		goto out;
	}
	pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "create-admin: cannot connect: %s", PQerrorMessage(pg));
		goto out;
	}
	params[0] = username;
	params[1] = name;
	params[2] = email;
	params[3] = hash;
	r = PQexecParams(pg, sql_create_admin, 4, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *c = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);

		if (c && !strcmp(c, "users_username_key"))
			fprintf(stderr, "create-admin: the username %s is taken\n", username);
		else if (c && !strcmp(c, "users_email_key"))
			fprintf(stderr, "create-admin: the email %s is taken\n", email);
		else
			fprintf(stderr, "create-admin: %s", PQerrorMessage(pg));
		goto out;
	}
	printf("created admin %s (id %s)\n", username, PQgetvalue(r, 0, 0));
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	PQclear(r);
	PQfinish(pg);
	return rc;
}
