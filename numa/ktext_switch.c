/*
 * Keeping each address space's text entries on the right replica as tasks
 * move between CPUs (ktext.h).  ktext_switch_in runs for the task about to
 * run on a CPU, before CR3 is compared and written: in the context switch
 * and whenever a task loads a new PGD itself (exec, leaving an mm).
 *
 *   kernel threads  run on the kernel PGD of the CPU's node
 *   per-task        the task's own kernel PMD copy is repointed when the
 *                   task comes to a CPU of another node.  That copy is
 *                   loaded nowhere then (a task runs on one CPU, and the
 *                   CPU it left wrote CR3 when it switched away), and the
 *                   CR3 write that follows drops the old non-global text
 *                   entries here: no other TLB work.
 *   per-mm          the mm's copy follows the node of the task of the mm
 *                   that last came to a CPU (Dave Hansen's 2003 per-mm
 *                   replication).  Rewritten when a task of the mm comes to
 *                   a CPU of another node; if that CPU already runs on the
 *                   mm's PGD (no CR3 write coming), its text TLB entries
 *                   are dropped one page at a time.  Other CPUs running the
 *                   mm are now on remote text: counted as text_remote_switch.
 *   shared          one kernel PMD: no replicas (ktext_replicated is false)
 *
 * The mode-specific part is ktext_follow(): a per-CPU kernel PMD (mode
 * per-cpu) calls it with the CPU's own copy.
 */
#include "numa/ktext.h"
#include "arch/i386/cpu.h"
#include "kernel/counters.h"
#include "kernel/spinlock.h"
#include "kernel/task.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/ukva/ukva.h"

/* Serializes rewrites of one copy from two CPUs (per-mm); a leaf, interrupts off. */
static spinlock_t repoint_lock = SPINLOCK_INIT;

/* The cost of repoints, per CPU (written by that CPU only): cycles, and INVLPGs after them. */
static struct {
	uint64_t cycles;
	uint32_t invlpgs;
} repoint_cost[NR_CPUS];

void ktext_repoint_cost(uint64_t *cycles, uint32_t *invlpgs)
{
	*cycles = 0;
	*invlpgs = 0;
	for (unsigned c = 0; c < NR_CPUS; c++) {
		*cycles += repoint_cost[c].cycles;
		*invlpgs += repoint_cost[c].invlpgs;
	}
}

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

bool ktext_follow(struct page *kpmd_page, int *text_node, unsigned nid)
{
	if (READ_ONCE(*text_node) == (int)nid)
		return false;
	uint64_t t0 = rdtsc();
	spin_lock(&repoint_lock);
	bool changed = *text_node != (int)nid;
	if (changed) {
		pmd_t *kpmd = kmap_atomic(kpmd_page);
		ktext_repoint(kpmd, nid);
		kunmap_atomic(kpmd);
		WRITE_ONCE(*text_node, (int)nid);
		count_event_cpu(CNT_TEXT_REPOINT);
	}
	spin_unlock(&repoint_lock);
	if (changed)
		repoint_cost[this_cpu()->id].cycles += rdtsc() - t0;
	return changed;
}

/* Does a CPU of another node than nid run a task of mm now?  (A racy hint, for a counter.) */
static bool mm_running_elsewhere(const struct mm *mm, unsigned cpu, unsigned nid)
{
	for (unsigned c = 0; c < NR_CPUS; c++) {
		const struct task *t = READ_ONCE(cpus[c].current_task);
		if (c != cpu && cpus[c].online && cpu_to_node(c) != nid && t && READ_ONCE(t->mm) == mm)
			return true;
	}
	return false;
}

void ktext_switch_in(struct task *next, unsigned cpu)
{
	unsigned nid = cpu_to_node(cpu);

	if (!ktext_replicated)
		return;
	if (ukva_mode == UKVA_PER_TASK && next->window && next->cr3 == next->window->pgd_phys) {
		ktext_follow(next->window->kernel_pmd, &next->window->text_node, nid);
		return;
	}
	if (ukva_mode == UKVA_PER_MM && next->mm && next->mm->window &&
	    next->cr3 == mm_pgd_phys(next->mm)) {
		struct ukva_window *w = next->mm->window;
		if (ktext_follow(w->kernel_pmd, &w->text_node, nid)) {
			if (cpus[cpu].loaded_cr3 == next->cr3)
				repoint_cost[cpu].invlpgs += ktext_flush_local();
			if (mm_running_elsewhere(next->mm, cpu, nid))
				count_event_cpu(CNT_TEXT_REMOTE_SWITCH);
		}
		return;
	}
	if (is_kernel_pgd(next->cr3))
		next->cr3 = kernel_pgd_phys_node(nid);
}
