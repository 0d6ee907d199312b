/*
 * easyshifts: one program, several subcommands.
 *   serve         run the FastCGI master and its workers
 *   migrate       apply sql/NNN_*.sql and sql/functions/ to the database
 *   check-config  print the effective configuration, fail on a bad value
 *   status        print the live scoreboard of a running server
 *   create-admin  create the first admin account
 * doc/easyshifts.8 describes each one, every option and every exit status.
 * With handlers/routes.c it is the top floor: it plugs the API and its
 * per-process hooks (serve_hooks) into the process model.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/admin_cli.h"
#include "autoconfig.h"
#include "base/config.h"
#include "base/log.h"
#include "fcgi/master.h"
#include "fcgi/status.h"
#include "fcgi/worker.h"
#include "handlers/google_auth.h"
#include "handlers/ops.h"
#include "handlers/routes.h"
#include "pool/migrate.h"

#ifndef ES_CONFIG_FILE
#define ES_CONFIG_FILE "/etc/easyshifts/easyshifts.conf"
#endif
#ifndef ES_SQL_DIR
#define ES_SQL_DIR "/usr/share/easyshifts/sql"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: easyshifts [-c FILE] COMMAND [options]\n"
		"commands:\n"
		"  serve                 run the FastCGI master and workers\n"
		"  migrate [--dir DIR]   apply the SQL migrations (default %s)\n"
		"  check-config          print the effective configuration\n"
		"  status [--json]       print the workers, requests and pool counters of the\n"
		"                        running server (read from scoreboard_path)\n"
		"  create-admin --username U --name N [--email E] [--password-file F]\n"
		"                        create an admin (prompts for the password without a file)\n"
		"  version               print the version\n"
		"options:\n"
		"  -c, --config FILE     configuration file (default %s, optional)\n"
		"every key can be set with the environment variable EASYSHIFTS_<KEY>\n",
		ES_SQL_DIR, ES_CONFIG_FILE);
}

/* What each worker process serves, and does around it. */
static const struct worker_hooks serve_hooks = {
	.table = &routes_table,
	.init = google_auth_init,
	.release = google_auth_release,
	.housekeeping = ops_housekeeping,
};

struct cmdline {
	const char *config_path;
	bool config_required;
	const char *command;
	const char *sql_dir;
	const char *username, *name, *email, *password_file;
	bool json;
};

static int take_option(struct cmdline *cl, int c)
{
	switch (c) {
	case 'c':
		cl->config_path = optarg;
		cl->config_required = true;
		return 0;
	case 'd':
		cl->sql_dir = optarg;
		return 0;
	case 'u':
		cl->username = optarg;
		return 0;
	case 'n':
		cl->name = optarg;
		return 0;
	case 'e':
		cl->email = optarg;
		return 0;
	case 'p':
		cl->password_file = optarg;
		return 0;
	case 'j':
		cl->json = true;
		return 0;
	case 'h':
		usage(stdout);
		exit(0);
	default:
		return -1;
	}
}

static int parse_args(int argc, char **argv, struct cmdline *cl)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dir", required_argument, NULL, 'd' },
		{ "username", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(cl, 0, sizeof(*cl));
	cl->config_path = getenv("EASYSHIFTS_CONFIG");
	cl->config_required = cl->config_path != NULL;
	if (!cl->config_path)
		cl->config_path = ES_CONFIG_FILE;
	cl->sql_dir = getenv("EASYSHIFTS_SQL_DIR");
	if (!cl->sql_dir)
		cl->sql_dir = ES_SQL_DIR;
	while ((c = getopt_long(argc, argv, "+c:d:h", opts, NULL)) != -1)
		if (take_option(cl, c))
			return -1;
	if (optind >= argc)
		return -1;
	cl->command = argv[optind++];
	/* options may follow the command too */
	while ((c = getopt_long(argc, argv, "c:d:h", opts, NULL)) != -1)
		if (take_option(cl, c))
			return -1;
	return optind == argc ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct cmdline cl;
	struct config cfg;
	struct strbuf err = STRBUF_INIT;
	int rc;

	if (parse_args(argc, argv, &cl)) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_ALL)) {
		fprintf(stderr, "easyshifts: cannot initialise libsodium or libcurl\n");
		return 1;
	}
	if (!strcmp(cl.command, "version")) {
		printf("easyshifts %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (config_load(&cfg, cl.config_path, cl.config_required, &err)) {
		fprintf(stderr, "easyshifts: invalid configuration: %s\n", err.buf);
		strbuf_release(&err);
		config_release(&cfg);
		return 1;
	}
	strbuf_release(&err);
	log_setup(cfg.log_level, 0);

	if (!strcmp(cl.command, "check-config")) {
		struct strbuf warn = STRBUF_INIT;

		config_print(&cfg, stdout);
		if (config_warnings(&cfg, &warn))
			fprintf(stderr, "%s", warn.buf);
		strbuf_release(&warn);
		rc = 0;
	} else if (!strcmp(cl.command, "status")) {
		rc = status_command(&cfg, cl.json, stdout);
	} else if (!strcmp(cl.command, "create-admin")) {
		rc = admin_create(cfg.database, cl.username, cl.name, cl.email, cl.password_file);
	} else if (!strcmp(cl.command, "migrate")) {
		rc = migrate_run(cfg.database, cl.sql_dir) ? 1 : 0;
	} else if (!strcmp(cl.command, "serve")) {
		if (log_open(cfg.log_file)) {
			fprintf(stderr, "easyshifts: cannot open log_file %s\n", cfg.log_file);
			rc = 1;
		} else {
			rc = master_run(cl.config_path, cl.config_required, &cfg, &serve_hooks);
		}
	} else {
		usage(stderr);
		rc = 2;
	}
	config_release(&cfg);
	return rc;
}
