/*
 * A minimal host-side unit test harness: CHECK records failures with their
 * location, TEST_MAIN runs the listed tests and prints "N passed, N failed".
 * Host tests include the kernel's pure-logic .c file they test directly.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",          \
				__FILE__, __LINE__, #cond);                     \
			check_failures++;                                       \
		}                                                               \
	} while (0)

#define CHECK_EQ(a, b)                                                          \
	do {                                                                    \
		unsigned long long _a = (a), _b = (b);                          \
		if (_a != _b) {                                                 \
			fprintf(stderr, "  %s:%d: %s == %s: 0x%llx != 0x%llx\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);            \
			check_failures++;                                       \
		}                                                               \
	} while (0)

struct host_test {
	const char *name;
	void (*fn)(void);
};

/* Run each test; a test passes when it records no failure. */
static inline int run_host_tests(const char *file, const struct host_test *t, int n)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < n; i++) {
		int before = check_failures;
		t[i].fn();
		if (check_failures == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s: %s\n", file, t[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", file, passed, failed);
	return failed != 0;
}

#define TEST(fn) { #fn, fn }
#define TEST_MAIN(...)                                                          \
	int main(void)                                                          \
	{                                                                       \
		static const struct host_test tests[] = { __VA_ARGS__ };        \
		return run_host_tests(__FILE__, tests,                          \
				      (int)(sizeof(tests) / sizeof(tests[0]))); \
	}

#endif
