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
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "kernel/counters.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "arch/i386/tlb.h"

/* A PGD of t's own over mm's user PMDs, and a new window with t's stack. */
static struct ukva_window *task_window_create(struct task *t, struct mm *mm)
{
	struct ukva_window *w = ukva_window_create(mm, t->stack_pages);
	if (!w)
		return NULL;
	w->pgd = pgd_alloc();
	if (!w->pgd) {
		ukva_window_destroy(w);
		return NULL;
	}
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pgd(&w->pgd[i], mm->pgd[i]);
	set_pgd(&w->pgd[KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(w->kernel_pmd)));
	w->pgd_phys = (uint32_t)virt_to_phys(w->pgd);
	return w;
}

int ukva_task_window_attach(struct task *t, struct mm *mm, struct ukva_window *w, uint32_t cr3)
{
	struct ukva_window *old = t->window;

	if (!w)
		return -ENOMEM;
	t->window = w;
	t->cr3 = cr3;
	t->stack = (void *)UKVA_STACK_BOTTOM;
	t->thread.esp0 = UKVA_STACK_TOP;
	if (t == current)
		activate_mm(mm);
	ukva_window_destroy(old);
	return 0;
}

/* A new window and PGD for t. */
static int per_task_attach(struct task *t, struct mm *mm)
{
	struct ukva_window *w = task_window_create(t, mm);

	return ukva_task_window_attach(t, mm, w, w ? w->pgd_phys : 0);
}

void ukva_task_window_detach(struct task *t)
{
	ukva_window_destroy(t->window);
	t->window = NULL;
}

/*
 * We run on the window's stack, so we keep the window and cut it off the
 * mm: no user PGD entries, no linear map, no PMD slots.  The PDPT is
 * cached by the CPU, so the change needs a CR3 reload (SDM 4.4.1).
 */
void ukva_window_cut_user(struct task *t)
{
	struct ukva_window *w = t->window;
	pmd_t *copy = (pmd_t *)UKVA_SLOT(UKVA_SLOT_KERNEL_PMD);
	pte_t *slots = (pte_t *)UKVA_SLOT(UKVA_SLOT_WINDOW);
	uint32_t flags = local_irq_save();

	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		pgd_clear(&w->pgd[i]);
		pmd_clear(&copy[UKVA_PMD_FIRST + i]);
		pte_clear(&slots[UKVA_SLOT_USER_PMD + i]);
	}
	flush_tlb_all_nonglobal();
	local_irq_restore(flags);
}

static void per_task_leave_mm(struct task *t)
{
	if (t->window)
		ukva_window_cut_user(t);
	else
		ukva_leave_to_kernel_pgd(t);    /* never attached */
}

bool ukva_private_fault(struct ukva_window *w, uint32_t addr)
{
	if (!w || addr < UKVA_PRIVATE || addr >= UKVA_PRIVATE_END)
		return false;
	unsigned i = (addr - UKVA_PRIVATE) / PAGE_SIZE;
	if (w->private[i])
		return false;                   /* mapped already: a real bug */
	/* From highmem: a frame the direct map does not cover is mapped nowhere else. */
	struct page *page = alloc_page(GFP_HIGHMEM | __GFP_ZERO);
	if (!page || !page_is_highmem(page)) {
		if (page)
			free_page(page);
		return false;
	}
	w->private[i] = page;
	w->private_mask |= 1u << i;
	ukva_window_set_slot(w, UKVA_SLOT_PRIVATE + i, page_to_pfn(page));
	count_event_cpu(CNT_WINDOW_FAULT);
	return true;
}

bool ukva_task_private_fault(uint32_t addr)
{
	return ukva_private_fault(current->window, addr);
}

static struct page *per_task_kernel_pmd(const struct task *t)
{
	return t->window ? t->window->kernel_pmd : NULL;
}

/* A task pays for its PGD and window. */
static void per_task_task_cost(const struct task *t, struct ukva_cost *cost)
{
	ukva_cost_task_base(t, cost);
	if (t->window) {
		ukva_cost_add_pgd(cost);
		ukva_cost_add_window(cost, t->window);
	}
}

const struct ukva_mode_ops ukva_per_task_ops = {
	.name = "per-task",
	.summary = "a PGD, kernel PMD copy and UKVA window per task",
	.min_highmem = UKVA_PRIVATE_MIN_HIGHMEM,
	.stack_gfp = GFP_HIGHMEM,
	.mm_init = ukva_mm_init_global,
	.mm_destroy = ukva_mm_destroy_nothing,
	.task_attach = per_task_attach,
	.task_detach = ukva_task_window_detach,
	.leave_mm = per_task_leave_mm,
	.pte_map = ukva_window_pte_map,
	.window_fault = ukva_task_private_fault,
	.switch_mm = ukva_switch_by_cr3,
	.kernel_pmd = per_task_kernel_pmd,
	.mm_cost = ukva_cost_mm_base,
	.task_cost = per_task_task_cost,
};
