/*
 * The KTAP runner.  Output shape (nested suites indented two spaces):
 *
 *   KTAP version 1
 *   1..2
 *     KTAP version 1
 *     # Subtest: frames
 *     1..3
 *     ok 1 alloc_all_free_all
 *     # kmap.c:40: expected ... 
 *     not ok 2 kmap_patterns
 *     ok 3 walker # SKIP no highmem
 *   not ok 1 frames
 *   ...
 *   # ktest: 7 passed, 1 failed, 1 skipped
 */
#include <stdarg.h>
#include "kernel/ktest.h"
#include "kernel/bootparam.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/ksyms.h"
#include "kernel/counters.h"
#include "kernel/profile.h"
#include "arch/i386/fault_catch.h"

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

#define SUITE_INDENT "  "

static char selection[256];             /* "" = no tests, "all", or "a,b,c" */

struct tally {
	unsigned passed, failed, skipped;
};

static int set_ktest(const char *v)
{
	if (!v || !*v || strlen(v) >= sizeof(selection))
		return -1;
	memcpy(selection, v, strlen(v) + 1);
	return 0;
}
BOOT_PARAM("ktest", set_ktest, "all, or a comma-separated list of suite names");

bool ktest_requested(void)
{
	return selection[0] != '\0';
}

/* Is name one of the comma-separated words of the selection? */
static bool named_in_selection(const char *name)
{
	size_t n = strlen(name);

	for (const char *s = selection; *s;) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == n && strncmp(s, name, n) == 0)
			return true;
		if (!end)
			break;
		s = end + 1;
	}
	return false;
}

static bool suite_selected(const struct ktest_suite *s)
{
	if (named_in_selection(s->name))
		return true;
	return !s->manual && strcmp(selection, "all") == 0;
}

void ktest_diag(struct ktest *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf(SUITE_INDENT "# %s: %s\n", t->name, buf);
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf(SUITE_INDENT "# %s: %s:%d: %s\n", t->name, file, line, buf);
	t->failures++;
}

void ktest_abort(struct ktest *t)
{
	longjmp(t->abort, 1);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skip_reason = reason;
	ktest_abort(t);
}

struct case_run {
	struct ktest t;
	const struct ktest_case *c;
};

/* The fault-catch body: run the case; ktest_abort() lands back here. */
static void run_case_body(void *arg)
{
	struct case_run *r = arg;

	if (setjmp(r->t.abort) == 0)
		r->c->run(&r->t);
}

/* Run one case under a fault catch and print its result line. */
static void run_case(const struct ktest_case *c, unsigned index, struct tally *tally)
{
	struct case_run r = { .t = { .name = c->name }, .c = c };
	struct fault_info fault;

	if (catch_fault(run_case_body, &r, &fault)) {
		char sym[96];
		ksym_format(fault.eip, sym, sizeof(sym));
		kprintf(SUITE_INDENT "# %s: exception %u (error 0x%x) at %s, cr2=0x%08x\n",
			c->name, fault.vector, fault.error_code, sym, fault.cr2);
		r.t.failures++;
	}

	if (r.t.failures) {
		kprintf(SUITE_INDENT "not ok %u %s\n", index, c->name);
		tally->failed++;
	} else if (r.t.skip_reason) {
		kprintf(SUITE_INDENT "ok %u %s # SKIP %s\n", index, c->name, r.t.skip_reason);
		tally->skipped++;
	} else {
		kprintf(SUITE_INDENT "ok %u %s\n", index, c->name);
		tally->passed++;
	}
}

/* Run a suite as a nested KTAP test; returns true iff no case failed. */
static bool run_suite(const struct ktest_suite *s, unsigned index, struct tally *tally)
{
	unsigned failed_before = tally->failed;

	kprintf(SUITE_INDENT "KTAP version 1\n");
	kprintf(SUITE_INDENT "# Subtest: %s\n", s->name);
	kprintf(SUITE_INDENT "1..%u\n", s->ncases);
	for (unsigned i = 0; i < s->ncases; i++)
		run_case(&s->cases[i], i + 1, tally);
	bool ok = tally->failed == failed_before;
	kprintf("%s %u %s\n", ok ? "ok" : "not ok", index, s->name);
	return ok;
}

bool ktest_run_selected(void)
{
	struct tally tally = { 0 };
	unsigned nsuites = 0, index = 0;
	bool all_ok = true;

	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nsuites += suite_selected(s);

	kprintf("KTAP version 1\n");
	kprintf("1..%u\n", nsuites);
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (suite_selected(s))
			all_ok &= run_suite(s, ++index, &tally);
	if (nsuites == 0) {
		kprintf("# ktest: no suite matches '%s'\n", selection);
		all_ok = false;
	}
	kprintf("# ktest: %u passed, %u failed, %u skipped\n",
		tally.passed, tally.failed, tally.skipped);
	print_counters();
	profile_print();
	return all_ok;
}
