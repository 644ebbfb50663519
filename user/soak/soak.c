/*
 * soak: the SMP soak. Context switches and TLB shootdowns on every CPU at
 * once, until the kernel has counted a number of switches or a time bound
 * passes:
 *
 *   soak [--switches N] [--seconds S]      (defaults 10000000 and 3600)
 *
 * Two processes each put a pair of threads on every CPU (sched_setaffinity)
 * that give the CPU to each other with sched_yield: four runnable threads
 * of two mms per CPU, so every yield is a switch, within an mm or between
 * the two. Every 64 yields of a pair a thread write-protects
 * and unprotects a page that its siblings on the other CPUs keep touching,
 * so each mprotect needs a shootdown. Progress (switches and shootdowns
 * from the kernel's counters, per second) is printed every 10 s.
 *
 * KTAP: "ok 1 soak" if the switch count was reached within the bound,
 * "ok 2 nothing_leaked" if every frame and task came back. On Linux (no
 * counters) yields stand in for switches.
 */
#include <stdbool.h>
#include <stdint.h>

#include "leak.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

#define MAX_CPUS        32
#define NR_PROCS        2

struct pair {
	unsigned long handoffs;         /* yields of the pair's two threads */
};

struct side {
	struct pair *pair;
	int me, cpu;
};

static struct pair pairs[MAX_CPUS];
static struct side sides[MAX_CPUS][2];
static struct thread *threads[MAX_CPUS][2];
static volatile int stop;
/* The page every thread touches and, now and then, mprotects. */
static uint8_t shared_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* One thread on one CPU: touch the page, give the CPU to the next
 * thread there, and now and then write-protect and unprotect the page. */
static int side_main(void *arg)
{
	struct side *s = arg;
	struct pair *p = s->pair;
	uint32_t mask = 1u << s->cpu;

	if (sys_sched_setaffinity(0, sizeof(mask), &mask) != 0)
		return 1;
	while (!stop) {
		(void)*(volatile uint8_t *)&shared_page[s->cpu];
		if (__atomic_add_fetch(&p->handoffs, 1, __ATOMIC_RELAXED) % 64 == 0) {
			sys_mprotect(shared_page, PAGE_SIZE, PROT_READ);
			sys_mprotect(shared_page, PAGE_SIZE, PROT_READ | PROT_WRITE);
		}
		sys_sched_yield();
	}
	return 0;
}

/* Milliseconds on the monotonic clock. */
static uint64_t now_ms(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Switches so far: the kernel's counters, or (off this kernel) our own
 * hand-offs in this process. *shootdowns gets the kernel's count, or 0. */
static uint64_t switches(int cpus, uint64_t *shootdowns)
{
	uint32_t c[NR_UKVA_COUNTERS];
	uint64_t n = 0;

	if (sys_ukva_counters(-1, c, NR_UKVA_COUNTERS) >= 0) {
		*shootdowns = c[CNT_SHOOTDOWN];
		return (uint64_t)c[CNT_SWITCH_SAME_MM] + c[CNT_SWITCH_CROSS_MM];
	}
	*shootdowns = 0;
	for (int i = 0; i < cpus; i++)
		n += pairs[i].handoffs;
	return n;
}

/* One process's share: pairs on every CPU until the target or the bound.
 * Process 0 reports progress. Returns 0 if the target was reached. */
static int run(int proc, int cpus, uint64_t target, uint64_t seconds)
{
	uint64_t shoot0, base = switches(cpus, &shoot0), shoot = shoot0, n = 0;
	uint64_t start = now_ms(), last = start, elapsed = 0;
	const struct timespec tick = { 0, 100 * 1000 * 1000 };

	for (int c = 0; c < cpus; c++)
		for (int me = 0; me < 2; me++) {
			sides[c][me] = (struct side){ &pairs[c], me, c };
			if (thread_create(&threads[c][me], side_main, &sides[c][me]) != 0)
				return 2;
		}
	while (n < target && elapsed < seconds * 1000) {
		sys_nanosleep(&tick, NULL);
		n = switches(cpus, &shoot) - base;
		elapsed = now_ms() - start;
		if (proc == 0 && now_ms() - last >= 10000) {
			last = now_ms();
			printf("# soak: %llu switches, %llu shootdowns in %llu s: %llu switches/s\n",
			       (unsigned long long)n, (unsigned long long)(shoot - shoot0),
			       (unsigned long long)(elapsed / 1000),
			       (unsigned long long)(n * 1000 / (elapsed ? elapsed : 1)));
		}
	}
	stop = 1;
	for (int c = 0; c < cpus; c++)
		for (int me = 0; me < 2; me++)
			if (thread_join(threads[c][me]) != 0)
				return 3;
	if (proc == 0)
		printf("# soak: %llu switches, %llu shootdowns in %llu.%03llu s on %d CPUs\n",
		       (unsigned long long)n, (unsigned long long)(shoot - shoot0),
		       (unsigned long long)(elapsed / 1000), (unsigned long long)(elapsed % 1000), cpus);
	return n >= target ? 0 : 1;
}

/* The number of CPUs we may run on. */
static int cpu_count(void)
{
	uint32_t mask[MAX_CPUS / 32] = { 0 };
	int n = 0;

	if (sys_sched_getaffinity(0, sizeof(mask), mask) <= 0)
		return 1;
	for (int i = 0; i < MAX_CPUS; i++)
		n += mask[i / 32] >> (i % 32) & 1;
	return n ? n : 1;
}

int main(int argc, char **argv)
{
	uint64_t target = 10000000, seconds = 3600;
	int cpus = cpu_count(), failed = 0, status;
	struct ukva_meminfo before;
	bool have_meminfo;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--switches") == 0)
			target = (uint64_t)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = (uint64_t)atoi(argv[i + 1]);
	}
	printf("KTAP version 1\n1..2\n");
	printf("# soak: %llu switches on %d CPUs, at most %llu s\n",
	       (unsigned long long)target, cpus, (unsigned long long)seconds);
	if (sys_fork() == 0)            /* touch what fork and wait need */
		sys_exit_group(0);
	while (sys_wait4(-1, NULL, 0, NULL) > 0)
		;
	have_meminfo = sys_ukva_meminfo(&before) == 0;
	for (int p = 0; p < NR_PROCS; p++)
		if (sys_fork() == 0)
			sys_exit_group(run(p, cpus, target, seconds));
	while (sys_wait4(-1, &status, 0, NULL) > 0)
		if (status != 0) {
			printf("# soak: a process ended with status 0x%x\n", status);
			failed++;
		}
	bool leaked = have_meminfo && !nothing_leaked("soak", &before);

	printf("%s 1 soak\n", failed ? "not ok" : "ok");
	printf("%s 2 nothing_leaked\n", leaked ? "not ok" : "ok");
	return failed || leaked ? 1 : 0;
}
