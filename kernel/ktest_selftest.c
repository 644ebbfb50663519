/*
 * Tests of the test framework itself, and of catch_fault: a deliberate
 * fault must come back as data, not crash the kernel.
 */
#include "kernel/ktest.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "arch/i386/fault_catch.h"

#define UNMAPPED_ADDR 0x00000010u       /* the null page is never mapped */

/* noinline: the test checks the fault is reported inside this function. */
static __attribute__((noinline)) void write_unmapped(void *arg)
{
	*(volatile uint32_t *)arg = 0xdeadbeef;
}

static void nothing(void *arg)
{
}

static void catch_fault_returns_page_fault(struct ktest *t)
{
	struct fault_info f;

	KTEST_ASSERT(t, catch_fault(write_unmapped, (void *)UNMAPPED_ADDR, &f));
	KTEST_EXPECT_EQ(t, f.vector, 14);
	KTEST_EXPECT_EQ(t, f.cr2, UNMAPPED_ADDR);
	KTEST_EXPECT_EQ(t, f.error_code & 0x7, 0x2);    /* not present, write, kernel */
	uint32_t off;
	const char *fn = ksym_lookup(f.eip, &off);
	KTEST_EXPECT(t, fn && strcmp(fn, "write_unmapped") == 0);
}

static void catch_fault_without_fault(struct ktest *t)
{
	struct fault_info f;

	KTEST_EXPECT(t, !catch_fault(nothing, NULL, &f));
}

static void nested_catch_gets_inner_fault(void *arg)
{
	struct fault_info inner;
	bool *caught = arg;

	*caught = catch_fault(write_unmapped, (void *)UNMAPPED_ADDR, &inner);
}

static void catch_fault_nests(struct ktest *t)
{
	struct fault_info outer;
	bool inner_caught = false;

	KTEST_EXPECT(t, !catch_fault(nested_catch_gets_inner_fault, &inner_caught, &outer));
	KTEST_EXPECT(t, inner_caught);
}

static void symbol_lookup_finds_functions(struct ktest *t)
{
	uint32_t off;
	const char *name = ksym_lookup((uint32_t)symbol_lookup_finds_functions + 3, &off);

	KTEST_ASSERT(t, name != NULL);
	KTEST_EXPECT(t, strcmp(name, "symbol_lookup_finds_functions") == 0);
	KTEST_EXPECT_EQ(t, off, 3);
	KTEST_EXPECT(t, ksym_lookup(0x1000, &off) == NULL);
}

KTEST_SUITE(ktest_selftest,
	KTEST_CASE(catch_fault_returns_page_fault),
	KTEST_CASE(catch_fault_without_fault),
	KTEST_CASE(catch_fault_nests),
	KTEST_CASE(symbol_lookup_finds_functions));

/*
 * Manual suite for the harness: a case that faults without a catch of its
 * own must be reported "not ok" with the exception, and the run must go on
 * to the next case.  The harness expects exactly this failure.
 */
static void *volatile unmapped = (void *)UNMAPPED_ADDR;

static void deliberate_fault(struct ktest *t)
{
	write_unmapped(unmapped);
}

static void runs_after_fault(struct ktest *t)
{
	KTEST_EXPECT(t, true);
}

KTEST_MANUAL_SUITE(ktest_fault_report,
	KTEST_CASE(deliberate_fault),
	KTEST_CASE(runs_after_fault));
