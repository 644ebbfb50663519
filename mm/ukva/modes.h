/*
 * Inside mm/ukva: the ops tables of the modes and the pieces they share,
 * so that a mode's file is a list of choices.  Nothing outside mm/ukva
 * includes this; the kernel calls the modes through ukva.h.
 */
#ifndef MM_UKVA_MODES_H
#define MM_UKVA_MODES_H

#include "mm/ukva/ukva.h"
#include "mm/ukva/task_window.h"

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

/* mm=per-mm: an mm's window, with a kernel PMD copy; NULL when memory is short. */
struct ukva_window *ukva_window_create(struct mm *mm);
/* Free an mm's window and its stack-slot PTE pages; ignores NULL. */
void ukva_window_destroy(struct ukva_window *w);
/*
 * A task's window for mm in *tw, with the kernel stack (its frames) mapped
 * if not NULL, and a kernel PMD copy of its own if with_copy (per-task;
 * per-cpu's windows have none, and so no slots 4 and 5).  0 or -ENOMEM
 * (then nothing is allocated).
 */
int ukva_task_window_create(struct task_window *tw, struct mm *mm, struct page *stack,
			    bool with_copy);
/* Free a task's window, its copy (with_copy) and its private frames; ignores an empty one. */
void ukva_task_window_destroy(struct task_window *tw, bool with_copy);
/*
 * Map frame pfn at slot of the window page window_page (0: unmap it),
 * through kmap_atomic: the window need not be loaded.  A slot that was
 * mapped must be flushed by the caller where it may be in a TLB.
 */
void ukva_window_set_slot(pfn_t window_page, unsigned slot, pfn_t pfn);
/* The frame a slot of the window page window_page maps (kmap_atomic), or 0. */
pfn_t ukva_window_slot(pfn_t window_page, unsigned slot);

/* Window entries: a table (PMD level), a page; present, writable, supervisor, never global. */
pmd_t ukva_window_pmd(pfn_t pfn);
pte_t ukva_window_pte(pfn_t pfn);
/*
 * Map the UKVA_STACK_PAGES frames of stack (a task's kernel stack) into
 * the PTE page ptes (mapped by the caller), from entry first on, as window
 * pages: supervisor, never global.  Per-task and per-cpu windows and
 * per-mm stack slots all map stacks with it.
 */
void ukva_map_stack(pte_t *ptes, unsigned first, struct page *stack);

/* stack_slots.c: mm=per-mm's stack slots. */

/*
 * mm=per-mm: give t's kernel stack a slot of its own in mm's window
 * (slot want, or any free one when want < 0): t->stack, t->thread.esp0
 * and t->stack_mm are set, and t holds a reference to mm until
 * ukva_stack_slot_free, so the mm's window outlives t's last switch.
 * Interrupts on when a slot may have been used before (a reused slot is
 * flushed on the mm's CPUs, which waits for them); exec's new mm has
 * none, so exec may call it with interrupts off.  0, -EAGAIN (no free
 * slot: the window bounds threads per mm) or -ENOMEM.
 */
int ukva_stack_slot_alloc(struct task *t, struct mm *mm, int want);
/* Unmap t's slot and drop its mm reference.  Any context. */
void ukva_stack_slot_free(struct task *t);
/* The same for the slot of stack in mm (exec: the old mm's, once left). */
void ukva_stack_slot_release(struct mm *mm, const void *stack);
/* The slot index of a stack address in the per-mm area. */
unsigned ukva_stack_slot_of(const void *stack);

/* pte.c: using a window. */

/* pte_map: through the linear map when mm's window is loaded here, else kmap. */
bool ukva_window_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);
/* The same, for a caller that knows the running task's window maps mm's PTEs here. */
bool ukva_linear_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);

/* per_task.c: for modes whose windows are per task. */

/* Without highmem, these modes take this much for frames no one else maps. */
#define UKVA_PRIVATE_MIN_HIGHMEM        (8u << 20)

/*
 * window_fault: back the private page of tw (no window: none) at addr
 * with a fresh highmem frame.  Returns false for an address outside the
 * private area, a page already backed, or no highmem frame.
 */
bool ukva_private_fault(struct task_window *tw, uint32_t addr);
/*
 * task_attach with t's new window new (built, or new->page 0 when that
 * failed: -ENOMEM, t unchanged), cr3 its PGD; the stack moves to the
 * window's; the old window (exec) goes once the new one is loaded, freed
 * by free_old (with the PGD old_cr3 it ran on).  0 or -ENOMEM.
 */
int ukva_task_window_attach(struct task *t, struct mm *mm, const struct task_window *new,
			    uint32_t cr3, void (*free_old)(struct task_window *old, uint32_t old_cr3));
/* window_fault: the private area of the running task's own window. */
bool ukva_task_private_fault(uint32_t addr);

/* per_cpu.c, for walkers (tests): CPU cpu's kernel PMD copy and its PGD. */
struct page *ukva_cpu_kernel_pmd(unsigned cpu);
uint32_t ukva_cpu_pgd_phys(unsigned cpu);

/* cost.c: the parts every mode's cost is made of. */

/* The mm itself: struct, areas, PGD, user PMDs and PTE pages (mm_cost of a mode without per-mm state). */
void ukva_cost_mm_base(const struct mm *mm, struct ukva_cost *cost);
/* The task itself: struct and kernel stack (task_cost of a mode without per-task state). */
void ukva_cost_task_base(const struct task *t, struct ukva_cost *cost);
/* An mm's window (and its kmalloc'd header); ignores NULL. */
void ukva_cost_add_window(struct ukva_cost *cost, const struct ukva_window *w);
/* A task's window: its pages (the copy too if with_copy); ignores an empty one. */
void ukva_cost_add_task_window(struct ukva_cost *cost, const struct task_window *tw, bool with_copy);
/* A PGD of its own, in lowmem (kmalloc) or not. */
void ukva_cost_add_pgd(struct ukva_cost *cost, bool lowmem);

#endif
