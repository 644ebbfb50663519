/*
 * Per-CPU data.  Every CPU owns one struct cpu; this_cpu() finds it in O(1).
 *
 * Each CPU's GDT has a per-CPU data segment (GDT_ENTRY_PERCPU, segment.h)
 * whose base is that CPU's &cpus[id].  Every way into the kernel loads
 * %fs with its selector (entry.S) and the way out restores the user's, so
 * in kernel mode %fs:x is byte x of the running CPU's struct cpu, and
 * reading a field is one instruction, as with Linux's this_cpu_read().
 * A single instruction cannot be split by preemption: the value read is
 * the running CPU's even if the task moves to another CPU right after.
 *
 * The preemption count is per CPU, not per task: schedule() is entered with
 * exactly the run-queue lock held (checked), so every task that is switched
 * out leaves the count at the same value and the incoming one finds it so.
 */
#ifndef ARCH_I386_PERCPU_H
#define ARCH_I386_PERCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/ukva.h"

#define NR_CPUS 16

struct task;

/* Cache-line aligned: no CPU's writes bounce another CPU's line. */
struct cpu {
	struct cpu *self;               /* %fs:0: this_cpu() */
	unsigned id;                    /* index in cpus[], 0 = the boot CPU */
	struct task *current_task;
	struct task *idle;
	int preempt_count;              /* > 0: no preemption on this CPU */
	bool need_resched;              /* set by the tick or a wake-up */
	bool online;                    /* scheduling: set by sched_init(_ap) */
	uint32_t loaded_cr3;            /* the PGD this CPU runs on */
	unsigned apic_id;               /* its local APIC's ID (MADT, checked at start) */
	/* Interrupts taken, for tests and reports; written only by this CPU. */
	unsigned long timer_ticks;      /* periodic ticks (tick_periodic) */
	unsigned long resched_ipis;     /* reschedule IPIs received */
	unsigned long call_ipis;        /* call-function IPIs received */
	/* The event counters (kernel/counters.h); written only by this CPU. */
	uint32_t counters[NR_UKVA_COUNTERS];
} __attribute__((aligned(64)));

extern struct cpu cpus[NR_CPUS];

/*
 * The running CPU's data: one load of its self pointer through %fs.  The
 * pointer stays right only while the task cannot move: preemption or
 * interrupts off.  ("m"(cpus) orders it after stores to any struct cpu.)
 */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("movl %%fs:%c1, %0"
			 : "=r"(c) : "i"(offsetof(struct cpu, self)), "m"(cpus));
	return c;
}

/* The running task: one %fs-relative load, right in any context. */
static inline struct task *get_current(void)
{
	struct task *t;

	__asm__ volatile("movl %%fs:%c1, %0"
			 : "=r"(t) : "i"(offsetof(struct cpu, current_task)), "m"(cpus));
	return t;
}
#define current get_current()

/* Count up: one unlocked instruction, as only this CPU writes its count. */
static inline void preempt_disable(void)
{
	__asm__ volatile("incl %%fs:%c0" : : "i"(offsetof(struct cpu, preempt_count)) : "memory");
}

/* Re-enable preemption; a pending reschedule happens at the next tick or syscall exit. */
static inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("decl %%fs:%c0" : : "i"(offsetof(struct cpu, preempt_count)) : "memory");
}

void preempt_enable(void);      /* kernel/sched.c: may reschedule */

#endif
