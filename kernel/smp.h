/*
 * CPU numbering.  NR_CPUS (arch/i386/percpu.h) bounds the static per-CPU
 * arrays; smp_processor_id() reads the running CPU's own data.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/i386/percpu.h"

/* The CPU running this code.  Stable only while preemption is off. */
static inline unsigned smp_processor_id(void)
{
	return this_cpu()->id;
}

/*
 * Inter-processor interrupts (arch/i386/smp.c).  A reschedule IPI makes
 * cpu run schedule() on its way out of the interrupt.  A function call
 * runs fn(arg) on every CPU of mask except the caller's, with interrupts
 * off there; with wait, it returns once all have run it.  Call both with
 * interrupts on: a CPU spinning with them off for another's call while
 * that one waits for it would deadlock.
 */
void smp_send_reschedule(unsigned cpu);
void smp_call_function_many(uint32_t mask, void (*fn)(void *arg), void *arg, bool wait);

#endif
