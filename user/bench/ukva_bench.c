/*
 * ukva_bench: what the address-space modes cost, measured from user space.
 * The same static binary runs on this kernel (boot with
 * init=/bin/ukva_bench mm=MODE) and on Linux, the reference column.
 *
 *   null syscall (getppid), yield ping-pong between two threads and between
 *   two processes, fork + exit + wait, first-touch page faults; on this
 *   kernel also the memory per process and per thread, and the counters
 *   (CR3 writes, TLB flushes, kmaps, window accesses) per operation.
 *   With two CPUs allowed (smp.c): munmap with and without a thread of the
 *   process on the other CPU (TLB shootdown), and a token handoff between
 *   two threads on one CPU and on two.
 *
 * Output: BENCH lines (one JSON object per metric, see measure.h) as each
 * metric finishes, then a summary block.  Exit status 0 when every
 * benchmark ran.  docs/benchmarks.md explains each number.
 */
#include <stdint.h>

#include "bench.h"
#include "child.h"
#include "measure.h"
#include "printf.h"
#include "syscall.h"

#define MASK_WORDS 32                   /* CPU mask: room for 1024 CPUs */

_Static_assert(SYSCALL_REPS <= MAX_REPS && YIELD_REPS <= MAX_REPS &&
	       FORK_REPS <= MAX_REPS && FAULT_REPS <= MAX_REPS &&
	       SHOOT_REPS <= MAX_REPS && HANDOFF_REPS <= MAX_REPS,
	       "a series keeps at most MAX_REPS repetitions");

/* Pins the whole program (children inherit it) to the first CPU it may
 * use; returns that CPU, or -errno.  *second is the next CPU it was allowed
 * to use (-1: none). */
static long pin_to_one_cpu(int *second)
{
	uint32_t mask[MASK_WORDS] = { 0 }, one[MASK_WORDS] = { 0 };
	long n = sys_sched_getaffinity(0, sizeof(mask), mask);

	int first = -1;

	*second = -1;
	if (n < 0)
		return n;
	for (int cpu = 0; cpu < n * 8 && *second < 0; cpu++) {
		if (!(mask[cpu / 32] & 1u << cpu % 32))
			continue;
		if (first < 0)
			first = cpu;
		else
			*second = cpu;
	}
	if (first < 0)
		return -EINVAL;
	one[first / 32] = 1u << first % 32;
	long r = sys_sched_setaffinity(0, sizeof(one), one);
	return r < 0 ? r : first;
}

/* Where this runs: one BENCH line (and a header for the summary). */
static void report_env(const struct ukva_meminfo *mi, long cpu)
{
	static const char *const modes[] = { "shared", "per-mm", "per-task", "per-cpu" };
	_Static_assert(sizeof(modes) / sizeof(modes[0]) == UKVA_NR_MODES, "a name per mode");
	struct report r;

	report_begin(&r, "env", "environment");
	report_str(&r, "os", on_ukva() ? "ukva" : "linux");
	if (on_ukva()) {
		report_str(&r, "mode", mi->mode < UKVA_NR_MODES ? modes[mi->mode] : "?");
		report_int(&r, "cpus", mi->cpus);
		report_int(&r, "free_lowmem_kib", (long long)mi->free_lowmem_pages * 4);
		report_int(&r, "free_highmem_kib", (long long)mi->free_highmem_pages * 4);
	}
	report_int(&r, "cpu", cpu);
	report_end(&r);
}

/* Null system call: getppid, SYSCALL_N per repetition. */
static int bench_syscall(void)
{
	struct series s;
	struct probe p;
	struct report r;

	series_init(&s, SYSCALL_N);
	for (int rep = -1; rep < SYSCALL_REPS; rep++) {     /* -1: warm-up */
		probe_start(&p);
		for (unsigned i = 0; i < SYSCALL_N; i++)
			sys_getppid();
		if (rep >= 0)
			probe_stop(&p, &s);
	}
	report_begin(&r, "syscall", "null syscall (getppid)");
	report_time(&r, &s);
	if (on_ukva())
		report_ratio(&r, "syscalls_counted_per_call", s.delta[CNT_SYSCALL],
			     series_ops(&s), 1);
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* The child of bench_fork: exits at once. */
static int exit_now(void *unused)
{
	(void)unused;
	return 0;
}

/* fork + exit + wait4 of a child that exits at once, FORK_N per
 * repetition.  Returns 0 or -errno. */
static int bench_fork(void)
{
	struct series s;
	struct probe p;
	struct report r;

	series_init(&s, FORK_N);
	for (int rep = -1; rep < FORK_REPS; rep++) {
		probe_start(&p);
		for (unsigned i = 0; i < FORK_N; i++) {
			long status = child_run(exit_now, NULL);

			if (status != 0)
				return status < 0 ? (int)status : -ECHILD;
		}
		if (rep >= 0)
			probe_stop(&p, &s);
	}
	report_begin(&r, "fork", "fork + exit + wait");
	report_time(&r, &s);
	if (on_ukva()) {
		report_ratio(&r, "cr3_writes_per_fork", s.delta[CNT_CR3_WRITE], series_ops(&s), 1);
		report_ratio(&r, "page_faults_per_fork", s.delta[CNT_PAGE_FAULT], series_ops(&s), 1);
	}
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* First-touch page faults: map FAULT_PAGES anonymous pages, write one byte
 * to each, unmap.  Returns 0 or -errno. */
static int bench_faults(void)
{
	const size_t len = (size_t)FAULT_PAGES * PAGE_SIZE;
	struct series s;
	struct probe p;
	struct report r;

	series_init(&s, FAULT_PAGES);
	for (int rep = -1; rep < FAULT_REPS; rep++) {
		long map = sys_mmap2(NULL, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile char *page = (volatile char *)map;

		if (is_err(map))
			return (int)map;
		probe_start(&p);
		for (unsigned i = 0; i < FAULT_PAGES; i++)
			page[(size_t)i * PAGE_SIZE] = 1;
		if (rep >= 0)
			probe_stop(&p, &s);
		sys_munmap((void *)map, len);
	}
	report_begin(&r, "page_fault", "first-touch fault (per page)");
	report_time(&r, &s);
	if (on_ukva()) {
		uint64_t faults = s.delta[CNT_PAGE_FAULT];

		report_ratio(&r, "faults_per_page", faults, series_ops(&s), 1);
		report_ratio(&r, "kmap_atomic_per_fault", s.delta[CNT_KMAP_ATOMIC], faults, 1);
		report_ratio(&r, "window_access_per_fault", s.delta[CNT_WINDOW_ACCESS], faults, 1);
		report_ratio(&r, "kmap_per_fault", s.delta[CNT_KMAP], faults, 1);
	}
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* Runs one benchmark; says so if it failed.  Returns 1 on failure, else 0. */
static int run(const char *name, int (*fn)(void))
{
	bench_profile_begin();
	int err = fn();
	bench_profile_end(name);

	if (err)
		printf("ukva_bench: %s failed: %d (%s)\n", name, err, errno_name(-err));
	return err != 0;
}

int main(void)
{
	struct ukva_meminfo mi;
	long cpu;
	int failed = 0, second;

	bench_detect(&mi);
	cpu = pin_to_one_cpu(&second);
	if (cpu < 0) {
		printf("ukva_bench: cannot pin to one CPU: %ld\n", cpu);
		bench_exit(1);
	}
	bench_smp_cpus((int)cpu, second);
	report_env(&mi, cpu);
	failed += run("footprint_process", bench_footprint_processes);
	failed += run("footprint_thread", bench_footprint_threads);
	failed += run("syscall", bench_syscall);
	failed += run("yield_threads", bench_yield_threads);
	failed += run("yield_threads_private", bench_yield_threads_private);
	failed += run("yield_processes", bench_yield_processes);
	failed += run("fork", bench_fork);
	failed += run("page_fault", bench_faults);
	failed += run("smp_shootdown", bench_smp_shootdown);
	failed += run("smp_handoff", bench_smp_handoff);
	printf("ukva_bench summary (median per operation; min..max over repetitions):\n");
	summary_print();
	printf("ukva_bench: %s\n", failed ? "some benchmarks failed" : "done");
	bench_exit(failed != 0);
}
