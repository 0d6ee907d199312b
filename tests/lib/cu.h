#ifndef ES_TEST_CU_H
#define ES_TEST_CU_H

#include <CUnit/Basic.h>
#include <stdio.h>

/* A table of tests for one suite: { "name", function }. */
struct cu_test {
	const char *name;
	void (*fn)(void);
};

/*
 * Registers one suite with its tests, runs everything verbosely and returns
 * the process exit status (non-zero when anything failed).
 */
int cu_run(const char *suite, int (*setup)(void), int (*teardown)(void),
	   const struct cu_test *tests);

#endif
