/*
 * Yield ping-pong: two tasks on one CPU (the whole program is pinned to
 * one) both call sched_yield YIELD_N times.  While both are runnable every
 * yield switches to the other, so the interval the timing side measures,
 * from its first yield to its last, holds 2 * YIELD_N yields and as many
 * switches; the counters check that (switches per 1000 yields).  Threads
 * and processes run the very same loop, so the two numbers differ only by
 * what a switch between them costs.
 */
#include <stdint.h>

#include "bench.h"
#include "child.h"
#include "measure.h"
#include "syscall.h"
#include "thread.h"

/* The partner side: n yields, then it returns (and exits). */
static int yielder(void *n)
{
	for (uintptr_t i = 0; i < (uintptr_t)n; i++)
		sys_sched_yield();
	return 0;
}

/* The timing side of one repetition; the partner is already runnable. */
static void yield_loop(struct series *s)
{
	struct probe p;

	probe_start(&p);
	for (unsigned i = 0; i < YIELD_N; i++)
		sys_sched_yield();
	probe_stop(&p, s);
}

/* One repetition with a thread (threads) or a child process as partner,
 * added to s.  Returns 0 or -errno. */
static long pingpong_once(int threads, struct series *s)
{
	void *n = (void *)(uintptr_t)YIELD_N;

	if (threads) {
		struct thread *t;
		int r = thread_create(&t, yielder, n);

		if (r < 0)
			return r;
		yield_loop(s);
		return thread_join(t);
	}
	long pid = child_start(yielder, n);

	if (pid < 0)
		return pid;
	yield_loop(s);
	long status = child_wait(pid);
	return status < 0 ? status : status == 0 ? 0 : -ECHILD;
}

/* Adds the counter ratios of a ping-pong to r (this kernel only). */
static void report_switches(struct report *r, const struct series *s)
{
	uint64_t switches = s->delta[CNT_SWITCH_SAME_MM] + s->delta[CNT_SWITCH_CROSS_MM];

	if (!on_ukva())
		return;
	report_ratio(r, "switches_per_1k_yields", switches, series_ops(s), 1000);
	report_ratio(r, "cr3_writes_per_1k_switches", s->delta[CNT_CR3_WRITE], switches, 1000);
	report_ratio(r, "tlb_flush_all_per_1k_switches", s->delta[CNT_TLB_FLUSH_ALL],
		     switches, 1000);
}

/* The whole measurement for threads or processes: a warm-up repetition,
 * YIELD_REPS timed ones, then the report.  Returns 0 or -errno. */
static int pingpong(int threads)
{
	struct series warm, s;
	struct report r;
	long err;

	series_init(&warm, 2 * YIELD_N);
	series_init(&s, 2 * YIELD_N);
	err = pingpong_once(threads, &warm);
	for (unsigned i = 0; err == 0 && i < YIELD_REPS; i++)
		err = pingpong_once(threads, &s);
	if (err)
		return (int)err;
	if (threads)
		report_begin(&r, "yield_threads", "yield, 2 threads (per yield)");
	else
		report_begin(&r, "yield_processes", "yield, 2 processes (per yield)");
	report_time(&r, &s);
	report_switches(&r, &s);
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* Yield ping-pong of two threads of one mm on one CPU. */
int bench_yield_threads(void)
{
	return pingpong(1);
}

/* Yield ping-pong of two processes on one CPU. */
int bench_yield_processes(void)
{
	return pingpong(0);
}
