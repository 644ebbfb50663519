/*
 * mm=per-task: every task has its own PGD over its mm's user PMDs, its own
 * kernel PMD copy and a window holding the linear map of its mm's PTEs,
 * its kernel stack at one fixed address (UKVA_STACK_TOP is every task's
 * TSS.esp0) and a private area whose frames no other mapping reaches.
 * Switching between two threads of one mm writes CR3.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/pdpt.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"
#include "kernel/counters.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "arch/i386/tlb.h"

/*
 * A window for t in *tw and a PGD of t's own over mm's user PMDs and the
 * window's kernel PMD copy: the PGD's physical address (below 4 GiB, in
 * highmem where there is some: mm/pdpt.h), or 0 when memory is short.
 */
static uint32_t task_tables_create(struct task *t, struct mm *mm, struct task_window *tw)
{
	if (ukva_task_window_create(tw, mm, t->stack_pages, true))
		return 0;
	uint32_t pgd_phys = pdpt_alloc();
	if (!pgd_phys) {
		ukva_task_window_destroy(tw, true);
		return 0;
	}
	/*
	 * Written here, before any CR3 holds it, and again only when the
	 * task leaves its mm: the CPU caches the four entries at every CR3
	 * load (SDM vol. 3A 4.4.1), so an entry written meanwhile would not
	 * count until the next one.
	 */
	uint32_t flags = local_irq_save();
	pgd_t *pgd = pdpt_map(pgd_phys);
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pgd(&pgd[i], mm->pgd[i]);
	set_pgd(&pgd[KERNEL_PGD_INDEX], pfn_pgd(tw->kernel_pmd));
	pdpt_unmap(pgd);
	local_irq_restore(flags);
	return pgd_phys;
}

/* Free a task's window and the PGD cr3 it ran on; nothing if it has no window. */
static void task_tables_free(struct task_window *tw, uint32_t cr3)
{
	if (!tw->page)
		return;
	ukva_task_window_destroy(tw, true);
	pdpt_free(cr3);
}

int ukva_task_window_attach(struct task *t, struct mm *mm, const struct task_window *new,
			    uint32_t cr3, void (*free_old)(struct task_window *old, uint32_t old_cr3))
{
	struct task_window old = t->window;
	uint32_t old_cr3 = t->cr3;

	if (!new->page)
		return -ENOMEM;
	t->window = *new;
	t->cr3 = cr3;
	t->stack = (void *)UKVA_STACK_BOTTOM;
	t->thread.esp0 = UKVA_STACK_TOP;
	if (t == current)
		activate_mm(mm);
	free_old(&old, old_cr3);
	return 0;
}

/* A new window and PGD for t. */
static int per_task_attach(struct task *t, struct mm *mm)
{
	struct task_window tw = { 0 };
	uint32_t cr3 = task_tables_create(t, mm, &tw);

	return ukva_task_window_attach(t, mm, &tw, cr3, task_tables_free);
}

static void per_task_detach(struct task *t)
{
	task_tables_free(&t->window, t->cr3);
}

/*
 * We run on the window's stack, so we keep the window and cut it off the
 * mm: no user PGD entries, no linear map, no PMD slots.  The PDPT is
 * cached by the CPU, so the change needs a CR3 reload (SDM 4.4.1).
 */
static void window_cut_user(struct task *t)
{
	pmd_t *copy = (pmd_t *)UKVA_SLOT(UKVA_SLOT_KERNEL_PMD);
	pte_t *slots = (pte_t *)UKVA_SLOT(UKVA_SLOT_WINDOW);
	uint32_t flags = local_irq_save();
	pgd_t *pgd = pdpt_map(t->cr3);

	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		pgd_clear(&pgd[i]);
		pmd_clear(&copy[UKVA_PMD_FIRST + i]);
		pte_clear(&slots[UKVA_SLOT_USER_PMD + i]);
	}
	pdpt_unmap(pgd);
	flush_tlb_all_nonglobal();
	local_irq_restore(flags);
}

static void per_task_leave_mm(struct task *t)
{
	if (t->window.page)
		window_cut_user(t);
	else
		ukva_leave_to_kernel_pgd(t);    /* never attached */
}

bool ukva_private_fault(struct task_window *tw, uint32_t addr)
{
	if (!tw->page || addr < UKVA_PRIVATE || addr >= UKVA_PRIVATE_END)
		return false;
	unsigned i = (addr - UKVA_PRIVATE) / PAGE_SIZE;
	if (tw->private_mask & (1u << i))
		return false;                   /* mapped already: a real bug */
	/* From highmem: a frame the direct map does not cover is mapped nowhere else. */
	struct page *page = alloc_page(GFP_HIGHMEM | __GFP_ZERO);
	if (!page || !page_is_highmem(page)) {
		if (page)
			free_page(page);
		return false;
	}
	tw->private_mask |= 1u << i;
	ukva_window_set_slot(tw->page, UKVA_SLOT_PRIVATE + i, page_to_pfn(page));
	count_event_cpu(CNT_WINDOW_FAULT);
	return true;
}

bool ukva_task_private_fault(uint32_t addr)
{
	return ukva_private_fault(&current->window, addr);
}

static struct page *per_task_kernel_pmd(const struct task *t)
{
	return t->window.page ? pfn_to_page(t->window.kernel_pmd) : NULL;
}

/* A task pays for its PGD and window. */
static void per_task_task_cost(const struct task *t, struct ukva_cost *cost)
{
	ukva_cost_task_base(t, cost);
	if (t->window.page) {
		ukva_cost_add_pgd(cost, pdpt_is_lowmem(t->cr3));
		ukva_cost_add_task_window(cost, &t->window, true);
	}
}

const struct ukva_mode_ops ukva_per_task_ops = {
	.name = "per-task",
	.summary = "a PGD, kernel PMD copy and UKVA window per task, none in lowmem",
	.min_highmem = UKVA_PRIVATE_MIN_HIGHMEM,
	.stack_gfp = GFP_HIGHMEM,
	.mm_init = ukva_mm_init_global,
	.mm_destroy = ukva_mm_destroy_nothing,
	.task_attach = per_task_attach,
	.task_detach = per_task_detach,
	.leave_mm = per_task_leave_mm,
	.pte_map = ukva_window_pte_map,
	.window_fault = ukva_task_private_fault,
	.switch_mm = ukva_switch_by_cr3,
	.kernel_pmd = per_task_kernel_pmd,
	.mm_cost = ukva_cost_mm_base,
	.task_cost = per_task_task_cost,
};
