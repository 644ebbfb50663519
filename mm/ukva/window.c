/*
 * Building and tearing down UKVA windows (window.h draws one).
 *
 * A window is a copy of the kernel PMD whose entries 0-507 equal the
 * global ones forever (paging_init fixed them at boot) and whose entries
 * 508-511 are private, plus the PTE page behind entry 511.  Both pages may
 * come from highmem: the CPU only needs their physical addresses, and the
 * kernel writes them through kmap_atomic here and through the window
 * itself afterwards.
 */
#include "mm/ukva/ukva.h"
#include "mm/ukva/window.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/tlbflush.h"
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/errno.h"
#include "arch/i386/tss.h"

/* Window entries: present, writable, supervisor, never global. */
#define WINDOW_TABLE    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define WINDOW_PAGE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)

static pmd_t window_pmd(pfn_t pfn)
{
	return pfn_pmd(pfn, __pgprot(WINDOW_TABLE));
}

static pte_t window_pte(pfn_t pfn)
{
	return pfn_pte(pfn, __pgprot(WINDOW_PAGE));
}

/* Fill the copy and the window page for mm (and a stack, for per-task). */
static void window_fill(struct ukva_window *w, struct mm *mm, const void *stack)
{
	uint32_t flags = local_irq_save();
	pmd_t *copy = kmap_atomic(w->kernel_pmd);
	pte_t *slots = kmap_atomic(w->window_pte);

	for (int i = 0; i < UKVA_PMD_FIRST; i++)
		copy[i] = swapper_pmd[i];
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		pfn_t pmd_pfn = page_to_pfn(mm->pmd_pages[i]);
		set_pmd(&copy[UKVA_PMD_FIRST + i], window_pmd(pmd_pfn));
		set_pte(&slots[UKVA_SLOT_USER_PMD + i], window_pte(pmd_pfn));
	}
	set_pmd(&copy[UKVA_SELF_PMD], window_pmd(page_to_pfn(w->window_pte)));
	set_pte(&slots[UKVA_SLOT_KERNEL_PMD], window_pte(page_to_pfn(w->kernel_pmd)));
	set_pte(&slots[UKVA_SLOT_WINDOW], window_pte(page_to_pfn(w->window_pte)));
	/* The task's kernel stack, also reachable through the direct map. */
	for (int i = 0; stack && i < UKVA_STACK_PAGES; i++)
		set_pte(&slots[UKVA_SLOT_STACK + i], window_pte(page_to_pfn(virt_to_page(stack)) + i));
	kunmap_atomic(slots);
	kunmap_atomic(copy);
	local_irq_restore(flags);
}

/* A window for mm, with stack mapped if not NULL; NULL when memory is short. */
static struct ukva_window *window_create(struct mm *mm, const void *stack)
{
	struct ukva_window *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->kernel_pmd = alloc_pgtable_page();
	w->window_pte = alloc_pgtable_page();
	if (!w->kernel_pmd || !w->window_pte) {
		free_pgtable_page(w->kernel_pmd);
		free_pgtable_page(w->window_pte);
		kfree(w);
		return NULL;
	}
	window_fill(w, mm, stack);
	w->text_node = -1;              /* the context switch points it at a node */
	return w;
}

static void window_destroy(struct ukva_window *w)
{
	if (!w)
		return;
	for (int i = 0; i < UKVA_PRIVATE_PAGES; i++)
		if (w->private[i])
			free_page(w->private[i]);
	free_pgtable_page(w->kernel_pmd);
	free_pgtable_page(w->window_pte);
	kfree(w->pgd);
	kfree(w);
}

int ukva_mm_init(struct mm *mm)
{
	if (ukva_mode != UKVA_PER_MM) {
		set_pgd(&mm->pgd[KERNEL_PGD_INDEX], swapper_pg_dir[KERNEL_PGD_INDEX]);
		return 0;
	}
	mm->window = window_create(mm, NULL);
	if (!mm->window)
		return -ENOMEM;
	set_pgd(&mm->pgd[KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(mm->window->kernel_pmd)));
	return 0;
}

void ukva_mm_destroy(struct mm *mm)
{
	window_destroy(mm->window);
	mm->window = NULL;
}

/* Per-task: a PGD of the task's own over mm's user PMDs and a new window. */
static struct ukva_window *task_window_create(struct task *t, struct mm *mm)
{
	struct ukva_window *w = window_create(mm, t->stack);

	if (!w)
		return NULL;
	w->pgd = kzalloc(PTRS_PER_PGD * sizeof(pgd_t), GFP_KERNEL);
	if (!w->pgd) {
		window_destroy(w);
		return NULL;
	}
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pgd(&w->pgd[i], mm->pgd[i]);
	set_pgd(&w->pgd[KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(w->kernel_pmd)));
	w->pgd_phys = (uint32_t)virt_to_phys(w->pgd);
	return w;
}

int ukva_task_attach(struct task *t, struct mm *mm)
{
	struct ukva_window *old = t->window;
	uint32_t cr3 = mm_pgd_phys(mm);

	if (ukva_mode == UKVA_PER_TASK) {
		t->window = task_window_create(t, mm);
		if (!t->window) {
			t->window = old;
			return -ENOMEM;
		}
		cr3 = t->window->pgd_phys;
		t->thread.esp0 = UKVA_STACK_TOP;
	}
	if (t == current) {
		/* In the mask before the CR3 write: no shootdown may miss this CPU. */
		mm_cpu_enter(mm, this_cpu()->id);
		task_load_pgd(t, cr3);
		tss_set_kernel_stack(t->thread.esp0);
	} else {
		t->cr3 = cr3;
	}
	window_destroy(old);            /* exec: the old window is no longer loaded */
	return 0;
}

void ukva_task_detach(struct task *t)
{
	window_destroy(t->window);
	t->window = NULL;
}
