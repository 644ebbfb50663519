/*
 * The rule of docs/design.md ("What may live on a kernel stack"), checked
 * where it matters: a timer queued at a window address stops the machine
 * with a clear message (manual suite; the window-addr-report boot expects
 * that failure).  The address is the bottom of the per-task stack slot:
 * what a timer declared on a task's stack would have in per-task mode.
 */
#include "kernel/ktest.h"
#include "kernel/timer.h"
#include "mm/ukva/window.h"

static void timer_at_window_address(struct ktest *t)
{
	add_timer((struct timer *)UKVA_STACK_BOTTOM);
	KTEST_EXPECT(t, false);         /* not reached */
}

KTEST_MANUAL_SUITE(window_addr_report,
	KTEST_CASE(timer_at_window_address));
