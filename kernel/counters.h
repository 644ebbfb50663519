/*
 * Per-CPU event counters: the numbers the address-space experiments
 * compare between modes.  32-bit, wrapping, in each CPU's struct cpu.
 * User space reads them with the ukva_counters system call.
 */
#ifndef KERNEL_COUNTERS_H
#define KERNEL_COUNTERS_H

#include <stdint.h>
#include "arch/i386/percpu.h"
#include "abi/ukva.h"

/* The counters and their order: abi/ukva.h (UKVA_COUNTERS, enum ukva_counter). */

/*
 * Count n events of kind c on the running CPU: one unlocked ADD through
 * %fs, as Linux's this_cpu_add().  Interrupts are taken only between
 * instructions (SDM vol. 3A 6.6), so neither an interrupt nor a preemption
 * can split it, and no other CPU writes this CPU's counters.  (Under
 * multi-threaded TCG a LOCK prefix costs a host atomic on every system call.)
 */
static inline void count_events_cpu(enum ukva_counter c, uint32_t n)
{
	__asm__ volatile("addl %2, %%fs:%c0(,%1,4)"
			 : : "i"(offsetof(struct cpu, counters)), "r"(c), "ri"(n) : "memory", "cc");
}

static inline void count_event_cpu(enum ukva_counter c)
{
	count_events_cpu(c, 1);
}

/* Counter c of CPU cpu (a whole aligned word: never torn, SDM vol. 3A 8.1.1). */
static inline uint32_t cpu_counter(unsigned cpu, enum ukva_counter c)
{
	return __atomic_load_n(&cpus[cpu].counters[c], __ATOMIC_RELAXED);
}

/* Counter c summed over every CPU. */
uint32_t ukva_counter_total(enum ukva_counter c);
/* The name of counter c ("cr3_writes"). */
const char *ukva_counter_name(enum ukva_counter c);
/* Print every counter, summed over CPUs, on one line (end of a run). */
void print_counters(void);

#endif
