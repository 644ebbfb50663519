/*
 * mm=shared: the kernel half is the one global kernel PMD, shared by every
 * address space, as Linux has it.  No window: user PTE pages are reached
 * through kmap_atomic, and a task runs on its mm's PGD.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"

const struct ukva_mode_ops ukva_shared_ops = {
	.name = "shared",
	.summary = "one kernel PMD for all; user PTEs through kmap_atomic",
	.min_highmem = 0,
	.mm_init = ukva_mm_init_global,
	.mm_destroy = ukva_mm_destroy_nothing,
	.task_attach = ukva_attach_mm_pgd,
	.task_detach = ukva_task_detach_nothing,
	.leave_mm = ukva_leave_to_kernel_pgd,
	.pte_map = pte_map_kmap,
	.window_fault = ukva_no_window_fault,
	.switch_mm = ukva_switch_by_cr3,
	.kernel_pmd = ukva_global_kernel_pmd,
	.mm_cost = ukva_cost_mm_base,
	.task_cost = ukva_cost_task_base,
};
