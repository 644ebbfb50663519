/*
 * Yield ping-pong: two tasks on one CPU (the whole program is pinned to
 * one) both call sched_yield YIELD_N times.  While both are runnable every
 * yield switches to the other, so the interval the timing side measures,
 * from its first yield to its last, holds 2 * YIELD_N yields and as many
 * switches; the counters check that (switches per 1000 yields).  Threads
 * and processes run the very same loop, so the two numbers differ only by
 * what a switch between them costs.  A variant maps private window pages
 * in both threads first (ukva_private_touch: per-task and per-cpu modes),
 * which mm=per-cpu INVLPGs at every switch.
 */
#include <stdint.h>

#include "bench.h"
#include "child.h"
#include "measure.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

/* Private window pages each thread maps before the ping-pong (0: none). */
static unsigned private_pages;

/* The partner side: n yields, then it returns (and exits). */
static int yielder(void *n)
{
	if (private_pages && sys_ukva_private_touch(private_pages) != (long)private_pages)
		return 1;
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
	report_ratio(r, "invlpg_per_1k_switches", s->delta[CNT_SWITCH_INVLPG], switches, 1000);
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

/*
 * The same with 1, 8 and 32 private window pages mapped in each thread.
 * Skipped (0) where tasks have no private area: mm=shared, per-mm, Linux.
 */
int bench_yield_threads_private(void)
{
	static const unsigned pages[] = { 1, 8, 32 };
	static const char *const metric[] = { "yield_threads_priv1", "yield_threads_priv8",
					      "yield_threads_priv32" };
	static const char *const title[] = { "yield, 2 threads, 1 private page each",
					     "yield, 2 threads, 8 private pages each",
					     "yield, 2 threads, 32 private pages each" };
	struct series s;
	struct report r;
	long err = 0;

	for (unsigned k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
		long got = sys_ukva_private_touch(pages[k]);
		if (got == -EOPNOTSUPP || got == -ENOSYS)
			return 0;
		if (got != (long)pages[k])
			return got < 0 ? (int)got : -EIO;
		private_pages = pages[k];
		series_init(&s, 2 * YIELD_N);
		for (unsigned i = 0; err == 0 && i < YIELD_REPS; i++)
			err = pingpong_once(1, &s);
		private_pages = 0;
		if (err)
			return (int)err;
		report_begin(&r, metric[k], title[k]);
		report_time(&r, &s);
		report_switches(&r, &s);
		report_counters(&r, &s);
		report_end(&r);
	}
	return 0;
}

/* Yield ping-pong of two processes on one CPU. */
int bench_yield_processes(void)
{
	return pingpong(0);
}
