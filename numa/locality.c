/*
 * Text locality, measured two ways (locality.h).  Both read the tables the
 * CPU runs on, from CR3 down: the PGD (always lowmem), the kernel PMD
 * (lowmem, or a window's copy, which maps itself in its own window), and
 * the text entry, whose PTE page is one ktext built, so the frame follows.
 * No kmap: the tick must not disturb the counters it sits next to.
 */
#include "numa/locality.h"
#include "numa/ktext.h"
#include "numa/numa.h"
#include "arch/i386/percpu.h"
#include "arch/i386/tlb.h"
#include "arch/i386/trap_frame.h"
#include "kernel/counters.h"
#include "kernel/errno.h"
#include "kernel/spinlock.h"
#include "mm/kmalloc.h"
#include "kernel/printk.h"
#include "kernel/sample.h"
#include "kernel/smp.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "mm/ukva/window.h"

/*
 * The kernel PMD the running CPU's CR3 leads to, readable without kmap.
 * Only a per-task PGD may be outside lowmem (mm/pdpt.h), and its kernel
 * PMD is its window's copy, which maps itself at slot 4; so is any copy
 * in highmem.
 */
static const pmd_t *live_kernel_pmd(void)
{
	const pmd_t *window_copy = (const pmd_t *)UKVA_SLOT(UKVA_SLOT_KERNEL_PMD);
	uint32_t cr3 = read_cr3_pgd();

	if ((cr3 >> PAGE_SHIFT) >= lowmem_pfn_limit)
		return window_copy;
	pfn_t pfn = pgd_pfn(((const pgd_t *)phys_to_virt(cr3))[KERNEL_PGD_INDEX]);
	if (pfn < lowmem_pfn_limit)
		return page_address(pfn_to_page(pfn));
	return window_copy;
}

/* The node of the frame kpmd maps text address va to. */
static unsigned text_frame_node(const pmd_t *kpmd, unsigned long va)
{
	int n = ktext_pmd_node(kpmd);

	/* A torn copy (never expected) counts as the image's frames. */
	return pfn_to_nid(ktext_replica_pfn(n < 0 ? 0 : (unsigned)n, va));
}

void ktext_sample(unsigned cpu, uint32_t eip, bool user)
{
	if (user || eip < ktext_start() || eip >= ktext_end())
		return;
	unsigned node = text_frame_node(live_kernel_pmd(), eip);
	count_event_cpu(node == cpu_to_node(cpu) ? CNT_TEXT_LOCAL : CNT_TEXT_REMOTE);
}

static const struct sample_reader ktext_reader = { "text-locality", ktext_sample };

void ktext_sample_start(void)
{
	if (sample_reader_add(&ktext_reader))
		pr_warn("ktext: no room for the text-locality sample reader\n");
}

_Static_assert(UKVA_NR_CPUS == NR_CPUS, "ukva_textwalk reports on every CPU number");

/* Filled by each CPU's walk_here; walk_lock (never taken with interrupts off) guards it. */
static struct ukva_textwalk walks[NR_CPUS];
static spinlock_t walk_lock = SPINLOCK_INIT;

/* The walk on this CPU, into walks[this CPU].  Interrupts off. */
static void walk_here(void *unused)
{
	struct ukva_textwalk *w = &walks[this_cpu()->id];
	const pmd_t *kpmd = live_kernel_pmd();

	*w = (struct ukva_textwalk){
		.cpu = (int32_t)this_cpu()->id, .node = (int32_t)numa_node_id(),
		.replica = ktext_pmd_node(kpmd), .pages = ktext_nr_pages(), .cr3 = read_cr3_pgd(),
	};
	for (unsigned long va = ktext_start(); va < ktext_end(); va += PAGE_SIZE)
		w->local += text_frame_node(kpmd, va) == (unsigned)w->node;
}

unsigned ktext_walk_all(struct ukva_textwalk *out)
{
	unsigned n = 0;

	spin_lock(&walk_lock);                  /* also keeps this task on its CPU */
	for (unsigned c = 0; c < NR_CPUS; c++)
		walks[c] = (struct ukva_textwalk){ .cpu = -1, .node = -1, .replica = -1 };
	smp_call_function_many(cpus_online_mask(), walk_here, NULL, true);
	uint32_t flags = local_irq_save();
	walk_here(NULL);
	local_irq_restore(flags);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		out[c] = walks[c];
		n += walks[c].cpu >= 0;
	}
	spin_unlock(&walk_lock);
	return n;
}

void ktext_print_locality(void)
{
	uint64_t cycles;
	uint32_t invlpgs, repoints = ukva_counter_total(CNT_TEXT_REPOINT);

	for (unsigned n = 0; n < nr_nodes && nr_nodes > 1; n++) {
		unsigned long local, remote;
		node_alloc_stats(n, &local, &remote);
		pr_info("numa: node %u: allocations asking it first: %lu served there, %lu elsewhere\n",
			n, local, remote);
	}
	ktext_repoint_cost(&cycles, &invlpgs);
	if (ktext_replicated)
		pr_info("ktext: %u repoints, %llu cycles each on average, %u INVLPGs after them; "
			"%u remote-text switches\n", repoints, repoints ? cycles / repoints : 0, invlpgs,
			ukva_counter_total(CNT_TEXT_REMOTE_SWITCH));
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpus[c].online)
			continue;
		uint32_t local = cpu_counter(c, CNT_TEXT_LOCAL);
		uint32_t remote = cpu_counter(c, CNT_TEXT_REMOTE);
		pr_info("ktext: CPU %u (node %u): text samples local %u remote %u (%u%% local)%s\n",
			c, cpu_to_node(c), local, remote,
			local + remote ? local * 100 / (local + remote) : 100,
			ktext_replicated ? "" : ", no replicas");
	}
}

/*
 * ukva_textwalk(buf, n): walk the text mapping from the live CR3 of every
 * online CPU and copy up to n struct ukva_textwalk (one per CPU number, cpu
 * -1 for CPUs not online) to buf.  Returns NR_CPUS, or -EFAULT.
 */
SYSCALL_DEFINE2(ukva_textwalk, uintptr_t, ubuf, uint32_t, n)
{
	struct ukva_textwalk *out = kmalloc(NR_CPUS * sizeof(*out), GFP_KERNEL);

	if (!out)
		return -ENOMEM;
	if (n > NR_CPUS)
		n = NR_CPUS;
	ktext_walk_all(out);
	long ret = copy_to_user(ubuf, out, n * sizeof(out[0])) ? -EFAULT : NR_CPUS;
	kfree(out);
	return ret;
}
