/*
 * Per-CPU event counters: the numbers the address-space experiments
 * compare between modes.  32-bit, wrapping, incremented with one locked
 * instruction so an interrupt on the same CPU cannot lose a count.
 * User space reads them with the ukva_counters system call.
 */
#ifndef KERNEL_COUNTERS_H
#define KERNEL_COUNTERS_H

#include <stdint.h>
#include "arch/i386/percpu.h"
#include "abi/ukva.h"

/* The counters and their order: abi/ukva.h (UKVA_COUNTERS, enum ukva_counter). */

extern uint32_t cpu_counters[NR_CPUS][NR_UKVA_COUNTERS];

static inline void count_event_cpu(enum ukva_counter c)
{
	__atomic_fetch_add(&cpu_counters[this_cpu()->id][c], 1, __ATOMIC_RELAXED);
}

/* Count n events of kind c at once. */
static inline void count_events_cpu(enum ukva_counter c, uint32_t n)
{
	__atomic_fetch_add(&cpu_counters[this_cpu()->id][c], n, __ATOMIC_RELAXED);
}

/* Counter c summed over every CPU. */
uint32_t ukva_counter_total(enum ukva_counter c);
/* The name of counter c ("cr3_writes"). */
const char *ukva_counter_name(enum ukva_counter c);
/* Print every counter, summed over CPUs, on one line (end of a run). */
void print_counters(void);

#endif
