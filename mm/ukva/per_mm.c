/*
 * mm=per-mm: every mm has its own copy of the kernel PMD with a UKVA
 * window (the linear map of its user PTEs, window.h) and a stack slot in
 * it for each of its threads (stack_slots.c), "allocated within the
 * per-MM area dynamically".  The threads of an mm share its PGD, so
 * switching between them writes no CR3; TSS.esp0 changes with the slot.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "kernel/errno.h"
#include "kernel/task.h"

/* The mm's window, and PGD entry 3 -> the window's kernel PMD copy. */
static int per_mm_mm_init(struct mm *mm)
{
	mm->window = ukva_window_create(mm);
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

/*
 * t runs on mm's PGD, its stack in a slot of mm's window.  A new task
 * takes any free slot; a task in exec (current) whose stack is in a slot
 * of its old mm takes the same slot in the new one, so its stack keeps its
 * address across the CR3 write, and the old slot goes once the new tables
 * are loaded.  (The first process, exec'd by a kernel thread, keeps its
 * direct-map stack.)  0, -EAGAIN (no free slot) or -ENOMEM.
 */
static int per_mm_attach(struct task *t, struct mm *mm)
{
	struct mm *old = t->stack_mm;

	if (t != current || old) {
		int want = old ? (int)ukva_stack_slot_of(t->stack) : -1;
		int err = ukva_stack_slot_alloc(t, mm, want);
		if (err)
			return err;
	}
	ukva_attach_mm_pgd(t, mm);
	if (old)
		ukva_stack_slot_release(old, t->stack);
	return 0;
}

static void per_mm_detach(struct task *t)
{
	if (t->stack_mm)
		ukva_stack_slot_free(t);
}

/*
 * Our stack is in the mm's window, which our slot keeps alive until the
 * task struct goes: stay on the mm's tables.  (Without a slot: the
 * first process's direct-map stack, the kernel's PGD serves.)
 */
static void per_mm_leave_mm(struct task *t)
{
	if (!t->stack_mm)
		ukva_leave_to_kernel_pgd(t);
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
	.stack_gfp = GFP_HIGHMEM,
	.mm_init = per_mm_mm_init,
	.mm_destroy = per_mm_mm_destroy,
	.task_attach = per_mm_attach,
	.task_detach = per_mm_detach,
	.leave_mm = per_mm_leave_mm,
	.pte_map = ukva_window_pte_map,
	.window_fault = ukva_no_window_fault,
	.switch_mm = ukva_switch_by_cr3,
	.kernel_pmd = per_mm_kernel_pmd,
	.mm_cost = per_mm_mm_cost,
	.task_cost = ukva_cost_task_base,
};
