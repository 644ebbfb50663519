/*
 * The profiler attributes samples to the function that was running: spin
 * in a known function for a number of this CPU's ticks, and every sample
 * taken meanwhile must land in it.  Counts are by construction, not by
 * time: a tick is every sample_per_tick()-th timer interrupt of this CPU.
 */
#include "kernel/profile.h"
#include "kernel/sample.h"
#include "kernel/ksyms.h"
#include "kernel/ktest.h"
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include "arch/i386/segment.h"

#define SPIN_TICKS      10

struct snapshot {
	struct ukva_profile_totals t;
	uint32_t spin_hits;             /* samples in profile_test_spin */
	uint32_t reader_hits;           /* samples the test's own reader saw */
};

static uint32_t reader_hits[NR_CPUS];

/* A second reader of the same samples, as the NUMA locality sampler is. */
static void count_sample(unsigned cpu, uint32_t eip, bool user)
{
	reader_hits[cpu]++;
}

static const struct sample_reader test_reader = { "profile_test", count_sample };

/* Spin until this CPU has ticked `ticks` more times.  Not inlined: its samples must land here. */
static __attribute__((noinline)) void profile_test_spin(unsigned long ticks)
{
	unsigned long end = READ_ONCE(this_cpu()->timer_ticks) + ticks;

	while ((long)(READ_ONCE(this_cpu()->timer_ticks) - end) < 0)
		cpu_relax();
}

/* Spin with interrupts off until the test reader saw `samples` more samples on this CPU. */
static __attribute__((noinline)) void profile_test_spin_irqs_off(unsigned cpu, uint32_t samples)
{
	uint32_t end = READ_ONCE(reader_hits[cpu]) + samples;

	while ((int32_t)(READ_ONCE(reader_hits[cpu]) - end) < 0)
		cpu_relax();
}

/* Both readers' counts for cpu at one instant (no sample in between). */
static void snapshot(unsigned cpu, struct snapshot *s)
{
	uint32_t flags = local_irq_save();
	profile_read_totals(cpu, &s->t);
	s->spin_hits = profile_kernel_hits(cpu, ksym_index((uint32_t)profile_test_spin));
	s->reader_hits = READ_ONCE(reader_hits[cpu]);
	local_irq_restore(flags);
}

static void samples_land_in_the_spinning_function(struct ktest *t)
{
	struct snapshot a, b;

	if (sample_uses_nmi())
		ktest_skip(t, "NMI sampling: see nmi_samples_land_where_interrupts_are_off");
	KTEST_ASSERT(t, profile_start() == 0);
	KTEST_ASSERT(t, sample_reader_add(&test_reader) == 0);
	preempt_disable();                      /* one CPU, and nobody else on it */
	unsigned cpu = this_cpu()->id;
	snapshot(cpu, &a);
	profile_test_spin(SPIN_TICKS);
	snapshot(cpu, &b);
	preempt_enable();
	sample_reader_remove(&test_reader);

	uint32_t kernel = b.t.kernel - a.t.kernel, spin = b.spin_hits - a.spin_hits;
	unsigned n = sample_per_tick();
	ktest_diag(t, "cpu%u, %u samples per tick: %u kernel samples, %u in profile_test_spin",
		   cpu, n, kernel, spin);
	/*
	 * The last tick ends the spin; the first may come a whole tick after
	 * the start; one more may land in the spin before it reads the count.
	 */
	KTEST_EXPECT(t, spin >= (SPIN_TICKS - 1) * n + 1 && spin <= (SPIN_TICKS + 1) * n);
	/* Only the few instructions around the spin may take another sample. */
	KTEST_EXPECT(t, kernel - spin <= 1);
	KTEST_EXPECT_EQ(t, b.t.user, a.t.user);
	/* The second reader saw exactly the samples the profiler saw. */
	KTEST_EXPECT_EQ(t, b.reader_hits - a.reader_hits, kernel);
}

/*
 * With profile=N,nmi the samples come even while interrupts are off: spin
 * so for a number of samples, and each must land in the spinning function.
 */
static void nmi_samples_land_where_interrupts_are_off(struct ktest *t)
{
	const uint32_t want = 20;
	struct snapshot a, b;

	if (!sample_uses_nmi())
		ktest_skip(t, "needs profile=N,nmi");
	KTEST_ASSERT(t, profile_start() == 0);
	KTEST_ASSERT(t, sample_reader_add(&test_reader) == 0);
	uint32_t flags = local_irq_save();
	unsigned cpu = this_cpu()->id;
	snapshot(cpu, &a);
	profile_test_spin_irqs_off(cpu, want);
	snapshot(cpu, &b);
	local_irq_restore(flags);
	sample_reader_remove(&test_reader);

	uint32_t spin = b.spin_hits - a.spin_hits;
	uint32_t spin_off = profile_kernel_hits(cpu, ksym_index((uint32_t)profile_test_spin_irqs_off));
	ktest_diag(t, "cpu%u: %u samples with interrupts off, %u of them in the spinning function",
		   cpu, b.t.kernel - a.t.kernel, spin_off);
	KTEST_EXPECT_EQ(t, b.reader_hits - a.reader_hits, want);
	KTEST_EXPECT_EQ(t, b.t.kernel - a.t.kernel, want);
	KTEST_EXPECT(t, spin_off >= want);
	KTEST_EXPECT_EQ(t, spin, 0);
}

/* One sample of the fake context f through the running source's entry. */
static void fake_sample(const struct trap_frame *f)
{
	if (sample_uses_nmi())
		sample_nmi(f);
	else
		sample_timer_interrupt(f);
}

/*
 * A user-mode sample counts for its page; a kernel one outside text, as
 * "other".  With profile=N,nmi a real sample may come in between, even
 * with interrupts off: the test's reader counts those too, and each lands
 * in kernel text (this CPU runs the test), so it adds to the kernel count
 * only.
 */
static void samples_are_sorted_by_mode(struct ktest *t)
{
	struct trap_frame user = { .cs = __USER_CS, .eip = 0x0804a123 };
	struct trap_frame kernel = { .cs = __KERNEL_CS, .eip = 0xfffff000 };
	struct snapshot a, b;

	KTEST_ASSERT(t, profile_start() == 0);
	KTEST_ASSERT(t, sample_reader_add(&test_reader) == 0);
	uint32_t flags = local_irq_save();     /* the fake samples and the reads on one CPU */
	unsigned cpu = this_cpu()->id;
	uint32_t page_before = profile_user_hits(cpu, 0x0804a000);
	snapshot(cpu, &a);
	fake_sample(&user);
	fake_sample(&kernel);
	snapshot(cpu, &b);
	uint32_t page_after = profile_user_hits(cpu, 0x0804afff);
	local_irq_restore(flags);
	sample_reader_remove(&test_reader);
	uint32_t real = b.reader_hits - a.reader_hits - 2;     /* 0 but with NMI sampling */

	if (!sample_uses_nmi())
		KTEST_EXPECT_EQ(t, real, 0);
	KTEST_EXPECT_EQ(t, b.t.user - a.t.user, 1);
	KTEST_EXPECT_EQ(t, page_after - page_before, 1);
	KTEST_EXPECT_EQ(t, b.t.kernel - a.t.kernel, 1 + real);
	KTEST_EXPECT_EQ(t, b.t.kernel_other - a.t.kernel_other, 1);
}

/* Readers are a fixed set: the one too many is refused, and removal frees its place. */
static void reader_slots_are_bounded(struct ktest *t)
{
	static const struct sample_reader extra[SAMPLE_MAX_READERS] = {
		{ "a", count_sample }, { "b", count_sample }, { "c", count_sample }, { "d", count_sample },
	};
	unsigned added = 0;

	while (added < SAMPLE_MAX_READERS && sample_reader_add(&extra[added]) == 0)
		added++;
	KTEST_EXPECT(t, added >= 1);    /* the profiler holds at most one place */
	KTEST_EXPECT(t, sample_reader_add(&test_reader) < 0);
	for (unsigned i = 0; i < added; i++)
		sample_reader_remove(&extra[i]);
	KTEST_EXPECT_EQ(t, sample_reader_add(&test_reader), 0);
	sample_reader_remove(&test_reader);
}

KTEST_SUITE(profile,
	    KTEST_CASE(samples_land_in_the_spinning_function),
	    KTEST_CASE(nmi_samples_land_where_interrupts_are_off),
	    KTEST_CASE(samples_are_sorted_by_mode),
	    KTEST_CASE(reader_slots_are_bounded));
