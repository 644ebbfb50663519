/*
 * SMP on the machine we booted on: every CPU the firmware lists is online
 * (or as many as the harness expects: expect_cpus=N), each reaches its own
 * struct cpu through %fs, IPIs and cross-calls reach every CPU, also from
 * every CPU at once, each CPU's APIC timer ticks, the I/O APIC delivers an
 * overridden ISA IRQ, and kernel threads run and move where they are told.
 *
 * Data other CPUs or threads touch is static, never on a stack (see
 * docs/design.md, "What may live on a kernel stack").
 */
#include "kernel/ktest.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/task.h"
#include "kernel/timer.h"
#include "arch/i386/acpi.h"
#include "arch/i386/apic.h"
#include "arch/i386/cpu.h"
#include "arch/i386/desc.h"
#include "arch/i386/ioapic.h"
#include "arch/i386/irq.h"
#include "arch/i386/pit.h"
#include "arch/i386/smp.h"
#include "arch/i386/smpboot.h"

#define CALL_ROUNDS     200
/*
 * How long to wait for an event that takes a tick or two (an interrupt, an
 * IPI): long enough that only a broken route runs out, however slowly a
 * busy host runs the vCPUs, so the tests do not depend on timing.
 */
#define WAIT_TICKS      (5 * HZ)

static unsigned long long expect_cpus;  /* 0: not given */

static int set_expect_cpus(const char *v)
{
	return parse_uint(v, &expect_cpus) || expect_cpus == 0 ? -EINVAL : 0;
}
BOOT_PARAM("expect_cpus", set_expect_cpus, "the CPU count the smp tests must find online");

static unsigned nr_online(void)
{
	return (unsigned)__builtin_popcount(cpus_online_mask());
}

/* Sleep a tick at a time until *counter differs from old, up to WAIT_TICKS. */
static bool wait_for_change(const volatile unsigned long *counter, unsigned long old)
{
	for (unsigned i = 0; i < WAIT_TICKS && *counter == old; i++)
		schedule_timeout(1);
	return *counter != old;
}

static void cpu_count_matches(struct ktest *t)
{
	uint32_t online = cpus_online_mask();

	ktest_diag(t, "%u CPUs online (mask 0x%x); the boot expected %u, expect_cpus says %llu",
		   nr_online(), online, smp_expected_cpus(), expect_cpus);
	KTEST_EXPECT_EQ(t, nr_online(), smp_expected_cpus());
	if (expect_cpus)
		KTEST_EXPECT_EQ(t, nr_online(), expect_cpus);
	KTEST_EXPECT_EQ(t, online, (1u << nr_online()) - 1);    /* numbered 0..n-1 */
	for (unsigned a = 0; a < NR_CPUS; a++)
		for (unsigned b = a + 1; b < NR_CPUS; b++)
			if ((online >> a & 1) && (online >> b & 1))
				KTEST_EXPECT(t, cpus[a].apic_id != cpus[b].apic_id);
}

/* What a CPU says about itself, from inside a cross-call. */
static struct whoami {
	unsigned id;
	struct cpu *self;
	unsigned apic_id;
	uint16_t fs;
	uint32_t gdt;
	uint32_t percpu_base;
	uint32_t cr0;
} whoami[NR_CPUS];

static void record_whoami(void *unused)
{
	struct cpu *c = this_cpu();
	struct whoami *w = &whoami[c->id];
	struct desc_ptr gdtr = store_gdt();

	w->id = smp_processor_id();
	w->self = c;
	w->apic_id = apic_active() ? lapic_id() : c->apic_id;
	__asm__ volatile("movw %%fs, %0" : "=r"(w->fs));
	w->gdt = gdtr.address;
	w->percpu_base = desc_base(((const struct desc_struct *)gdtr.address)[GDT_ENTRY_PERCPU]);
	w->cr0 = read_cr0();
}

static void percpu_segment_on_every_cpu(struct ktest *t)
{
	uint32_t online = cpus_online_mask();

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		whoami[cpu] = (struct whoami){ .id = ~0u };
		if (online & (1u << cpu))
			KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_whoami, NULL, true), 0);
	}
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(online & (1u << cpu)))
			continue;
		const struct whoami *w = &whoami[cpu];
		KTEST_EXPECT_EQ(t, w->id, cpu);
		KTEST_EXPECT(t, w->self == &cpus[cpu]);
		KTEST_EXPECT_EQ(t, w->apic_id, cpus[cpu].apic_id);
		KTEST_EXPECT_EQ(t, w->fs, __KERNEL_PERCPU);
		KTEST_EXPECT_EQ(t, w->percpu_base, (uint32_t)&cpus[cpu]);
		KTEST_EXPECT_EQ(t, w->cr0 & (CR0_CD | CR0_NW), 0);     /* caches on */
		for (unsigned other = 0; other < cpu; other++)
			if (online & (1u << other))
				KTEST_EXPECT(t, whoami[other].gdt != w->gdt);    /* a GDT each */
	}
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, record_whoami, NULL, true), -ENXIO);
}

static void reschedule_ipi_reaches_every_cpu(struct ktest *t)
{
	uint32_t others = cpus_online_mask() & ~(1u << smp_processor_id());

	if (!others)
		ktest_skip(t, "one CPU online");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(others & (1u << cpu)))
			continue;
		unsigned long before = READ_ONCE(cpus[cpu].resched_ipis);
		smp_send_reschedule(cpu);
		KTEST_EXPECT(t, wait_for_change(&cpus[cpu].resched_ipis, before));
	}
}

/* Per target CPU: calls run there, written only by that CPU. */
static unsigned long calls_ran[NR_CPUS];

static void count_call(void *unused)
{
	calls_ran[smp_processor_id()]++;
}

/* count_call, late: a caller that returns before fn has finished sees no count. */
static void slow_count_call(void *unused)
{
	for (volatile int i = 0; i < 500; i++)
		;
	count_call(NULL);
}

static void call_function_many_waits(struct ktest *t)
{
	unsigned me = smp_processor_id();      /* kinit is bound to nothing, but never moves */
	uint32_t online = cpus_online_mask();
	unsigned long before[NR_CPUS];

	if (online == (1u << me))
		ktest_skip(t, "one CPU online");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = calls_ran[cpu];
	uint64_t start = rdtsc();
	unsigned short_counts = 0;
	for (unsigned i = 0; i < CALL_ROUNDS; i++) {
		smp_call_function_many(online, slow_count_call, NULL, true);
		/* wait: every other CPU has run this round's call on return */
		for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
			if (cpu != me && (online & (1u << cpu)) &&
			    READ_ONCE(calls_ran[cpu]) != before[cpu] + i + 1)
				short_counts++;
	}
	uint64_t cycles = rdtsc() - start;
	ktest_diag(t, "%u rounds to %u CPUs: %llu TSC cycles per round", CALL_ROUNDS,
		   nr_online() - 1, cycles / CALL_ROUNDS);
	KTEST_EXPECT_EQ(t, short_counts, 0);
	KTEST_EXPECT_EQ(t, calls_ran[me], before[me]);          /* not on the caller */
}

static void call_function_async_completes(struct ktest *t)
{
	unsigned me = smp_processor_id();
	uint32_t others = cpus_online_mask() & ~(1u << me);

	if (!others)
		ktest_skip(t, "one CPU online");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(others & (1u << cpu)))
			continue;
		unsigned long before = READ_ONCE(calls_ran[cpu]);
		/* Two in a row: the second waits for the first's slot to free up. */
		smp_call_function_single(cpu, count_call, NULL, false);
		smp_call_function_single(cpu, count_call, NULL, false);
		for (unsigned i = 0; i < WAIT_TICKS && READ_ONCE(calls_ran[cpu]) < before + 2; i++)
			schedule_timeout(1);
		KTEST_EXPECT_EQ(t, READ_ONCE(calls_ran[cpu]), before + 2);
	}
}

/* Every CPU calls every other at once, many times: no deadlock, no lost call. */
static int cross_caller(void *unused)
{
	uint32_t online = cpus_online_mask();
	unsigned me = smp_processor_id(), next = me;

	do
		next = (next + 1) % NR_CPUS;
	while (!(online & (1u << next)));
	for (unsigned i = 0; i < CALL_ROUNDS; i++) {
		smp_call_function_many(online, count_call, NULL, i % 2 == 0);
		smp_call_function_single(next, count_call, NULL, true);
	}
	smp_call_function_many(online, count_call, NULL, true);   /* the last async ones are done */
	return (int)me;
}

static void calls_from_every_cpu_at_once(struct ktest *t)
{
	static struct task *callers[NR_CPUS];
	uint32_t online = cpus_online_mask();
	unsigned n = nr_online();
	unsigned long before[NR_CPUS];

	if (n == 1)
		ktest_skip(t, "one CPU online");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = calls_ran[cpu];
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		callers[cpu] = online & (1u << cpu) ?
			       kthread_create_on_cpu(cross_caller, NULL, "xcall", cpu) : NULL;
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(online & (1u << cpu)))
			continue;
		KTEST_ASSERT(t, callers[cpu]);
		KTEST_EXPECT_EQ(t, kthread_join(callers[cpu]), cpu);
	}
	/* From each of the n - 1 others: CALL_ROUNDS + 1 many, and CALL_ROUNDS singles from one. */
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (online & (1u << cpu))
			KTEST_EXPECT_EQ(t, calls_ran[cpu] - before[cpu],
					(n - 1) * (CALL_ROUNDS + 1) + CALL_ROUNDS);
}

static void apic_timer_ticks_on_every_cpu(struct ktest *t)
{
	uint32_t online = cpus_online_mask();
	unsigned long before[NR_CPUS];

	if (!apic_active())
		ktest_skip(t, "PIC mode: the PIT ticks, on CPU 0 only");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = READ_ONCE(cpus[cpu].timer_ticks);
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (online & (1u << cpu))
			KTEST_EXPECT(t, wait_for_change(&cpus[cpu].timer_ticks, before[cpu]));
}

static volatile unsigned long pit_irqs;

static void count_pit_irq(unsigned int irq, struct trap_frame *regs)
{
	pit_irqs++;
}

/* The PIT's IRQ 0 arrives on the GSI the MADT names (2 on QEMU and Bochs). */
static void ioapic_delivers_overridden_irq0(struct ktest *t)
{
	uint16_t flags;

	if (!apic_active())
		ktest_skip(t, "PIC mode: IRQ 0 is the tick");
	ktest_diag(t, "ISA IRQ 0 arrives on GSI %u", ioapic_irq_to_gsi(0, &flags));
	KTEST_ASSERT(t, irq_masked(0));
	KTEST_ASSERT(t, irq_register(0, count_pit_irq) == 0);
	bool unmasked = !irq_masked(0);
	unsigned long before = pit_irqs;
	pit_start_periodic(HZ);
	bool arrived = wait_for_change(&pit_irqs, before);
	irq_unregister(0);
	KTEST_EXPECT(t, unmasked);
	KTEST_EXPECT(t, irq_masked(0));
	KTEST_EXPECT(t, arrived);       /* proves the route */
}

/* A kernel thread on each CPU: it stays there, and so does a thread it creates. */
static struct placement {
	unsigned ran_on[4];
	unsigned child_ran_on;
} placement[NR_CPUS];

static int record_child_cpu(void *arg)
{
	((struct placement *)arg)->child_ran_on = smp_processor_id();
	return 0;
}

static int stay_on_cpu(void *arg)
{
	struct placement *p = arg;

	p->ran_on[0] = smp_processor_id();
	sched_yield();
	p->ran_on[1] = smp_processor_id();
	schedule_timeout(1);                    /* woken by CPU 0's timer */
	p->ran_on[2] = smp_processor_id();
	struct task *child = kthread_create(record_child_cpu, p, "child");
	if (!child)
		return -ENOMEM;
	kthread_join(child);
	p->ran_on[3] = smp_processor_id();
	return 0;
}

static void kthreads_run_on_their_cpu(struct ktest *t)
{
	static struct task *threads[NR_CPUS];
	uint32_t online = cpus_online_mask();

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		placement[cpu] = (struct placement){ { ~0u, ~0u, ~0u, ~0u }, ~0u };
		threads[cpu] = online & (1u << cpu) ?
			       kthread_create_on_cpu(stay_on_cpu, &placement[cpu], "stay", cpu) : NULL;
	}
	KTEST_EXPECT(t, !kthread_create_on_cpu(stay_on_cpu, NULL, "none", NR_CPUS));
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(online & (1u << cpu)))
			continue;
		KTEST_ASSERT(t, threads[cpu]);
		KTEST_EXPECT_EQ(t, kthread_join(threads[cpu]), 0);
		for (unsigned i = 0; i < 4; i++)
			KTEST_EXPECT_EQ(t, placement[cpu].ran_on[i], cpu);
		/* The child is not bound: it starts on the least loaded CPU. */
		KTEST_EXPECT(t, placement[cpu].child_ran_on < NR_CPUS &&
				(online & (1u << placement[cpu].child_ran_on)));
	}
}

/* Where a thread found itself after each sched_set_cpus_allowed to one CPU. */
static unsigned moved_to[NR_CPUS];

static int hop_across_cpus(void *unused)
{
	uint32_t online = cpus_online_mask();

	for (unsigned cpu = NR_CPUS; cpu-- > 0;) {
		if (!(online & (1u << cpu)))
			continue;
		if (sched_set_cpus_allowed(current, 1u << cpu))
			return -EINVAL;
		moved_to[cpu] = smp_processor_id();
	}
	return sched_set_cpus_allowed(current, 1u << NR_CPUS) == -EINVAL ? 0 : -EIO;
}

static void set_cpus_allowed_moves_current(struct ktest *t)
{
	uint32_t online = cpus_online_mask();

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		moved_to[cpu] = ~0u;
	struct task *th = kthread_create(hop_across_cpus, NULL, "hop");
	KTEST_ASSERT(t, th);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (online & (1u << cpu))
			KTEST_EXPECT_EQ(t, moved_to[cpu], cpu);
}

KTEST_SUITE(smp,
	KTEST_CASE(cpu_count_matches),
	KTEST_CASE(percpu_segment_on_every_cpu),
	KTEST_CASE(reschedule_ipi_reaches_every_cpu),
	KTEST_CASE(call_function_many_waits),
	KTEST_CASE(call_function_async_completes),
	KTEST_CASE(calls_from_every_cpu_at_once),
	KTEST_CASE(apic_timer_ticks_on_every_cpu),
	KTEST_CASE(ioapic_delivers_overridden_irq0),
	KTEST_CASE(kthreads_run_on_their_cpu),
	KTEST_CASE(set_cpus_allowed_moves_current));
