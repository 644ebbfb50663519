/*
 * numa_bench: kernel text locality and its cost under load, per mode
 * (boot with init=/bin/numa_bench mm=MODE [ktextrepl=off]).  On every
 * online CPU at once, one worker pinned there runs
 *
 *   syscall   PIPE_N round trips of 4 KiB through a pipe of its own
 *   fork      FORK_N fork + exit + wait
 *   storm     STORM_HOPS moves to the next CPU, STORM_N round trips after each
 *
 * and for each phase one BENCH line gives the timer-tick samples of kernel
 * text that came from the sampling CPU's node (text_local) or another
 * (text_remote), text repoints, remote-text switches and CR3 writes, over
 * all CPUs, and the elapsed time.  tests/qemu/bench_numa.py boots it and
 * tabulates; docs/benchmarks.md has the results.  Off this kernel it says
 * so and exits 0.
 */
#include <stdint.h>

#include "child.h"
#include "printf.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

#define PIPE_N          6000
#define FORK_N          60
#define STORM_HOPS      24
#define STORM_N         200
#define CLOCK_MONOTONIC 1

static struct ukva_textwalk walk[UKVA_NR_CPUS];
static char bufs[UKVA_NR_CPUS][4096];  /* one per worker, off the thread stacks */

static uint64_t now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Move the calling thread to CPU cpu. */
static long pin(int cpu)
{
	uint32_t mask = 1u << cpu;
	long r = sys_sched_setaffinity(0, sizeof(mask), &mask);

	sys_sched_yield();
	return r;
}

/* The online CPU after cpu, cyclically. */
static int next_cpu(int cpu)
{
	do
		cpu = (cpu + 1) % UKVA_NR_CPUS;
	while (walk[cpu].cpu < 0);
	return cpu;
}

/* n round trips of 4 KiB through a new pipe, with buf; 0 or -1. */
static int pipe_trips(char *buf, int n)
{
	int fds[2];

	if (sys_pipe(fds) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (sys_write(fds[1], buf, 4096) != 4096 || sys_read(fds[0], buf, 4096) != 4096)
			return -1;
	sys_close(fds[0]);
	sys_close(fds[1]);
	return 0;
}

static int exit_at_once(void *unused)
{
	(void)unused;
	return 0;
}

static int syscall_worker(void *arg)
{
	int cpu = (int)(intptr_t)arg;

	return pin(cpu) || pipe_trips(bufs[cpu], PIPE_N);
}

static int fork_worker(void *arg)
{
	if (pin((int)(intptr_t)arg))
		return -1;
	for (int i = 0; i < FORK_N; i++)
		if (child_run(exit_at_once, NULL) != 0)
			return -1;
	return 0;
}

static int storm_worker(void *arg)
{
	int cpu = (int)(intptr_t)arg, start = cpu;

	for (int hop = 0; hop < STORM_HOPS; hop++) {
		cpu = next_cpu(cpu);
		if (pin(cpu) || pipe_trips(bufs[start], STORM_N))
			return -1;
	}
	return 0;
}

static uint32_t total(const uint32_t *c, enum ukva_counter i)
{
	return c[i];
}

/* Run worker on every online CPU at once; print the phase's BENCH line.  0 or -1. */
static int phase(const char *name, int (*worker)(void *), const char *mode)
{
	struct thread *t[UKVA_NR_CPUS] = { 0 };
	uint32_t before[NR_UKVA_COUNTERS] = { 0 }, after[NR_UKVA_COUNTERS] = { 0 };
	int failed = 0;

	sys_ukva_counters(-1, before, NR_UKVA_COUNTERS);
	uint64_t t0 = now_ns();
	for (int c = 0; c < UKVA_NR_CPUS; c++)
		if (walk[c].cpu >= 0 && thread_create(&t[c], worker, (void *)(intptr_t)c))
			failed = 1;
	for (int c = 0; c < UKVA_NR_CPUS; c++)
		if (t[c] && thread_join(t[c]))
			failed = 1;
	uint64_t ns = now_ns() - t0;
	sys_ukva_counters(-1, after, NR_UKVA_COUNTERS);
#define D(i) (total(after, i) - total(before, i))
	uint32_t local = D(CNT_TEXT_LOCAL), remote = D(CNT_TEXT_REMOTE);
	printf("BENCH {\"metric\": \"numa_%s\", \"mode\": \"%s\", \"ms\": %u, \"text_local\": %u, "
	       "\"text_remote\": %u, \"local_pct\": %u, \"text_repoint\": %u, "
	       "\"text_remote_switch\": %u, \"cr3_writes\": %u, \"failed\": %d}\n",
	       name, mode, (unsigned)(ns / 1000000), local, remote,
	       local + remote ? local * 100 / (local + remote) : 100, D(CNT_TEXT_REPOINT),
	       D(CNT_TEXT_REMOTE_SWITCH), D(CNT_CR3_WRITE), failed);
#undef D
	return failed ? -1 : 0;
}

int main(void)
{
	static const char *const modes[] = { "shared", "per-mm", "per-task" };
	struct ukva_meminfo mi;

	if (sys_ukva_meminfo(&mi) != 0 || sys_ukva_textwalk(walk) < 0) {
		printf("numa_bench: not this kernel; nothing to measure\n");
		return 0;
	}
	const char *mode = mi.mode < 3 ? modes[mi.mode] : "?";
	int bad = phase("syscall", syscall_worker, mode);
	bad |= phase("fork", fork_worker, mode);
	bad |= phase("storm", storm_worker, mode);
	return bad ? 1 : 0;
}
