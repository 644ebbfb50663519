/*
 * In-kernel tests, reported in KTAP over the serial console.
 *
 * A suite is an array of cases registered in the .ktest_suites section:
 *
 *     static void adds(struct ktest *t) { KTEST_EXPECT_EQ(t, 1 + 1, 2); }
 *     KTEST_SUITE(arith, KTEST_CASE(adds));
 *
 * The boot option ktest=all runs every suite except manual ones; ktest=a,b
 * runs the named suites (manual ones included).  Each case runs under a
 * fault catch: an exception inside a case fails that case and the run
 * goes on.  At the end the machine exits with the verdict.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include "kernel/compiler.h"
#include "arch/i386/setjmp.h"

struct ktest {
	const char *name;
	int failures;
	const char *skip_reason;
	jmp_buf abort;                  /* where ktest_abort() returns to */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned ncases;
	bool manual;                    /* only when named explicitly */
};

#define KTEST_CASE(fn)  { #fn, fn }

#define __KTEST_SUITE(sname, is_manual, ...)                                    \
	static const struct ktest_case sname##_ktest_cases[] = { __VA_ARGS__ }; \
	static const struct ktest_suite sname##_ktest_suite                     \
	__section(".ktest_suites") __used __attribute__((aligned(4))) = {       \
		#sname, sname##_ktest_cases, ARRAY_SIZE(sname##_ktest_cases),   \
		is_manual }
#define KTEST_SUITE(sname, ...)         __KTEST_SUITE(sname, false, __VA_ARGS__)
#define KTEST_MANUAL_SUITE(sname, ...)  __KTEST_SUITE(sname, true, __VA_ARGS__)

/* Record a failure with a diagnostic line; the case goes on. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Print a diagnostic ("# ...") line inside the current case. */
void ktest_diag(struct ktest *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Abandon the current case now (after a failure, or a skip). */
__noreturn void ktest_abort(struct ktest *t);
/* Mark the case skipped, with a reason, and abandon it. */
__noreturn void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_EXPECT(t, cond)                                                   \
	do {                                                                    \
		if (!(cond))                                                    \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond); \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b)                                                \
	do {                                                                    \
		unsigned long long _a = (unsigned long long)(a);                \
		unsigned long long _b = (unsigned long long)(b);                \
		if (_a != _b)                                                   \
			ktest_fail(t, __FILE__, __LINE__,                       \
				   "expected %s == %s, got 0x%llx != 0x%llx",   \
				   #a, #b, _a, _b);                             \
	} while (0)

#define KTEST_ASSERT(t, cond)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			ktest_fail(t, __FILE__, __LINE__, "assertion %s failed", #cond); \
			ktest_abort(t);                                         \
		}                                                               \
	} while (0)

/* Did the boot command line ask for tests? */
bool ktest_requested(void);
/* Run the selected suites, print KTAP; returns true iff nothing failed. */
bool ktest_run_selected(void);

#endif
