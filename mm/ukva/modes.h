/*
 * Inside mm/ukva: the ops tables of the modes and the pieces they share,
 * so that a mode's file is a list of choices.  Nothing outside mm/ukva
 * includes this; the kernel calls the modes through ukva.h.
 */
#ifndef MM_UKVA_MODES_H
#define MM_UKVA_MODES_H

#include "mm/ukva/ukva.h"

extern const struct ukva_mode_ops ukva_shared_ops;
extern const struct ukva_mode_ops ukva_per_mm_ops;
extern const struct ukva_mode_ops ukva_per_task_ops;
extern const struct ukva_mode_ops ukva_per_cpu_ops;

/* common.c: what more than one mode does the same way. */

/* mm_init: PGD entry 3 -> the global kernel PMD.  Returns 0. */
int ukva_mm_init_global(struct mm *mm);
/* mm_destroy, task_detach: nothing was built. */
void ukva_mm_destroy_nothing(struct mm *mm);
void ukva_task_detach_nothing(struct task *t);
/* task_attach: t runs on mm's own PGD.  Returns 0. */
int ukva_attach_mm_pgd(struct task *t, struct mm *mm);
/* leave_mm: move t to the kernel's PGD. */
void ukva_leave_to_kernel_pgd(struct task *t);
/* window_fault: the mode has no demand-filled window pages.  Returns false. */
bool ukva_no_window_fault(uint32_t addr);
/* switch_mm: write CR3 when next's differs from the one this CPU has loaded. */
struct ukva_switch ukva_switch_by_cr3(const struct task *prev, const struct task *next,
				      const struct cpu *cpu);
/* kernel_pmd: t runs on the global kernel PMD.  Returns NULL. */
struct page *ukva_global_kernel_pmd(const struct task *t);

/* window.c: building and tearing down windows. */

/* A window for mm, with the kernel stack mapped if not NULL; NULL when memory is short. */
struct ukva_window *ukva_window_create(struct mm *mm, const void *stack);
/*
 * The same without a kernel PMD copy of its own (per-cpu: the CPU's copy
 * points at it), and so without slots 4 and 5.
 */
struct ukva_window *ukva_window_page_create(struct mm *mm, const void *stack);
/*
 * Map frame pfn at slot of w's window page (0: unmap it), through
 * kmap_atomic: the window need not be loaded.  A slot that was mapped
 * must be flushed by the caller where it may be in a TLB.
 */
void ukva_window_set_slot(struct ukva_window *w, unsigned slot, pfn_t pfn);
/* A window's kernel PMD entry (508-511) for the table at pfn: supervisor, never global. */
pmd_t ukva_window_pmd(pfn_t pfn);
/* Free a window and its private frames; ignores NULL. */
void ukva_window_destroy(struct ukva_window *w);

/* pte.c: using a window. */

/* pte_map: through the linear map when mm's window is loaded here, else kmap. */
bool ukva_window_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);
/* The same, for a caller that knows the running task's window maps mm's PTEs here. */
bool ukva_linear_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);

/* per_task.c: for modes whose windows are per task. */

/* Without highmem, these modes take this much for frames no one else maps. */
#define UKVA_PRIVATE_MIN_HIGHMEM        (8u << 20)

/*
 * window_fault: back the private page of w (NULL: none) at addr with a
 * fresh highmem frame.  Returns false for an address outside the private
 * area, a page already backed, or no highmem frame.
 */
bool ukva_private_fault(struct ukva_window *w, uint32_t addr);
/*
 * task_attach with a new window w for t (NULL: -ENOMEM, t unchanged), cr3
 * its PGD; the stack moves to the window's; an old window (exec) goes once
 * the new one is loaded.  0 or -ENOMEM.
 */
int ukva_task_window_attach(struct task *t, struct mm *mm, struct ukva_window *w, uint32_t cr3);
/* task_detach: free t's window. */
void ukva_task_window_detach(struct task *t);
/* window_fault: the private area of the running task's own window. */
bool ukva_task_private_fault(uint32_t addr);
/* leave_mm: cut the user half off the window current task t runs on (keeps its stack). */
void ukva_window_cut_user(struct task *t);

/* per_cpu.c, for walkers (tests): CPU cpu's kernel PMD copy and its PGD. */
struct page *ukva_cpu_kernel_pmd(unsigned cpu);
uint32_t ukva_cpu_pgd_phys(unsigned cpu);

/* cost.c: the parts every mode's cost is made of. */

/* The mm itself: struct, areas, PGD, user PMDs and PTE pages (mm_cost of a mode without per-mm state). */
void ukva_cost_mm_base(const struct mm *mm, struct ukva_cost *cost);
/* The task itself: struct and kernel stack (task_cost of a mode without per-task state). */
void ukva_cost_task_base(const struct task *t, struct ukva_cost *cost);
/* A window (and its kmalloc'd header); ignores NULL. */
void ukva_cost_add_window(struct ukva_cost *cost, const struct ukva_window *w);
/* A PGD of its own. */
void ukva_cost_add_pgd(struct ukva_cost *cost);

#endif
