/*
 * The rule the address-space modes exist to measure, seen from user space
 * through the kernel's counters (ukva_counters, ukva_meminfo): a switch
 * between two threads of one process writes CR3 in mode per-task only; a
 * switch between two processes writes it in every mode.  Both pairs run
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

static const struct ktap_case cases[] = {
	KTAP_CASE(threads_of_one_mm),
	KTAP_CASE(two_processes),
};

int main(void)
{
	return ktap_run("t_ukva", cases, ARRAY_SIZE(cases));
}
