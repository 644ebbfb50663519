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

/* The order is ABI: user/lib/counters.h mirrors it. */
#define UKVA_COUNTERS(X)                                                        \
	X(CR3_WRITE,        "cr3_writes")      /* CR3 loads, any cause */        \
	X(TLB_FLUSH_ALL,    "tlb_flush_all")   /* whole-TLB flushes */           \
	X(TLB_FLUSH_ONE,    "tlb_flush_one")   /* single-page invalidations */   \
	X(SWITCH_SAME_MM,   "switch_same_mm")  /* between tasks of one mm */     \
	X(SWITCH_CROSS_MM,  "switch_cross_mm") /* between different mms */       \
	X(KMAP,             "kmap")            /* kmap() calls */                \
	X(KMAP_ATOMIC,      "kmap_atomic")     /* kmap_atomic() calls */         \
	X(WINDOW_ACCESS,    "window_access")   /* PTE accesses through a window */ \
	X(WINDOW_FAULT,     "window_fault")    /* faults on a window address */  \
	X(PAGE_FAULT,       "page_fault")      /* user page faults handled */    \
	X(SYSCALL,          "syscall")         /* int 0x80 entries */            \
	X(SHOOTDOWN,        "shootdown")       /* TLB shootdown IPIs sent */      \
	X(FPU_SWITCH,       "fpu_switch")      /* FPU states saved or loaded */

#define UKVA_COUNTER_ENUM(id, name) CNT_##id,
enum ukva_counter { UKVA_COUNTERS(UKVA_COUNTER_ENUM) NR_UKVA_COUNTERS };
#undef UKVA_COUNTER_ENUM

extern uint32_t cpu_counters[NR_CPUS][NR_UKVA_COUNTERS];

static inline void count_event_cpu(enum ukva_counter c)
{
	__atomic_fetch_add(&cpu_counters[this_cpu()->id][c], 1, __ATOMIC_RELAXED);
}

/* Counter c summed over every CPU. */
uint32_t ukva_counter_total(enum ukva_counter c);
/* The name of counter c ("cr3_writes"). */
const char *ukva_counter_name(enum ukva_counter c);
/* Print every counter, summed over CPUs, on one line (end of a run). */
void print_counters(void);

#endif
