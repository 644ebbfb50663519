/*
 * WARN_ON and BUG_ON that do not fire, WARN_ON that does; and, run only
 * when named (ktest=panic_report), a real panic from a known call chain
 * for the harness to check the report of:
 *
 *   Kernel panic: panic_report: deliberate panic, value 42
 *   EIP: 0060:... panic_report_inner+0x..   (the call to panic)
 *   ESI: 51515151 EDI: d1d1d1d1              (set just before the call)
 *   Call Trace: do_panic, panic_report_inner, panic_report_middle,
 *               panic_report_outer, panic_from_known_chain, ...
 */
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define __noipa         __attribute__((noipa))

static void warn_on_returns_its_condition(struct ktest *t)
{
	unsigned int before = warn_count;
	int level = console_loglevel;
	volatile int zero = 0, one = 1;

	console_loglevel = LOG_ERR;             /* keep the KTAP output clean */
	bool quiet = WARN_ON(zero);
	bool loud = WARN_ON(one);
	console_loglevel = level;
	KTEST_EXPECT(t, !quiet);
	KTEST_EXPECT(t, loud);
	KTEST_EXPECT_EQ(t, warn_count, before + 1);
}

static void bug_on_false_does_nothing(struct ktest *t)
{
	volatile int zero = 0;

	BUG_ON(zero);
	KTEST_EXPECT(t, true);
}

KTEST_SUITE(panic,
	KTEST_CASE(warn_on_returns_its_condition),
	KTEST_CASE(bug_on_false_does_nothing));

/* Marker values in ESI and EDI, then the call, so the report shows them. */
static __noipa void panic_report_inner(int value)
{
	static const char fmt[] = "panic_report: deliberate panic, value %d";

	__asm__ volatile("movl $0x51515151, %%esi\n\t"
			 "movl $0xd1d1d1d1, %%edi\n\t"
			 "pushl %0\n\t"
			 "pushl %1\n\t"
			 "call panic"
			 : : "r"(value), "r"(fmt) : "esi", "edi", "memory");
	__builtin_unreachable();
}

static __noipa void panic_report_middle(int value)
{
	panic_report_inner(value + 1);
	barrier();
}

static __noipa void panic_report_outer(int value)
{
	panic_report_middle(value + 1);
	barrier();
}

static void panic_from_known_chain(struct ktest *t)
{
	panic_report_outer(40);
	barrier();
}

KTEST_MANUAL_SUITE(panic_report,
	KTEST_CASE(panic_from_known_chain));
