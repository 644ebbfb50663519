/*
 * Per-CPU data.  Every CPU owns one struct cpu; this_cpu() finds it in O(1).
 *
 * The preemption count is per CPU, not per task: schedule() is entered with
 * exactly the run-queue lock held (checked), so every task that is switched
 * out leaves the count at the same value and the incoming one finds it so.
 */
#ifndef ARCH_I386_PERCPU_H
#define ARCH_I386_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#define NR_CPUS 16

struct task;

struct cpu {
	struct cpu *self;               /* for %fs-relative access with SMP */
	unsigned id;
	struct task *current_task;
	struct task *idle;
	int preempt_count;              /* > 0: no preemption on this CPU */
	bool need_resched;              /* set by the tick or a wake-up */
	uint32_t loaded_cr3;            /* the PGD this CPU runs on */
	bool online;
};

extern struct cpu cpus[NR_CPUS];

/* The running CPU's data.  Boot CPU only until SMP brings up the others. */
static inline struct cpu *this_cpu(void)
{
	return &cpus[0];
}

static inline struct task *get_current(void)
{
	return this_cpu()->current_task;
}
#define current get_current()

static inline void preempt_disable(void)
{
	this_cpu()->preempt_count++;
	__asm__ volatile("" ::: "memory");
}

/* Re-enable preemption; a pending reschedule happens at the next tick or syscall exit. */
static inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("" ::: "memory");
	this_cpu()->preempt_count--;
}

void preempt_enable(void);      /* kernel/sched.c: may reschedule */

#endif
