/*
 * Keeping each address space's text entries on the right replica as
 * tasks move between CPUs (ktext.h): called by the context switch for
 * the incoming task, before CR3 is compared and written.
 *
 *   kernel threads  run on the kernel PGD of the CPU's node
 */
#include "numa/ktext.h"
#include "kernel/task.h"
#include "mm/paging.h"

/* Is cr3 one of the kernel's own PGDs (swapper's or a node's)? */
static bool is_kernel_pgd(uint32_t cr3)
{
	if (cr3 == kernel_pgd_phys())
		return true;
	for (unsigned n = 0; n < nr_nodes; n++)
		if (cr3 == kernel_pgd_phys_node(n))
			return true;
	return false;
}

/*
 * Point next's text at the replica of the node of cpu, where it is about
 * to run.  Run-queue lock held, interrupts off, on cpu.
 */
void ktext_switch_in(struct task *next, unsigned cpu)
{
	if (!ktext_replicated)
		return;
	if (!next->mm && is_kernel_pgd(next->cr3))
		next->cr3 = kernel_pgd_phys_node(cpu_to_node(cpu));
}
