/*
 * The folders are the floors of the program, from the ground up:
 *
 *   1  core/      arena, strbuf, log, config, errors
 *   2  pool/      libpq pool, transaction scope, SQLSTATE classification, migrations
 *   3  http/      request, response, router, dispatch, params, validate
 *   4  fcgi/      process model: master, workers, scoreboard, status
 *   4  auth/      sessions, passwords, roles, audit, Google sign-in
 *   5  handlers/  one file per area of the API, and the route table
 *   6  fcgi/main.c, the top: plugs handlers/ into fcgi/ (worker hooks)
 *
 * A file includes headers of its own folder or of a lower floor, never of a
 * higher one nor of the folder beside it (fcgi/ and auth/ know nothing of
 * each other). A handler file includes no other handler's header: a
 * handler is a module whose header the route table (handlers/routes.c)
 * includes; what handlers share is a module of its own, which the table
 * does not include (handlers/week_cache.c). Every #include "folder/file.h"
 * of the tree is read from the sources ($srcdir).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/cu.h"

struct floor {
	const char *folder;
	int level;
};

static const struct floor floors[] = {
	{ "base", 1 }, { "pool", 2 }, { "http", 3 }, { "fcgi", 4 }, { "auth", 4 }, { "handlers", 5 },
};
#define NFLOORS (sizeof(floors) / sizeof(floors[0]))
#define TOP_LEVEL 6

/* Files that stand above their folder: the top, which wires everything. */
static const char *const top_files[] = { "fcgi/main.c", NULL };

/* One #include "x/y.h" line. */
struct include {
	char file[300];     /* "http/dispatch.c" */
	char header[300];   /* "auth/auth.h" */
	int line;
};

static struct include *includes;
static size_t nincludes, nfiles[NFLOORS];

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* The floor of a folder name (the part of path before its first '/'), or 0. */
static int folder_level(const char *path)
{
	size_t n = strcspn(path, "/"), i;

	for (i = 0; i < NFLOORS; i++)
		if (strlen(floors[i].folder) == n && !strncmp(floors[i].folder, path, n))
			return floors[i].level;
	return 0;
}

static int file_level(const char *file)
{
	return in_list(top_files, file) ? TOP_LEVEL : folder_level(file);
}

static bool same_folder(const char *a, const char *b)
{
	size_t n = strcspn(a, "/");

	return n == strcspn(b, "/") && !strncmp(a, b, n);
}

static void read_file(const char *srcdir, const char *file)
{
	char path[1024], *text = NULL;
	size_t cap = 0;
	int line = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", srcdir, file);
	f = fopen(path, "r");
	if (!f)
		return;
	while (getline(&text, &cap, f) > 0) {
		const char *p = text, *end;
		struct include *inc;

		line++;
		p += strspn(p, " \t");
		if (strncmp(p, "#include \"", 10))
			continue;
		p += 10;
		end = strchr(p, '"');
		if (!end || !memchr(p, '/', (size_t)(end - p)))
			continue;   /* "autoconfig.h": generated, no floor */
		includes = realloc(includes, (nincludes + 1) * sizeof(*includes));
		if (!includes)
			abort();
		inc = &includes[nincludes++];
		snprintf(inc->file, sizeof(inc->file), "%s", file);
		snprintf(inc->header, sizeof(inc->header), "%.*s", (int)(end - p), p);
		inc->line = line;
	}
	free(text);
	fclose(f);
}

static int setup(void)
{
	const char *srcdir = getenv("srcdir");
	size_t i;

	if (!srcdir)
		srcdir = ".";
	for (i = 0; i < NFLOORS; i++) {
		char path[1024];
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", srcdir, floors[i].folder);
		d = opendir(path);
		if (!d)
			return 1;
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name);
			char file[300];

			if (n < 3 || e->d_name[n - 2] != '.' ||
			    (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h'))
				continue;
			snprintf(file, sizeof(file), "%s/%s", floors[i].folder, e->d_name);
			read_file(srcdir, file);
			nfiles[i]++;
		}
		closedir(d);
	}
	return 0;
}

static int teardown(void)
{
	free(includes);
	return 0;
}

static void refuse(const struct include *inc, const char *why)
{
	printf("\n    %s:%d includes %s: %s", inc->file, inc->line, inc->header, why);
}

static void test_every_floor_holds_sources(void)
{
	size_t i;

	for (i = 0; i < NFLOORS; i++) {
		if (!nfiles[i])
			printf("\n    %s/ holds no .c or .h file", floors[i].folder);
		CU_ASSERT(nfiles[i] > 0);
	}
	CU_ASSERT(nincludes > 100);
}

static void test_only_floor_folders_are_included(void)
{
	size_t i;

	for (i = 0; i < nincludes; i++) {
		bool ok = folder_level(includes[i].header) > 0;

		if (!ok)
			refuse(&includes[i], "not a folder of the program");
		CU_ASSERT_TRUE(ok);
	}
}

static void test_no_file_includes_a_header_of_a_higher_floor(void)
{
	size_t i;

	for (i = 0; i < nincludes; i++) {
		const struct include *inc = &includes[i];
		int from = file_level(inc->file), to = folder_level(inc->header);
		bool ok = same_folder(inc->file, inc->header) || to < from;

		if (!ok) {
			char why[96];

			snprintf(why, sizeof(why), "a floor-%d header in a floor-%d file%s", to, from,
				 to == from ? " (side by side)" : "");
			refuse(inc, why);
		}
		CU_ASSERT_TRUE(ok);
	}
}

/* "handlers/jobs.c" and "handlers/jobs.h" are one module. */
static bool own_header(const char *file, const char *header)
{
	size_t n = strlen(file) - 2;

	return strlen(header) == n + 2 && !strncmp(file, header, n);
}

/* True when the route table includes header: it declares route handlers. */
static bool is_handler_header(const char *header)
{
	size_t i;

	if (strncmp(header, "handlers/", 9) || !strcmp(header, "handlers/routes.h"))
		return false;
	for (i = 0; i < nincludes; i++)
		if (!strcmp(includes[i].file, "handlers/routes.c") &&
		    !strcmp(includes[i].header, header))
			return true;
	return false;
}

static void test_the_route_table_names_the_handlers(void)
{
	CU_ASSERT_TRUE(is_handler_header("handlers/jobs.h"));
	CU_ASSERT_TRUE(is_handler_header("handlers/client_directory.h"));
	CU_ASSERT_FALSE(is_handler_header("handlers/week_cache.h"));
}

static void test_no_handler_file_includes_another_handlers_header(void)
{
	size_t i;

	for (i = 0; i < nincludes; i++) {
		const struct include *inc = &includes[i];
		bool ok;

		if (strncmp(inc->file, "handlers/", 9) || !strcmp(inc->file, "handlers/routes.c"))
			continue;
		ok = own_header(inc->file, inc->header) || !is_handler_header(inc->header);
		if (!ok)
			refuse(inc, "another handler's header (move what they share below, or "
				    "into a module of its own)");
		CU_ASSERT_TRUE(ok);
	}
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every floor holds sources", test_every_floor_holds_sources },
		{ "only floor folders are included", test_only_floor_folders_are_included },
		{ "no file includes a header of a higher floor", test_no_file_includes_a_header_of_a_higher_floor },
		{ "the route table names the handlers", test_the_route_table_names_the_handlers },
		{ "no handler file includes another handler's header", test_no_handler_file_includes_another_handlers_header },
		{ NULL, NULL },
	};

	return cu_run("layers", setup, teardown, tests);
}
