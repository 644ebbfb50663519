/*
 * Keeping every CPU's TLB right when user mappings change (TLB shootdown).
 *
 * mm->cpu_mask holds the CPUs that may have TLB entries for the mm's user
 * half: a CPU sets its bit when it switches to a task of the mm, and clears
 * it when its CR3 moves to another mm (the CR3 write drops them).  In the
 * per-task mode the threads of an mm have different PGDs but share its
 * user PMDs, so the mask is still per mm.  Call with interrupts on (the
 * IPI waits for the other CPUs).
 */
#ifndef MM_TLBFLUSH_H
#define MM_TLBFLUSH_H

#include <stdint.h>

struct mm;

/* Drop [start, end) of mm's user half from every TLB that may hold it. */
void flush_tlb_mm_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* The same for all of mm's user half. */
void flush_tlb_mm(struct mm *mm);
/* Drop a kernel (global) range from every CPU's TLB. */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end);

/* This CPU now runs (or stops running) on mm's page tables. */
void mm_cpu_enter(struct mm *mm, unsigned cpu);
void mm_cpu_leave(struct mm *mm, unsigned cpu);

#endif
