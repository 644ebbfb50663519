/*
 * What more than one address-space mode does the same way: the pieces a
 * mode's ops table points at when its answer is the ordinary one.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "kernel/task.h"
#include "kernel/sched.h"

int ukva_mm_init_global(struct mm *mm)
{
	set_pgd(&mm->pgd[KERNEL_PGD_INDEX], swapper_pg_dir[KERNEL_PGD_INDEX]);
	return 0;
}

void ukva_mm_destroy_nothing(struct mm *mm)
{
}

void ukva_task_detach_nothing(struct task *t)
{
}

int ukva_attach_mm_pgd(struct task *t, struct mm *mm)
{
	t->cr3 = mm_pgd_phys(mm);
	if (t == current)
		activate_mm(mm);
	return 0;
}

void ukva_leave_to_kernel_pgd(struct task *t)
{
	uint32_t flags = local_irq_save();

	t->cr3 = kernel_pgd_phys();
	activate_mm(NULL);
	local_irq_restore(flags);
}

bool ukva_no_window_fault(uint32_t addr)
{
	return false;
}

struct ukva_switch ukva_switch_by_cr3(const struct task *prev, const struct task *next,
				      const struct cpu *cpu)
{
	return (struct ukva_switch){ .cr3 = next->cr3 != cpu->loaded_cr3 ? next->cr3 : 0 };
}

struct page *ukva_global_kernel_pmd(const struct task *t)
{
	return NULL;
}
