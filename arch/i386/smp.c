/*
 * IPIs (smp.h).  Each CPU has a call queue that other CPUs push their
 * call slots on; a CALL_FUNCTION_VECTOR IPI makes it take the whole queue
 * and run it.  An IPI is sent only when a slot lands on an empty queue: a
 * non-empty one has an IPI on its way, whose handler has not yet taken
 * the queue (taking it empties it, under the queue's lock).
 *
 * Locks: a call queue's lock is taken with interrupts off and nests inside
 * nothing else of ours; fn runs with no lock of ours held.
 */
#include "arch/i386/smp.h"
#include "arch/i386/apic.h"
#include "arch/i386/cpu.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"

#define CSD_LOCKED      (1u << 0)       /* queued or running: the slot is busy */
#define CSD_WAIT        (1u << 1)       /* the sender waits: release after fn */

struct call_single_data {
	struct call_single_data *next;  /* in the target CPU's call queue */
	smp_call_func_t fn;
	void *info;
	unsigned flags;
};

/* A stack of slots: order does not matter, a sender has one slot per target. */
struct call_queue {
	spinlock_t lock;
	struct call_single_data *first;
} __attribute__((aligned(64)));

static struct call_queue call_queues[NR_CPUS];
/* csd_slots[sender][target]: written by the sender with preemption off. */
static struct call_single_data csd_slots[NR_CPUS][NR_CPUS];

void smp_send_reschedule(unsigned cpu)
{
	if (apic_active() && cpu != smp_processor_id())
		apic_send_ipi(cpu, RESCHEDULE_VECTOR);
}

void smp_reschedule_interrupt(void)
{
	lapic_eoi();
	this_cpu()->resched_ipis++;
	this_cpu()->need_resched = true;        /* trap_exit_work reschedules */
}

/* Spin until the target has taken csd (and run fn, for a waited call). */
static void csd_lock_wait(const struct call_single_data *csd)
{
	while (__atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_LOCKED)
		cpu_relax();
}

/*
 * Fill the caller's slot for cpu and queue it there.  Preemption off.
 * Returns true if the queue was empty: the caller must send the IPI.
 */
static bool queue_call(unsigned cpu, smp_call_func_t fn, void *info, bool wait)
{
	struct call_single_data *csd = &csd_slots[smp_processor_id()][cpu];
	struct call_queue *q = &call_queues[cpu];

	csd_lock_wait(csd);
	csd->fn = fn;
	csd->info = info;
	csd->flags = CSD_LOCKED | (wait ? CSD_WAIT : 0);
	uint32_t flags = spin_lock_irqsave(&q->lock);
	bool was_empty = !q->first;
	csd->next = q->first;
	q->first = csd;
	spin_unlock_irqrestore(&q->lock, flags);
	return was_empty;
}

/* Empty this CPU's queue; returns what it held.  Interrupts off. */
static struct call_single_data *take_calls(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];

	spin_lock(&q->lock);
	struct call_single_data *list = q->first;
	q->first = NULL;
	spin_unlock(&q->lock);
	return list;
}

void smp_call_function_interrupt(void)
{
	lapic_eoi();
	this_cpu()->call_ipis++;
	for (struct call_single_data *csd = take_calls(), *next; csd; csd = next) {
		smp_call_func_t fn = csd->fn;
		void *info = csd->info;
		next = csd->next;
		/* After the release the sender may refill the slot: use the copies. */
		if (csd->flags & CSD_WAIT) {
			fn(info);
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
			fn(info);
		}
	}
}

/* The rule of smp.h: waiting with interrupts off can deadlock. */
static void check_irqs_on(void)
{
	BUG_ON(irqs_disabled());
}

int smp_call_function_single(unsigned cpu, smp_call_func_t fn, void *info, bool wait)
{
	int err = 0;

	check_irqs_on();
	preempt_disable();
	if (cpu == smp_processor_id()) {
		uint32_t flags = local_irq_save();
		fn(info);
		local_irq_restore(flags);
	} else if (cpu >= NR_CPUS || !(cpus_online_mask() & (1u << cpu))) {
		err = -ENXIO;
	} else {
		if (queue_call(cpu, fn, info, wait))
			apic_send_ipi(cpu, CALL_FUNCTION_VECTOR);
		if (wait)
			csd_lock_wait(&csd_slots[smp_processor_id()][cpu]);
	}
	preempt_enable();
	return err;
}

void smp_call_function_many(uint32_t mask, smp_call_func_t fn, void *info, bool wait)
{
	check_irqs_on();
	preempt_disable();
	unsigned me = smp_processor_id();
	uint32_t others = cpus_online_mask() & ~(1u << me);
	uint32_t targets = mask & others, need_ipi = 0;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if ((targets & (1u << cpu)) && queue_call(cpu, fn, info, wait))
			need_ipi |= 1u << cpu;
	if (need_ipi && need_ipi == others && __builtin_popcount(others) > 1) {
		apic_send_ipi_allbutself(CALL_FUNCTION_VECTOR);
	} else {
		for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
			if (need_ipi & (1u << cpu))
				apic_send_ipi(cpu, CALL_FUNCTION_VECTOR);
	}
	if (wait)
		for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
			if (targets & (1u << cpu))
				csd_lock_wait(&csd_slots[me][cpu]);
	preempt_enable();
}
