/*
 * Kernel text replicas seen from user space (this kernel only: on Linux
 * ukva_textwalk is ENOSYS and the cases skip).  Threads of one process
 * pin themselves in turn to every CPU; after each move every CPU's walk of
 * its live CR3 must find its own node's replica (per-task), and in per-mm
 * two threads taking turns on CPUs of two nodes leave one on remote text,
 * which the kernel counts.  init checks that no frame leaked.
 */
#include <stdint.h>

#include "ktap.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

#define NR_HOPPERS      3
#define MAX_YIELDS      1000000         /* a bound on progress, never reached */

static struct ukva_textwalk walk[UKVA_NR_CPUS];
static struct ukva_meminfo info;

/* Fills walk and info; false (skipping the case) off this kernel or without replicas. */
static bool numa_kernel(void)
{
	if (sys_ukva_meminfo(&info) != 0 || sys_ukva_textwalk(walk) < 0) {
		ktap_skip("not this kernel (no ukva_textwalk)");
		return false;
	}
	for (int c = 0; c < UKVA_NR_CPUS; c++)
		if (walk[c].cpu >= 0 && walk[c].node != walk[0].node)
			return true;
	ktap_skip("one NUMA node");
	return false;
}

/* Every online CPU runs its own node's text, page for page. */
static int every_cpu_local(void)
{
	struct ukva_textwalk w[UKVA_NR_CPUS];
	int bad = 0;

	if (sys_ukva_textwalk(w) < 0)
		return 1;
	for (int c = 0; c < UKVA_NR_CPUS; c++)
		if (w[c].cpu >= 0 && (w[c].replica != w[c].node || w[c].local != w[c].pages))
			bad++;
	return bad;
}

/* Pin the calling thread to CPU cpu (and let it move there). */
static long pin(int cpu)
{
	uint32_t mask = 1u << cpu;
	long r = sys_sched_setaffinity(0, sizeof(mask), &mask);

	sys_sched_yield();
	return r;
}

/* One hopper: every online CPU in turn, twice, from its own start; returns bad walks. */
static int hopper(void *arg)
{
	int me = (int)(intptr_t)arg, bad = 0;

	for (int round = 0; round < 2; round++)
		for (int i = 0; i < UKVA_NR_CPUS; i++) {
			int c = (i * 5 + me + round) % UKVA_NR_CPUS;
			if (walk[c].cpu < 0 || pin(c) != 0)
				continue;
			bad += every_cpu_local();
		}
	return bad;
}

/* per-task: a migration storm of one process's threads leaves every CPU on its node's text. */
static void storm_keeps_text_local(void)
{
	struct thread *t[NR_HOPPERS];

	if (!numa_kernel())
		return;
	if (info.mode != UKVA_PER_TASK) {
		ktap_skip("the per-task mode's guarantee");
		return;
	}
	for (int i = 0; i < NR_HOPPERS; i++)
		EXPECT_OK(thread_create(&t[i], hopper, (void *)(intptr_t)i));
	for (int i = 0; i < NR_HOPPERS; i++)
		EXPECT_EQ(thread_join(t[i]), 0);
	EXPECT_EQ(every_cpu_local(), 0);
}

static int cpu_a, cpu_b;
static uint32_t remote_before;

static uint32_t remote_switches(void)
{
	uint32_t c[NR_UKVA_COUNTERS] = { 0 };

	sys_ukva_counters(-1, c, NR_UKVA_COUNTERS);
	return c[CNT_TEXT_REMOTE_SWITCH];
}

/* Yield on CPU arg to the other thread there until the kernel counted remote-text switches. */
static int taker(void *arg)
{
	if (pin((int)(intptr_t)arg) != 0)
		return -1;
	for (int i = 0; i < MAX_YIELDS; i++) {
		if (remote_switches() - remote_before >= 4)
			return 0;
		sys_sched_yield();
	}
	return -2;
}

/* per-mm: threads of one mm on two nodes at once: switches that leave one on remote text. */
static void per_mm_counts_remote_switches(void)
{
	struct thread *t[4];

	if (!numa_kernel())
		return;
	if (info.mode != UKVA_PER_MM) {
		ktap_skip("the per-mm mode's counter");
		return;
	}
	cpu_a = walk[0].cpu;
	for (cpu_b = 1; cpu_b < UKVA_NR_CPUS; cpu_b++)
		if (walk[cpu_b].cpu >= 0 && walk[cpu_b].node != walk[cpu_a].node)
			break;
	remote_before = remote_switches();
	for (int i = 0; i < 4; i++)
		EXPECT_OK(thread_create(&t[i], taker, (void *)(intptr_t)(i < 2 ? cpu_a : cpu_b)));
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(thread_join(t[i]), 0);
	ktap_diag("CPUs %d and %d: %u remote-text switches", cpu_a, cpu_b,
		  remote_switches() - remote_before);
	EXPECT_GE(remote_switches() - remote_before, 4);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(storm_keeps_text_local),
	KTAP_CASE(per_mm_counts_remote_switches),
};

int main(void)
{
	return ktap_run("t_numa", cases, ARRAY_SIZE(cases));
}
