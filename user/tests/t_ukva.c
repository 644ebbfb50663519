/*
 * The rule the address-space modes exist to measure, seen from user space
 * through the kernel's counters (ukva_counters, ukva_meminfo): a switch
 * between two threads of one process writes CR3 in mode per-task only; a
 * switch between two processes writes it in every mode; in per-cpu mode
 * a switch between threads INVLPGs their private window pages instead.  The pairs run
 * pinned to one CPU and alternate with sched_yield.  On Linux these calls
 * do not exist and the cases are skipped.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

#define ROUNDS 200

static volatile int turn;

/* CR3 writes so far, summed over CPUs. */
static uint32_t cr3_writes(void)
{
	uint32_t c[NR_UKVA_COUNTERS];

	sys_ukva_counters(-1, c, NR_UKVA_COUNTERS);
	return c[CNT_CR3_WRITE];
}

/* Pins the caller (and what it creates later) to CPU 0. */
static bool pin_to_cpu0(void)
{
	uint32_t mask = 1;

	return EXPECT_OK(sys_sched_setaffinity(0, sizeof(mask), &mask));
}

/* Takes ROUNDS turns, yielding until it is this side's turn each time. */
static int take_turns(void *arg)
{
	int me = (int)(long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		while (turn != me)
			sys_sched_yield();
		turn = !me;
	}
	return 0;
}

/* Yields ROUNDS times: with another such process on the CPU, each yield switches. */
static int yield_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++)
		sys_sched_yield();
	return 0;
}

/* Returns false (and skips the case) when not on the ukva kernel. */
static bool on_ukva(struct ukva_meminfo *mi)
{
	if (sys_ukva_meminfo(mi) == 0)
		return true;
	ktap_skip("not on the ukva kernel: no counters");
	return false;
}

/* Two threads of one mm strictly alternating: CR3 is written only in per-task. */
static void threads_of_one_mm(void)
{
	struct ukva_meminfo mi;
	struct thread *other;

	if (!on_ukva(&mi) || !pin_to_cpu0())
		return;
	turn = 0;
	uint32_t before = cr3_writes();
	if (!EXPECT_OK(thread_create(&other, take_turns, (void *)1L)))
		return;
	take_turns((void *)0L);
	thread_join(other);
	uint32_t writes = cr3_writes() - before;
	ktap_diag("mode %u: %u CR3 writes over %d alternations", mi.mode, writes, 2 * ROUNDS);
	if (mi.mode == UKVA_PER_TASK)
		EXPECT_GE(writes, 2 * ROUNDS - 2);
	else
		EXPECT(writes < ROUNDS / 10);
}

/* Two processes yielding to each other: CR3 is written in every mode. */
static void two_processes(void)
{
	struct ukva_meminfo mi;

	if (!on_ukva(&mi) || !pin_to_cpu0())
		return;
	uint32_t before = cr3_writes();
	long a = child_start(yield_rounds, NULL);
	long b = child_start(yield_rounds, NULL);
	EXPECT_EXIT(child_wait(a), 0);
	EXPECT_EXIT(child_wait(b), 0);
	uint32_t writes = cr3_writes() - before;
	ktap_diag("mode %u: %u CR3 writes over %d yields of two processes", mi.mode, writes,
		  2 * ROUNDS);
	EXPECT_GE(writes, ROUNDS);
}

#define PRIVATE_PAGES 8
static volatile int touched;

/* Maps PRIVATE_PAGES private pages, then takes turns like take_turns. */
static int touch_then_take_turns(void *arg)
{
	if (sys_ukva_private_touch(PRIVATE_PAGES) != PRIVATE_PAGES)
		return 1;
	touched = 1;
	return take_turns(arg);
}

/*
 * Private window pages (per-task and per-cpu modes only): a switch between
 * two threads of one process in per-cpu mode writes no CR3 and INVLPGs the
 * outgoing thread's 2 stack pages and its private pages.
 */
static void private_pages_per_switch(void)
{
	struct ukva_meminfo mi;
	struct thread *other;
	uint32_t before[NR_UKVA_COUNTERS], after[NR_UKVA_COUNTERS];

	if (!on_ukva(&mi) || !pin_to_cpu0())
		return;
	EXPECT_EQ(sys_ukva_private_touch(UKVA_PRIVATE_AREA_PAGES + 1),
		  mi.mode == UKVA_PER_TASK || mi.mode == UKVA_PER_CPU ? -EINVAL : -EOPNOTSUPP);
	long r = sys_ukva_private_touch(PRIVATE_PAGES);
	if (mi.mode != UKVA_PER_TASK && mi.mode != UKVA_PER_CPU) {
		EXPECT_EQ(r, -EOPNOTSUPP);
		return;
	}
	EXPECT_EQ(r, PRIVATE_PAGES);
	turn = 0;
	touched = 0;
	if (!EXPECT_OK(thread_create(&other, touch_then_take_turns, (void *)1L)))
		return;
	while (!touched)
		sys_sched_yield();
	sys_ukva_counters(0, before, NR_UKVA_COUNTERS);
	take_turns((void *)0L);
	sys_ukva_counters(0, after, NR_UKVA_COUNTERS);
	EXPECT_EQ(thread_join(other), 0);
	uint32_t same = after[CNT_SWITCH_SAME_MM] - before[CNT_SWITCH_SAME_MM];
	uint32_t invlpg = after[CNT_SWITCH_INVLPG] - before[CNT_SWITCH_INVLPG];
	uint32_t cr3 = after[CNT_CR3_WRITE] - before[CNT_CR3_WRITE];
	ktap_diag("mode %u: %u same-mm switches, %u CR3 writes, %u INVLPGs", mi.mode, same, cr3,
		  invlpg);
	EXPECT_GE(same, 2 * ROUNDS - 2);
	if (mi.mode == UKVA_PER_CPU) {
		EXPECT_EQ(cr3, 0);
		EXPECT_EQ(invlpg, same * (2 + PRIVATE_PAGES));      /* 2 stack pages */
	} else {
		EXPECT_GE(cr3, same);
		EXPECT_EQ(invlpg, 0);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(threads_of_one_mm),
	KTAP_CASE(two_processes),
	KTAP_CASE(private_pages_per_switch),
};

int main(void)
{
	return ktap_run("t_ukva", cases, ARRAY_SIZE(cases));
}
