#include "tests/lib/cu.h"

int cu_run(const char *suite, int (*setup)(void), int (*teardown)(void),
	   const struct cu_test *tests)
{
	CU_pSuite s;
	unsigned int failures;
	int rc;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite(suite, setup, teardown);
	for (; s && tests->name; tests++)
		CU_add_test(s, tests->name, tests->fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
		   CU_get_number_of_tests_failed();
	rc = (failures || !s || CU_get_number_of_tests_run() == 0) ? 1 : 0;
	CU_cleanup_registry();
	printf("\n");
	return rc;
}
