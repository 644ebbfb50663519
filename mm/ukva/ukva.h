/*
 * The three address-space modes (boot option mm=shared|per-mm|per-task):
 * where the PGD, the kernel PMD and the UKVA window of a task come from.
 * docs/design.md explains them; window.h draws the window.
 *
 *                 PGD        kernel PMD          window
 *   shared        per mm     the global one      none (kmap_atomic instead)
 *   per-mm        per mm     a copy per mm       per mm: page tables
 *   per-task      per task   a copy per task     per task: page tables,
 *                                                kernel stack, private area
 */
#ifndef MM_UKVA_UKVA_H
#define MM_UKVA_UKVA_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/pgtable.h"
#include "mm/ukva/window.h"

enum ukva_mode { UKVA_SHARED, UKVA_PER_MM, UKVA_PER_TASK };

extern enum ukva_mode ukva_mode;

struct mm;
struct task;
struct page;

/* One window: a copy of the kernel PMD and the page that PMD 511 maps. */
struct ukva_window {
	struct page *kernel_pmd;        /* the copy (any zone) */
	struct page *window_pte;        /* the PTE page of PMD 511 (any zone) */
	struct page *private[UKVA_PRIVATE_PAGES]; /* private-area frames, as they are touched */
	uint32_t pgd_phys;              /* the PGD that uses this copy (per-task) */
	pgd_t *pgd;                     /* that PGD (per-task: the task's own) */
	int text_node;                  /* whose text replica the copy maps; -1: not chosen yet
					   (numa/ktext_switch.c, under its lock) */
};

const char *ukva_mode_name(enum ukva_mode mode);
/* Report the mode at boot. */
void ukva_init(void);

/*
 * Give mm its kernel half: the global kernel PMD (shared, per-task) or a
 * window of its own (per-mm).  Called by mm_create.  0 or -ENOMEM.
 */
int ukva_mm_init(struct mm *mm);
void ukva_mm_destroy(struct mm *mm);

/*
 * Make task t run on mm (fork, clone, exec, the first process): sets
 * t->cr3 and, in per-task mode, builds t's own PGD and window, with its
 * kernel stack mapped at UKVA_STACK_BOTTOM.  0 or -ENOMEM.
 */
int ukva_task_attach(struct task *t, struct mm *mm);
/* Free what ukva_task_attach built (the task is gone, or leaves its mm). */
void ukva_task_detach(struct task *t);

enum ukva_pte_result {
	UKVA_PTE_NO_WINDOW,             /* mm's window is not loaded here: use kmap_atomic */
	UKVA_PTE_MAPPED,                /* *ptep is the PTE, in the linear map */
	UKVA_PTE_NONE,                  /* no PTE page (and !alloc, or no memory) */
};

/*
 * The PTE of addr through the window of the running address space.  With
 * alloc, a missing PTE page is allocated.  mm->lock held, interrupts off.
 */
enum ukva_pte_result ukva_pte(struct mm *mm, uintptr_t addr, bool alloc, pte_t **ptep);

/*
 * Task t (current) stops using its mm, which may be freed next: it moves
 * to the kernel's PGD, or in per-task mode keeps its PGD and window (it is
 * running on the window's stack) with the user half cut off.
 */
void ukva_task_leave_mm(struct task *t);

/*
 * A fault on a window address in kernel mode: back a private-area page
 * with a fresh highmem frame, which no other mapping reaches.  Returns
 * true when handled.
 */
bool ukva_window_fault(uint32_t addr);

/* Bytes this mode spends, for the cost report and the benchmark. */
struct ukva_cost {
	uint32_t pgtable_bytes;         /* page-table pages and PGDs */
	uint32_t lowmem_bytes;          /* of those and the rest, in lowmem */
};
void ukva_mm_cost(const struct mm *mm, struct ukva_cost *cost);
void ukva_task_cost(const struct task *t, struct ukva_cost *cost);

#endif
