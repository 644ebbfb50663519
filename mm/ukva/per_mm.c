/*
 * mm=per-mm: every mm has its own copy of the kernel PMD with a UKVA
 * window (the linear map of its user PTEs, window.h).  The threads of an
 * mm share its PGD, so switching between them writes no CR3.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/task.h"

/* The mm's window, and PGD entry 3 -> the window's kernel PMD copy. */
static int per_mm_mm_init(struct mm *mm)
{
	mm->window = ukva_window_create(mm, NULL);
	if (!mm->window)
		return -ENOMEM;
	set_pgd(&mm->pgd[KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(mm->window->kernel_pmd)));
	return 0;
}

static void per_mm_mm_destroy(struct mm *mm)
{
	ukva_window_destroy(mm->window);
	mm->window = NULL;
}

/* A task of an mm runs on the mm's copy; a kernel thread on the global PMD. */
static struct page *per_mm_kernel_pmd(const struct task *t)
{
	return t->mm && t->mm->window ? t->mm->window->kernel_pmd : NULL;
}

static void per_mm_mm_cost(const struct mm *mm, struct ukva_cost *cost)
{
	ukva_cost_mm_base(mm, cost);
	ukva_cost_add_window(cost, mm->window);
}

const struct ukva_mode_ops ukva_per_mm_ops = {
	.name = "per-mm",
	.summary = "a kernel PMD copy and UKVA window per mm",
	.min_highmem = 0,
	.mm_init = per_mm_mm_init,
	.mm_destroy = per_mm_mm_destroy,
	.task_attach = ukva_attach_mm_pgd,
	.task_detach = ukva_task_detach_nothing,
	.leave_mm = ukva_leave_to_kernel_pgd,
	.pte_map = ukva_window_pte_map,
	.window_fault = ukva_no_window_fault,
	.switch_mm = ukva_switch_by_cr3,
	.kernel_pmd = per_mm_kernel_pmd,
	.mm_cost = per_mm_mm_cost,
	.task_cost = ukva_cost_task_base,
};
