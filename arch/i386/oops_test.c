/*
 * Fatal exception reports, each in its own boot, run only when named; the
 * harness checks the report and exit status 35.
 *
 * ktest=oops_report: a kernel write to an unmapped address outside any
 * fault catch.  Expected: "Oops: page fault (#PF), vector 14, error 0x0002
 * [not-present write kernel]", "BUG: unable to handle page fault for
 * address 40000000", EIP in oops_report_inner, and a Call Trace of
 * oops_report_inner, oops_report_outer, oops_from_known_chain.
 *
 * ktest=double_fault_report: a kernel stack that runs into an unmapped
 * page.  The push faults, delivering that #PF faults again, and the CPU
 * raises #DF through the task gate.  Expected: "Oops: double fault
 * (#DF)", ESP 40001000, EIP in double_fault_inner, and a Call Trace of
 * double_fault_inner, double_fault_outer, stack_overflow_double_faults.
 */
#include "kernel/ktest.h"
#include "kernel/compiler.h"
#include "arch/i386/fault_catch.h"

#define UNMAPPED_ADDR   0x40000000u     /* PGD entry 1: never mapped in the kernel */
#define __noipa         __attribute__((noipa))

static __noipa void oops_report_inner(volatile uint32_t *p)
{
	*p = 0xdeadbeef;
	barrier();
}

static __noipa void oops_report_outer(volatile uint32_t *p)
{
	oops_report_inner(p);
	barrier();
}

static void oops_from_known_chain(struct ktest *t)
{
	struct fault_catch *saved = fault_catch_suspend();

	oops_report_outer((volatile uint32_t *)UNMAPPED_ADDR);
	fault_catch_resume(saved);
	ktest_fail(t, __FILE__, __LINE__, "the write to an unmapped address did not fault");
}

KTEST_MANUAL_SUITE(oops_report,
	KTEST_CASE(oops_from_known_chain));

/*
 * Move ESP to the top of an unmapped page, as if the stack overflowed.
 * The stack variable gives the function a frame, so the backtrace (which
 * cannot read the broken stack) names its caller.
 */
static __noipa void double_fault_inner(void)
{
	volatile uint32_t on_stack = 0;

	__asm__ volatile("movl %1, %%esp\n\t"
			 "pushl $0" : "+m"(on_stack) : "i"(UNMAPPED_ADDR + 4096));
	__builtin_unreachable();
}

static __noipa void double_fault_outer(void)
{
	double_fault_inner();
	barrier();
}

static void stack_overflow_double_faults(struct ktest *t)
{
	double_fault_outer();
	barrier();
}

KTEST_MANUAL_SUITE(double_fault_report,
	KTEST_CASE(stack_overflow_double_faults));
