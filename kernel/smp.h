/*
 * CPU numbering.  NR_CPUS (arch/i386/percpu.h) bounds the static per-CPU
 * arrays; smp_processor_id() reads the running CPU's own data.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "arch/i386/percpu.h"
#include "arch/i386/smp.h"        /* the IPIs: smp_send_reschedule, smp_call_function_* */

/* The CPU running this code.  Stable only while preemption is off. */
static inline unsigned smp_processor_id(void)
{
	return this_cpu()->id;
}

#endif
