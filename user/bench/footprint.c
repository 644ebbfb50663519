/*
 * Memory per process and per thread, on this kernel only: free frames
 * (ukva_meminfo) before and while FOOTPRINT_K of them exist, blocked, and
 * again once they are gone.  The difference per task is everything a task
 * costs (kernel stack, task struct, page tables, windows, and the user
 * pages copied on write after fork), split into lowmem and highmem.
 *
 * Run it first: fork copies every PTE page the parent has, and PTE pages
 * live as long as their mm, so earlier benchmarks would inflate it.
 */
#include <stdint.h>

#include "bench.h"
#include "child.h"
#include "futex.h"
#include "measure.h"
#include "syscall.h"
#include "thread.h"

#define PMD_SPAN (2u << 20)             /* what one PTE page maps */

/* Start and end of this program's image (the linker defines them). */
extern char __executable_start[], _end[];

/* The pipes that hold the children: they say "ready", then block until
 * the parent closes "release". */
struct hold {
	int ready[2];
	int release[2];
};

/* Threads say they exist in ready, then sleep while release is 0. */
static int threads_ready, threads_release;

/* PTE pages this program's image and stack need: one per 2 MiB region
 * they touch (threads' stacks not included). */
static unsigned pte_pages_used(void)
{
	uintptr_t first = (uintptr_t)__executable_start / PMD_SPAN;
	uintptr_t last = ((uintptr_t)_end - 1) / PMD_SPAN;
	uintptr_t stack = (uintptr_t)__builtin_frame_address(0) / PMD_SPAN;

	return (unsigned)(last - first + 1) + (stack < first || stack > last);
}

/* A child of the process footprint: says it is ready, blocks until the
 * parent closes the release pipe (EOF), exits. */
static int hold_child(void *arg)
{
	struct hold *h = arg;
	char c;

	sys_close(h->ready[0]);
	sys_close(h->release[1]);
	if (sys_write(h->ready[1], "r", 1) != 1)
		return 1;
	return sys_read(h->release[0], &c, 1) == 0 ? 0 : 2;
}

/* A thread of the thread footprint: counts itself in, sleeps until released. */
static int hold_thread(void *unused)
{
	(void)unused;
	__atomic_add_fetch(&threads_ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&threads_release, __ATOMIC_ACQUIRE) == 0)
		futex_wait(&threads_release, 0, NULL);
	return 0;
}

/* Reports the footprint of k tasks from meminfo before, with them, after. */
static void report_footprint(const char *metric, const char *label, unsigned k,
			     const struct ukva_meminfo *before,
			     const struct ukva_meminfo *with,
			     const struct ukva_meminfo *after)
{
	struct report r;
	long long low = (long long)before->free_lowmem_pages - with->free_lowmem_pages;
	long long high = (long long)before->free_highmem_pages - with->free_highmem_pages;

	report_begin(&r, metric, label);
	report_int(&r, "k", k);
	report_int(&r, "bytes", (low + high) * PAGE_SIZE / (long long)k);
	report_int(&r, "lowmem_bytes", low * PAGE_SIZE / (long long)k);
	report_int(&r, "highmem_bytes", high * PAGE_SIZE / (long long)k);
	report_int(&r, "tasks_added", (long long)with->tasks - before->tasks);
	report_int(&r, "pages_not_returned",
		   (long long)before->free_pages - after->free_pages);
	report_int(&r, "tasks_not_freed", (long long)after->tasks - before->tasks);
	report_int(&r, "pte_pages", pte_pages_used());
	report_lowmem_split(&r, k, before, with);
	report_end(&r);
}

/* Reads n bytes from fd (pipe reads may come short). 0 or -errno. */
static long read_n(int fd, unsigned n)
{
	char buf[64];

	while (n > 0) {
		long r = sys_read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (r <= 0)
			return r < 0 ? r : -EPIPE;
		n -= (unsigned)r;
	}
	return 0;
}

/* Memory held by FOOTPRINT_K blocked child processes (this kernel only). */
int bench_footprint_processes(void)
{
	struct ukva_meminfo before, with, after;
	struct hold h;
	long pids[FOOTPRINT_K], err;
	unsigned k = 0;

	if (!on_ukva()) {
		report_skip("footprint_process", "memory per process", "needs ukva_meminfo");
		return 0;
	}
	err = sys_pipe(h.ready);
	if (err)
		return (int)err;
	err = sys_pipe(h.release);
	if (err) {
		sys_close(h.ready[0]);
		sys_close(h.ready[1]);
		return (int)err;
	}
	sys_ukva_meminfo(&before);
	while (k < FOOTPRINT_K && (pids[k] = child_start(hold_child, &h)) > 0)
		k++;
	if (k < FOOTPRINT_K)
		err = pids[k];
	if (read_n(h.ready[0], k) == 0)
		sys_ukva_meminfo(&with);
	else
		err = -EPIPE;
	sys_close(h.release[1]);                /* EOF: they all exit */
	for (unsigned i = 0; i < k; i++)
		if (child_wait(pids[i]) != 0)
			err = -ECHILD;
	sys_ukva_meminfo(&after);
	sys_close(h.release[0]);
	sys_close(h.ready[0]);
	sys_close(h.ready[1]);
	if (err)
		return (int)err;
	report_footprint("footprint_process", "memory per process", k, &before, &with, &after);
	return 0;
}

/* Starts up to k threads that block in hold_thread and waits until they
 * all run; returns how many started, the error that stopped it in *err. */
static unsigned start_threads(struct thread **t, unsigned k, int *err)
{
	unsigned n = 0;

	threads_ready = threads_release = 0;
	while (n < k && (*err = thread_create(&t[n], hold_thread, NULL)) == 0)
		n++;
	while (__atomic_load_n(&threads_ready, __ATOMIC_ACQUIRE) < (int)n)
		sys_sched_yield();
	return n;
}

/* Wakes the n threads of start_threads and joins them. */
static void release_threads(struct thread **t, unsigned n)
{
	__atomic_store_n(&threads_release, 1, __ATOMIC_RELEASE);
	futex_wake(&threads_release, (int)n);
	for (unsigned i = 0; i < n; i++)
		thread_join(t[i]);
}

/* Memory held by FOOTPRINT_K blocked threads of this process (this kernel
 * only).  A first round, not measured, sets up TLS and the PTE pages that
 * map the threads' stacks: those stay with the mm. */
int bench_footprint_threads(void)
{
	struct ukva_meminfo before, with, after;
	struct thread *t[FOOTPRINT_K];
	unsigned k;
	int err = 0;

	if (!on_ukva()) {
		report_skip("footprint_thread", "memory per thread", "needs ukva_meminfo");
		return 0;
	}
	release_threads(t, start_threads(t, FOOTPRINT_K, &err));
	if (err)
		return err;
	sys_ukva_meminfo(&before);
	k = start_threads(t, FOOTPRINT_K, &err);
	sys_ukva_meminfo(&with);
	release_threads(t, k);
	sys_ukva_meminfo(&after);
	if (err)
		return err;
	report_footprint("footprint_thread", "memory per thread", k, &before, &with, &after);
	return 0;
}
