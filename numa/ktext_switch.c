/*
 * Keeping each address space's text entries on the right replica as tasks
 * move between CPUs (ktext.h).  ktext_switch_in runs for the task about to
 * run on a CPU, before the mode's switch_mm decides the CR3 write: in the
 * context switch and in activate_mm (exec, leaving an mm).  It needs only
 * the mode's kernel_pmd op, so it serves every mode alike:
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
 *                   are dropped one page at a time.  A CPU of another node
 *                   that runs on the same PGD is now on remote text:
 *                   counted as text_remote_switch.
 *   shared          one kernel PMD: no replicas (ktext_replicated is false)
 *   per-cpu         the CPU's own copy: ktext_follow() with it, once
 */
#include "numa/ktext.h"
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include "kernel/counters.h"
#include "kernel/spinlock.h"
#include "kernel/task.h"
#include "mm/highmem.h"
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

void ktext_copy_init(struct page *kpmd_page)
{
	kpmd_page->order = (uint8_t)(1 + ktext_image_node());
}

int ktext_copy_node(const struct page *kpmd_page)
{
	return (int)READ_ONCE(kpmd_page->order) - 1;
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

bool ktext_follow(struct page *kpmd_page, unsigned nid)
{
	if (ktext_copy_node(kpmd_page) == (int)nid)
		return false;
	uint64_t t0 = rdtsc();
	spin_lock(&repoint_lock);
	bool changed = ktext_copy_node(kpmd_page) != (int)nid;
	if (changed) {
		pmd_t *kpmd = kmap_atomic(kpmd_page);
		ktext_repoint(kpmd, nid);
		kunmap_atomic(kpmd);
		WRITE_ONCE(kpmd_page->order, (uint8_t)(1 + nid));
		count_event_cpu(CNT_TEXT_REPOINT);
	}
	spin_unlock(&repoint_lock);
	if (changed)
		repoint_cost[this_cpu()->id].cycles += rdtsc() - t0;
	return changed;
}

/* Does a CPU of another node than nid run on the PGD cr3 now?  (A racy hint, for a counter.) */
static bool pgd_loaded_elsewhere(uint32_t cr3, unsigned cpu, unsigned nid)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != cpu && cpus[c].online && cpu_to_node(c) != nid &&
		    READ_ONCE(cpus[c].loaded_cr3) == cr3)
			return true;
	return false;
}

void ktext_switch_in(struct task *next, const struct cpu *cpu)
{
	unsigned nid = cpu_to_node(cpu->id);

	if (!ktext_replicated)
		return;
	if (is_kernel_pgd(next->cr3)) {
		next->cr3 = kernel_pgd_phys_node(nid);
		return;
	}
	struct page *copy = ukva_ops()->kernel_pmd(next);
	if (!copy || !ktext_follow(copy, nid))
		return;
	if (cpu->loaded_cr3 == next->cr3)       /* no CR3 write coming to drop them */
		repoint_cost[cpu->id].invlpgs += ktext_flush_local();
	if (pgd_loaded_elsewhere(next->cr3, cpu->id, nid))
		count_event_cpu(CNT_TEXT_REMOTE_SWITCH);
}
