/*
 * Two-CPU benchmarks (docs/benchmarks.md), run only when the program may
 * use at least two CPUs: the first two of its original affinity mask, "A"
 * (where everything else runs) and "B".
 *
 *   munmap_*: the time of munmap() of one touched page, alone, with a
 *   thread of this process asleep on a futex on B, and with one spinning
 *   on B (so B has the mm loaded and needs a TLB shootdown), plus the
 *   shootdowns counted per munmap.
 *
 *   handoff_*: two threads of one process pass a token back and forth,
 *   calling sched_yield while it is not their turn; both on A, or one on
 *   A and one on B.
 */
#include <stdint.h>

#include "bench.h"
#include "futex.h"
#include "measure.h"
#include "syscall.h"
#include "thread.h"

#define MASK_WORDS 32

static int cpu_a = -1, cpu_b = -1;

/* Shared with the partner thread: what it does, and the flags it reads. */
static int partner_cpu;
static int partner_ready, partner_stop;
static int token;                       /* whose turn: 0 main, 1 partner */
static unsigned partner_yields;

/* Says which two CPUs to use (b < 0: only one is allowed). */
void bench_smp_cpus(int a, int b)
{
	cpu_a = a;
	cpu_b = b;
}

/* Pins the calling thread to cpu; 0 or -errno. */
static long pin_self(int cpu)
{
	uint32_t mask[MASK_WORDS] = { 0 };

	mask[cpu / 32] = 1u << cpu % 32;
	return sys_sched_setaffinity((int)sys_gettid(), sizeof(mask), mask);
}

/* A partner that spins on partner_stop on its CPU (arg != NULL) or sleeps
 * on it in the kernel (arg == NULL). */
static int partner_wait(void *spin)
{
	if (pin_self(partner_cpu) < 0)
		return 1;
	sys_sched_yield();
	__atomic_store_n(&partner_ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&partner_stop, __ATOMIC_ACQUIRE) == 0)
		if (!spin)
			futex_wait(&partner_stop, 0, NULL);
	return 0;
}

/* Starts fn as the partner on cpu and waits until it has pinned itself. */
static int partner_start(struct thread **t, int (*fn)(void *), void *arg, int cpu)
{
	int r;

	partner_cpu = cpu;
	partner_ready = partner_stop = 0;
	r = thread_create(t, fn, arg);
	if (r < 0)
		return r;
	while (__atomic_load_n(&partner_ready, __ATOMIC_ACQUIRE) == 0)
		sys_sched_yield();
	return 0;
}

/* Stops and joins a partner_wait thread; 0 or -ECHILD. */
static int partner_end(struct thread *t)
{
	__atomic_store_n(&partner_stop, 1, __ATOMIC_RELEASE);
	futex_wake(&partner_stop, 1);
	return thread_join(t) == 0 ? 0 : -ECHILD;
}

/* One repetition of SHOOT_N (mmap, touch, timed munmap) into s.  Only the
 * munmap calls are timed, with rdtsc; the rep's own ns/tick ratio (from
 * probe_stop) converts ticks to ns.  Counters cover the whole rep. */
static int munmap_rep(struct series *s)
{
	struct probe p;
	uint64_t ticks = 0;

	probe_start(&p);
	for (unsigned i = 0; i < SHOOT_N; i++) {
		long map = sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (is_err(map))
			return (int)map;
		*(volatile char *)map = 1;
		uint64_t t0 = rdtsc();
		long r = sys_munmap((void *)map, PAGE_SIZE);
		ticks += rdtsc() - t0;
		if (r < 0)
			return (int)r;
	}
	probe_stop(&p, s);
	unsigned k = s->reps - 1;
	uint64_t cyc10 = ticks * 10 / SHOOT_N;
	s->ns10[k] = s->cycles10[k] ? cyc10 * s->ns10[k] / s->cycles10[k] : 0;
	s->cycles10[k] = cyc10;
	return 0;
}

/* The munmap measurement with partner 0 (none), 1 (asleep) or 2 (spinning). */
static int munmap_with(int partner)
{
	static const char *const metric[] = { "munmap_alone", "munmap_sleeper", "munmap_spinner" };
	static const char *const label[] = { "munmap 1 page, alone",
		"munmap, thread asleep on B", "munmap, thread spins on B" };
	struct thread *t = NULL;
	struct series s;
	struct report r;
	int err = 0;

	if (partner && (err = partner_start(&t, partner_wait,
					    partner == 2 ? (void *)1 : NULL, cpu_b)) < 0)
		return err;
	series_init(&s, SHOOT_N);
	for (int rep = -1; err == 0 && rep < SHOOT_REPS; rep++) {
		err = munmap_rep(&s);
		if (rep < 0)
			series_init(&s, SHOOT_N);       /* drop the warm-up */
	}
	if (t && partner_end(t) < 0 && err == 0)
		err = -ECHILD;
	if (err)
		return err;
	report_begin(&r, metric[partner], label[partner]);
	report_time(&r, &s);
	if (on_ukva())
		report_ratio(&r, "shootdowns_per_munmap", s.delta[CNT_SHOOTDOWN],
			     series_ops(&s), 1);
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* Passes the token to other n times (waits for its turn with sched_yield);
 * returns how many times it yielded. */
static unsigned pass_token(int me, unsigned n)
{
	unsigned yields = 0;

	for (unsigned i = 0; i < n; i++) {
		while (__atomic_load_n(&token, __ATOMIC_ACQUIRE) != me) {
			sys_sched_yield();
			yields++;
		}
		__atomic_store_n(&token, !me, __ATOMIC_RELEASE);
	}
	return yields;
}

/* The partner of the handoff: pins itself, then passes the token back. */
static int handoff_partner(void *n)
{
	if (pin_self(partner_cpu) < 0)
		return 1;
	__atomic_store_n(&partner_ready, 1, __ATOMIC_RELEASE);
	partner_yields = pass_token(1, (unsigned)(uintptr_t)n);
	return 0;
}

/* One repetition of HANDOFF_N handoffs (each side passes HANDOFF_N / 2)
 * with the partner on cpu, into s; adds the yields of both sides to *yields. */
static int handoff_rep(int cpu, struct series *s, uint64_t *yields)
{
	struct thread *t;
	struct probe p;
	int err;

	token = 1;                      /* the partner starts once it is ready */
	err = partner_start(&t, handoff_partner, (void *)(uintptr_t)(HANDOFF_N / 2), cpu);
	if (err)
		return err;
	probe_start(&p);
	unsigned mine = pass_token(0, HANDOFF_N / 2);
	probe_stop(&p, s);
	if (thread_join(t) != 0)
		return -ECHILD;
	*yields += mine + partner_yields;
	return 0;
}

/* The handoff measurement with the partner on cpu (A or B). */
static int handoff_on(int cpu)
{
	int spread = cpu != cpu_a;
	struct series s;
	struct report r;
	uint64_t yields = 0;
	int err = 0;

	series_init(&s, HANDOFF_N);
	for (int rep = -1; err == 0 && rep < HANDOFF_REPS; rep++) {
		err = handoff_rep(cpu, &s, &yields);
		if (rep < 0) {
			series_init(&s, HANDOFF_N);     /* drop the warm-up */
			yields = 0;
		}
	}
	if (err)
		return err;
	if (spread)
		report_begin(&r, "handoff_spread", "handoff, threads on A and B");
	else
		report_begin(&r, "handoff_one_cpu", "handoff, both threads on A");
	report_time(&r, &s);
	report_ratio(&r, "yields_per_handoff", yields, series_ops(&s), 1);
	if (on_ukva()) {
		uint64_t sw = s.delta[CNT_SWITCH_SAME_MM] + s.delta[CNT_SWITCH_CROSS_MM];

		report_ratio(&r, "switches_per_1k_handoffs", sw, series_ops(&s), 1000);
		report_ratio(&r, "cr3_writes_per_1k_switches", s.delta[CNT_CR3_WRITE], sw, 1000);
		report_ratio(&r, "cr3_writes_per_1k_handoffs", s.delta[CNT_CR3_WRITE],
			     series_ops(&s), 1000);
		report_ratio(&r, "shootdowns_per_1k_handoffs", s.delta[CNT_SHOOTDOWN],
			     series_ops(&s), 1000);
	}
	report_counters(&r, &s);
	report_end(&r);
	return 0;
}

/* Skips metric with the reason when only one CPU is allowed; true if so. */
static bool one_cpu(const char *metric, const char *label)
{
	if (cpu_b >= 0)
		return false;
	report_skip(metric, label, "only one CPU allowed");
	return true;
}

/* munmap of one page, alone, next to a sleeping and a spinning thread. */
int bench_smp_shootdown(void)
{
	int err = 0;

	if (one_cpu("munmap_spinner", "munmap (needs 2 CPUs)"))
		return 0;
	for (int partner = 0; partner < 3 && err == 0; partner++)
		err = munmap_with(partner);
	return err;
}

/* Token handoff between two threads on one CPU, then on two. */
int bench_smp_handoff(void)
{
	int err;

	if (one_cpu("handoff_spread", "token handoff (needs 2 CPUs)"))
		return 0;
	err = handoff_on(cpu_a);
	return err ? err : handoff_on(cpu_b);
}
