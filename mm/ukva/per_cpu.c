/*
 * mm=per-cpu: windows per task, as in mm=per-task (page tables, kernel
 * stack at UKVA_STACK_TOP, private area), but kernel PMD copies per CPU.
 *
 * Each CPU owns one PGD and one kernel PMD copy.  The PGD's entries 0-2
 * and the copy's linear-map entries 508-510 hold the user PMDs of the mm
 * the CPU runs (rewritten at a cross-mm switch, which writes CR3 as in
 * every mode: PAE reads PDPT entries only then, SDM vol. 3A 4.4.1); entry
 * 511 holds the running task's window page.  A switch between two tasks
 * of one mm rewrites only entry 511 and INVLPGs the outgoing task's own
 * window pages (its stack and its private pages; a per-cpu window page
 * does not map itself, so it is written through kmap_atomic): no CR3
 * write, so the user TLB entries survive.  switch.S does the rewrite on a
 * per-CPU direct-mapped stack, as it unmaps the stack it ran on.
 *
 * Invariants (mm/ukva/per_cpu_test.c walks them): entry 511 of a CPU's
 * copy is present exactly while the CPU runs on its PGD, and then maps
 * the running task's window; entries 508-510 and PGD 0-2 are present
 * exactly while the CPU runs a task whose window maps pcpu->mm; entries
 * 0-507 equal the global ones.  Kernel threads run on the kernel's PGD.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/mmdebug.h"
#include "mm/page_alloc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/task.h"
#include "arch/i386/tlb.h"
#include "numa/ktext.h"
#include "numa/node.h"

/* A window's own pages the TLB may hold besides its private ones: the stack. */
#define TASK_SLOTS      (((1ull << UKVA_STACK_PAGES) - 1) << UKVA_SLOT_STACK)
_Static_assert(UKVA_SLOT_PRIVATE + UKVA_PRIVATE_PAGES <= 64, "a switch's flush mask has 64 slots");

/*
 * switch.S pushes three words there while it rewrites the window entry;
 * the rest is for an NMI (or #MC) that lands in those instructions and
 * runs its report on whatever stack is current.
 */
#define SWITCH_STACK_SIZE       4096

/* One CPU's tables, in lowmem (.bss): CR3 needs the PGD below 4 GiB. */
struct pcpu_tables {
	pgd_t pgd[PTRS_PER_PGD];        /* first: 32-byte aligned, as CR3 needs (4.4.1) */
	struct mm *mm;                  /* whose user PMDs PGD 0-2 and PMD 508-510 hold */
	uint8_t switch_stack[SWITCH_STACK_SIZE] __attribute__((aligned(16)));
} __attribute__((aligned(64)));

static struct pcpu_tables pcpu[NR_CPUS];
/*
 * Each CPU's kernel PMD copy, mapping its node's text.  In .bss: switch.S
 * writes entry 511 through the direct map, and a copy made at the first
 * mm would otherwise be a page that mm's tests see leave the allocator.
 */
static pmd_t pcpu_kernel_pmd[NR_CPUS][PTRS_PER_PMD] __attribute__((aligned(PAGE_SIZE)));
static bool pcpu_ready;
static spinlock_t pcpu_lock = SPINLOCK_INIT;

/*
 * CPU c's copy: the global PMD's shared entries, its text entries on the
 * replica of c's node (numa/ktext.h: done once, as c never changes node,
 * so no switch ever repoints it), and PGD entry 3 pointing at it.
 * Interrupts off.
 */
static void pcpu_copy_init(unsigned c)
{
	struct page *page = virt_to_page(pcpu_kernel_pmd[c]);

	for (unsigned i = 0; i < UKVA_PMD_FIRST; i++)
		pcpu_kernel_pmd[c][i] = swapper_pmd[i];
	ktext_copy_init(page);
	if (ktext_replicated)
		ktext_follow(page, cpu_to_node(c));
	set_pgd(&pcpu[c].pgd[KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(page)));
}

/* Every CPU's copy, once: at the first mm, after paging_init and ktext_init. */
static void pcpu_tables_init(void)
{
	uint32_t flags = spin_lock_irqsave(&pcpu_lock);

	for (unsigned c = 0; c < NR_CPUS && !pcpu_ready; c++)
		pcpu_copy_init(c);
	__atomic_store_n(&pcpu_ready, true, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&pcpu_lock, flags);
}

/* CPU cpu's PGD, as CR3 wants it. */
static uint32_t pcpu_pgd_phys(unsigned cpu)
{
	return (uint32_t)virt_to_phys(pcpu[cpu].pgd);
}

/*
 * Point CPU cpu's PGD 0-2 and linear map at mm's user PMDs (NULL: at
 * nothing).  Only for the CPU itself, interrupts off, when the running
 * task no longer uses either: they count from the next CR3 write.
 */
static void pcpu_set_user(unsigned cpu, struct mm *mm)
{
	pmd_t *copy = pcpu_kernel_pmd[cpu];

	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		pgd_clear(&pcpu[cpu].pgd[i]);
		pmd_clear(&copy[UKVA_PMD_FIRST + i]);
		if (!mm)
			continue;
		set_pgd(&pcpu[cpu].pgd[i], mm->pgd[i]);
		set_pmd(&copy[UKVA_PMD_FIRST + i], ukva_window_pmd(page_to_pfn(mm->pmd_pages[i])));
	}
	pcpu[cpu].mm = mm;
}

/* The switch rewrites PMD 511 of cpu's copy to val, on cpu's switch stack. */
static void rewrite_window_entry(struct ukva_switch *sw, unsigned cpu, uint64_t val)
{
	sw->pmd = &pcpu_kernel_pmd[cpu][UKVA_SELF_PMD];
	sw->pmd_val = val;
	sw->switch_stack = (uint32_t)(pcpu[cpu].switch_stack + SWITCH_STACK_SIZE);
}

/* The window pages of w that the TLB may hold: the flush of a same-mm switch. */
static uint64_t window_flush_mask(const struct task_window *w)
{
	return TASK_SLOTS | (uint64_t)w->private_mask << UKVA_SLOT_PRIVATE;
}

/*
 * The flush of a same-mm switch away from prev: its window is the one in
 * entry 511, as this CPU runs on its own PGD (kernel threads never do).
 */
static uint64_t prev_window_flush(const struct task *prev, unsigned cpu)
{
	const struct task_window *w = &prev->window;

	VM_BUG_ON_MSG(!w->page || pmd_pfn(pcpu_kernel_pmd[cpu][UKVA_SELF_PMD]) != w->page,
		      "per-cpu: CPU %u's window entry is not the outgoing task's", cpu);
	return window_flush_mask(w);
}

/*
 * To a task without a window (a kernel thread): its PGD, a kernel one (its
 * node's with text replicas), and this CPU's copy emptied if it was loaded.
 */
static struct ukva_switch switch_to_kernel(const struct task *next, const struct cpu *cpu)
{
	struct ukva_switch sw = { 0 };

	if (cpu->loaded_cr3 == pcpu_pgd_phys(cpu->id)) {
		pcpu_set_user(cpu->id, NULL);
		rewrite_window_entry(&sw, cpu->id, 0);
	}
	if (cpu->loaded_cr3 != next->cr3)
		sw.cr3 = next->cr3;
	return sw;
}

/*
 * Same mm on this CPU's PGD: entry 511 and INVLPGs, no CR3.  Another mm,
 * or from the kernel's PGD: the user entries too, and a CR3 write.
 */
static struct ukva_switch per_cpu_switch_mm(const struct task *prev, const struct task *next,
					    const struct cpu *cpu)
{
	if (!next->window.page)
		return switch_to_kernel(next, cpu);
	struct ukva_switch sw = { 0 };
	uint32_t pgd_phys = pcpu_pgd_phys(cpu->id);
	/* The window's mm, not next->mm: exec switches windows before it sets that. */
	struct mm *mm = next->window.mm;
	uint64_t want = pmd_val(ukva_window_pmd(next->window.page));

	if (cpu->loaded_cr3 != pgd_phys || pcpu[cpu->id].mm != mm) {
		pcpu_set_user(cpu->id, mm);
		sw.cr3 = pgd_phys;
	}
	if (pmd_val(pcpu_kernel_pmd[cpu->id][UKVA_SELF_PMD]) == want)
		return sw;
	rewrite_window_entry(&sw, cpu->id, want);
	if (prev == next)
		sw.cr3 = pgd_phys;              /* activate_mm: its window changed in place */
	else if (!sw.cr3)
		sw.flush = prev_window_flush(prev, cpu->id);
	return sw;
}

/* PGD entry 3 of the mm's own PGD is the global one: only walkers use that PGD. */
static int per_cpu_mm_init(struct mm *mm)
{
	if (!__atomic_load_n(&pcpu_ready, __ATOMIC_ACQUIRE))
		pcpu_tables_init();
	return ukva_mm_init_global(mm);
}

/* Free a task's window page (the PGD cr3 is the CPU's). */
static void window_page_free(struct task_window *tw, uint32_t cr3)
{
	ukva_task_window_destroy(tw, false);
}

/* A window page for t, its stack in it; the PGD is the CPU's (t->cr3 0: switch_mm picks it). */
static int per_cpu_attach(struct task *t, struct mm *mm)
{
	struct task_window tw = { 0 };

	ukva_task_window_create(&tw, mm, t->stack_pages, false);       /* tw.page 0: -ENOMEM */
	return ukva_task_window_attach(t, mm, &tw, 0, window_page_free);
}

static void per_cpu_detach(struct task *t)
{
	window_page_free(&t->window, 0);
}

/*
 * Current task t stops using its mm but keeps its window (its stack):
 * the CPU's user entries go, and the window's slots of the user PMDs.
 * The PDPT is cached by the CPU, so the change needs a CR3 reload (4.4.1).
 */
static void per_cpu_leave_mm(struct task *t)
{
	if (!t->window.page) {
		ukva_leave_to_kernel_pgd(t);    /* never attached */
		return;
	}
	uint32_t flags = local_irq_save();

	pcpu_set_user(this_cpu()->id, NULL);
	t->window.mm = NULL;                    /* a switch back to t loads no user half */
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		ukva_window_set_slot(t->window.page, UKVA_SLOT_USER_PMD + i, 0);
	flush_tlb_all_nonglobal();
	local_irq_restore(flags);
}

/* The linear map serves when this CPU runs mm on its own PGD. */
static bool per_cpu_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c)
{
	const struct cpu *cpu = this_cpu();

	if (current->mm == mm && pcpu[cpu->id].mm == mm && cpu->loaded_cr3 == pcpu_pgd_phys(cpu->id))
		return ukva_linear_pte_map(mm, addr, alloc, c);
	return pte_map_kmap(mm, addr, alloc, c);
}

/* The copy of the CPU t runs on (or last ran, or is queued for). */
static struct page *per_cpu_kernel_pmd(const struct task *t)
{
	return t->window.page ? virt_to_page(pcpu_kernel_pmd[t->cpu]) : NULL;
}

struct page *ukva_cpu_kernel_pmd(unsigned cpu)
{
	return virt_to_page(pcpu_kernel_pmd[cpu]);
}

uint32_t ukva_cpu_pgd_phys(unsigned cpu)
{
	return pcpu_pgd_phys(cpu);
}

/* A task pays for its window page (the per-CPU tables are the kernel's). */
static void per_cpu_task_cost(const struct task *t, struct ukva_cost *cost)
{
	ukva_cost_task_base(t, cost);
	ukva_cost_add_task_window(cost, &t->window, false);
}

const struct ukva_mode_ops ukva_per_cpu_ops = {
	.name = "per-cpu",
	.summary = "a UKVA window per task, a PGD and kernel PMD copy per CPU",
	.min_highmem = UKVA_PRIVATE_MIN_HIGHMEM,
	.stack_gfp = GFP_HIGHMEM,              /* per-task's stacks: mapped only in the window */
	.mm_init = per_cpu_mm_init,
	.mm_destroy = ukva_mm_destroy_nothing,
	.task_attach = per_cpu_attach,
	.task_detach = per_cpu_detach,
	.leave_mm = per_cpu_leave_mm,
	.pte_map = per_cpu_pte_map,
	.window_fault = ukva_task_private_fault,
	.switch_mm = per_cpu_switch_mm,
	.kernel_pmd = per_cpu_kernel_pmd,
	.mm_cost = ukva_cost_mm_base,
	.task_cost = per_cpu_task_cost,
};
