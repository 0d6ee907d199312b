/*
 * The operator's documents keep up with the code: every configuration key
 * (base/config.c's table, as check-config prints it) is described in the
 * man page and listed in the sample easyshifts.conf, and a commented line
 * of the sample shows the key's real default.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "tests/lib/cu.h"

#define MAX_KEYS 128

struct key { char name[64]; char value[512]; };

static struct key keys[MAX_KEYS];
static size_t nkeys;
static char *manual, *sample;

static char *slurp(const char *name)
{
	const char *srcdir = getenv("srcdir");
	char path[1024];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", srcdir ? srcdir : ".", name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	getdelim(&text, &len, '\0', f);
	fclose(f);
	return text;
}

/* The defaults, one "key = value" line each, as check-config prints them. */
static int setup(void)
{
	struct config cfg;
	char *printed = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&printed, &len);

	config_defaults(&cfg);
	config_print(&cfg, out);
	fclose(out);
	config_release(&cfg);
	for (line = strtok_r(printed, "\n", &save); line && nkeys < MAX_KEYS;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " =");

		if (!eq)
			continue;
		snprintf(keys[nkeys].name, sizeof(keys[nkeys].name), "%.*s", (int)(eq - line), line);
		snprintf(keys[nkeys].value, sizeof(keys[nkeys].value), "%s",
			 eq[2] == ' ' ? eq + 3 : eq + 2);
		nkeys++;
	}
	free(printed);
	manual = slurp("doc/easyshifts.8.in");
	sample = slurp("etc/easyshifts.conf");
	return !manual || !sample || nkeys < 10;
}

static int teardown(void)
{
	free(manual);
	free(sample);
	return 0;
}

/* The line of text that starts with prefix, or NULL. */
static const char *line_starting(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text;

	while (p) {
		if (!strncmp(p, prefix, n))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void test_every_key_is_in_the_man_page(void)
{
	struct strbuf entry = STRBUF_INIT;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		strbuf_reset(&entry);
		strbuf_addf(&entry, ".B %s\n", keys[i].name);
		if (!strstr(manual, entry.buf))
			printf("\n    doc/easyshifts.8.in does not describe %s", keys[i].name);
		CU_ASSERT_PTR_NOT_NULL(strstr(manual, entry.buf));
	}
	strbuf_release(&entry);
}

static void test_every_key_is_in_the_sample_configuration(void)
{
	struct strbuf set = STRBUF_INIT;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		bool found;

		strbuf_reset(&set);
		strbuf_addf(&set, "#%s =", keys[i].name);
		found = line_starting(sample, set.buf) || line_starting(sample, set.buf + 1);
		if (!found)
			printf("\n    etc/easyshifts.conf lacks %s", keys[i].name);
		CU_ASSERT_TRUE(found);
	}
	strbuf_release(&set);
}

static void test_commented_sample_lines_show_the_defaults(void)
{
	struct strbuf commented = STRBUF_INIT, value = STRBUF_INIT;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		const char *line;

		strbuf_reset(&commented);
		strbuf_addf(&commented, "#%s =", keys[i].name);
		line = line_starting(sample, commented.buf);
		if (!line)
			continue;
		line += commented.len;
		line += *line == ' ';
		strbuf_reset(&value);
		strbuf_add(&value, line, strcspn(line, "\n"));
		if (strcmp(value.buf, keys[i].value))
			printf("\n    %s: the sample says \"%s\", the default is \"%s\"", keys[i].name,
			       value.buf, keys[i].value);
		CU_ASSERT_STRING_EQUAL(value.buf, keys[i].value);
	}
	strbuf_release(&commented);
	strbuf_release(&value);
}

int main(void)
{
	static const struct cu_test tests[] = {
		{ "every key is in the man page", test_every_key_is_in_the_man_page },
		{ "every key is in the sample configuration", test_every_key_is_in_the_sample_configuration },
		{ "commented sample lines show the defaults", test_commented_sample_lines_show_the_defaults },
		{ NULL, NULL },
	};

	return cu_run("documents", setup, teardown, tests);
}
