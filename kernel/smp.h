/*
 * CPU numbering.  NR_CPUS bounds the static per-CPU arrays.  Only the boot
 * CPU runs until application processors are started (a later issue), so
 * the current CPU is 0; that code replaces smp_processor_id's body with a
 * per-CPU read, and every per-CPU user already indexes through it.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#define NR_CPUS 16

/* The CPU running this code.  Stable only while preemption is off. */
static inline unsigned smp_processor_id(void)
{
	return 0;
}

#endif
