/*
 * mm=per-cpu on a booted kernel: walks of the live tables (read_cr3 ->
 * this CPU's PGD -> its kernel PMD copy -> the window page through the
 * window itself) on every CPU, a same-mm switch that must not let the
 * incoming task see the outgoing one's private page through a stale TLB
 * entry (this fails without switch.S's INVLPGs), and the counters of both
 * kinds of switch.  Skipped in the other modes.
 */
#include "kernel/ktest.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/counters.h"
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "arch/i386/tlb.h"
#include "numa/ktext.h"
#include "numa/node.h"

static void need_per_cpu(struct ktest *t)
{
	if (ukva_mode != UKVA_PER_CPU)
		ktest_skip(t, "mm=per-cpu only");
}

/* This CPU's live kernel PMD: read_cr3 -> PGD entry 3, both in lowmem (.bss). */
static pmd_t *live_kernel_pmd(void)
{
	pgd_t *pgd = phys_to_virt(read_cr3_pgd());
	return page_address(pfn_to_page(pgd_pfn(pgd[KERNEL_PGD_INDEX])));
}

/*
 * The window page behind entry 511 of the live copy, mapped with
 * kmap_atomic (a per-cpu window page does not map itself); interrupts off.
 */
static const uint64_t *live_window_map(void)
{
	pmd_t self = live_kernel_pmd()[UKVA_SELF_PMD];

	return pmd_present(self) ? kmap_atomic(pfn_to_page(pmd_pfn(self))) : NULL;
}

/* Does an entry of the 512-entry table e map pfn? */
static bool table_maps(const uint64_t *e, pfn_t pfn)
{
	for (unsigned i = 0; i < PTRS_PER_PTE; i++)
		if ((e[i] & _PAGE_PRESENT) && pte_pfn(__pte(e[i])) == pfn)
			return true;
	return false;
}

/*
 * Entries 0-507 of CPU cpu's copy that differ from the global PMD's (the
 * accessed bit aside), but for the text entries, which must map the
 * replica of cpu's node (numa/ktext.h; without replicas, the image).
 */
static unsigned shared_entries_differ(const pmd_t *copy, unsigned cpu)
{
	unsigned differ = 0;

	for (unsigned i = 0; i < UKVA_PMD_FIRST; i++) {
		unsigned k = i - ktext_first_pmd();
		pmd_t want = k < ktext_nr_pmds() ? ktext_pmd(cpu_to_node(cpu), k) : swapper_pmd[i];
		differ += ((pmd_val(copy[i]) ^ pmd_val(want)) & ~_PAGE_ACCESSED) != 0;
	}
	return differ;
}

/* What a task of mm saw of its CPU's live tables; the test checks it afterwards. */
struct live_walk {
	struct mm *mm;
	unsigned cpu;
	bool on_cpu_pgd, pgd_has_copy, user_pgd_is_mm, linear_map_is_mm;
	bool shared_entries_equal, window_is_mine, window_supervisor, stack_is_mine;
};

/* Runs on mm, bound to one CPU: walk that CPU's live tables. */
static int walk_live(void *arg)
{
	struct live_walk *w = arg;
	uint32_t flags = local_irq_save();
	unsigned cpu = this_cpu()->id;
	pgd_t *pgd = phys_to_virt(read_cr3_pgd());
	pmd_t *copy = live_kernel_pmd();
	uint64_t self = pmd_val(copy[UKVA_SELF_PMD]);
	const uint64_t *slots = live_window_map();

	w->cpu = cpu;
	w->on_cpu_pgd = read_cr3_pgd() == ukva_cpu_pgd_phys(cpu);
	w->pgd_has_copy = pgd_pfn(pgd[KERNEL_PGD_INDEX]) == page_to_pfn(ukva_cpu_kernel_pmd(cpu));
	w->user_pgd_is_mm = w->linear_map_is_mm = true;
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		w->user_pgd_is_mm &= pgd_val(pgd[i]) == pgd_val(w->mm->pgd[i]);
		w->linear_map_is_mm &= pmd_pfn(copy[UKVA_PMD_FIRST + i]) ==
				       page_to_pfn(w->mm->pmd_pages[i]);
	}
	w->shared_entries_equal = shared_entries_differ(copy, cpu) == 0;
	w->window_is_mine = slots && pmd_pfn(__pmd(self)) == current->window.page;
	w->window_supervisor = !(self & (_PAGE_USER | _PAGE_GLOBAL | _PAGE_PSE));
	w->stack_is_mine = slots && pte_pfn(__pte(slots[UKVA_SLOT_STACK])) ==
				    page_to_pfn(current->stack_pages);
	if (slots)
		kunmap_atomic((void *)slots);
	local_irq_restore(flags);
	return 0;
}

static void live_tables_on_every_cpu(struct ktest *t)
{
	need_per_cpu(t);
	uint32_t allowed = current->cpus_allowed;
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	static struct live_walk w;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(cpus_online_mask() & 1u << cpu))
			continue;
		KTEST_ASSERT(t, sched_set_cpus_allowed(current, 1u << cpu) == 0);
		w = (struct live_walk){ .mm = mm };
		struct task *k = kthread_create_on(walk_live, &w, "walk", mm);
		KTEST_ASSERT(t, k);
		kthread_join(k);
		KTEST_EXPECT_EQ(t, w.cpu, cpu);
		KTEST_EXPECT(t, w.on_cpu_pgd && w.pgd_has_copy);
		KTEST_EXPECT(t, w.user_pgd_is_mm && w.linear_map_is_mm);
		KTEST_EXPECT(t, w.shared_entries_equal);
		KTEST_EXPECT(t, w.window_is_mine && w.window_supervisor && w.stack_is_mine);
		/* We run without a window: this CPU's copy maps none, and no user half. */
		uint32_t flags = local_irq_save();
		pmd_t *copy = page_address(ukva_cpu_kernel_pmd(this_cpu()->id));
		unsigned left = 0;
		for (unsigned i = UKVA_PMD_FIRST; i < UKVA_PMD_FIRST + UKVA_PMD_COUNT; i++)
			left += pmd_present(copy[i]);
		local_irq_restore(flags);
		KTEST_EXPECT_EQ(t, left, 0);
	}
	KTEST_ASSERT(t, sched_set_cpus_allowed(current, allowed) == 0);
	mm_put(mm);
}

/* This CPU's switch counters; a pair's player 0 reads them around its rounds. */
struct switch_counts {
	uint32_t cr3, invlpg, same_mm, cross_mm;
};

static struct switch_counts switch_counts_now(void)
{
	const uint32_t *c = this_cpu()->counters;

	return (struct switch_counts){ c[CNT_CR3_WRITE], c[CNT_SWITCH_INVLPG],
				       c[CNT_SWITCH_SAME_MM], c[CNT_SWITCH_CROSS_MM] };
}

/* What the counters did since then. */
static struct switch_counts switch_counts_since(struct switch_counts then)
{
	struct switch_counts now = switch_counts_now();

	return (struct switch_counts){ now.cr3 - then.cr3, now.invlpg - then.invlpg,
				       now.same_mm - then.same_mm, now.cross_mm - then.cross_mm };
}

/*
 * Two threads of one mm take turns on one CPU, each touching `touch`
 * private pages and checking, right after every switch to it, that word 0
 * of its private area still holds what it wrote there itself.
 */
struct private_pair {
	unsigned touch;
	int rounds;
	volatile int turn, ready;
	pfn_t frame[2];                 /* private page 0 of each */
	unsigned mismatches;            /* reads that found the other's value */
	bool other_frame_mapped;        /* seen by player 1 after a switch */
	bool window_is_mine;
	struct switch_counts seen;      /* by player 0, over its rounds */
};

/* Player 1, just switched in: the live copy and window show its own window only. */
static void check_after_switch(struct private_pair *p)
{
	uint32_t flags = local_irq_save();
	const uint64_t *copy = (const uint64_t *)live_kernel_pmd();
	const uint64_t *slots = live_window_map();

	p->window_is_mine = slots && pmd_pfn(__pmd(copy[UKVA_SELF_PMD])) ==
				     current->window.page;
	p->other_frame_mapped = table_maps(copy, p->frame[0]) ||
				(slots && table_maps(slots, p->frame[0]));
	if (slots)
		kunmap_atomic((void *)slots);
	local_irq_restore(flags);
}

static int private_player(struct private_pair *p, int me)
{
	volatile uint32_t *word = (volatile uint32_t *)UKVA_PRIVATE;
	uint32_t mine = 0xA0000000u | (uint32_t)me << 24;

	for (unsigned k = 0; k < p->touch; k++)         /* the first touches fault them in */
		*(volatile uint32_t *)(UKVA_PRIVATE + k * PAGE_SIZE) = mine;
	p->frame[me] = ukva_window_slot(current->window.page, UKVA_SLOT_PRIVATE);
	__atomic_add_fetch(&p->ready, 1, __ATOMIC_SEQ_CST);
	while (p->ready < 2)
		sched_yield();
	struct switch_counts start = switch_counts_now();
	for (int i = 0; i < p->rounds; i++) {
		while (p->turn != me)
			sched_yield();
		p->mismatches += *word != mine;
		if (me == 1 && i == 0)
			check_after_switch(p);
		mine = (mine & 0xFF000000u) | (uint32_t)i;
		*word = mine;
		p->turn = !me;
	}
	if (me == 0)
		p->seen = switch_counts_since(start);
	return 0;
}

static int private_player0(void *p) { return private_player(p, 0); }
static int private_player1(void *p) { return private_player(p, 1); }

/* Run the pair on a new mm, both bound to this CPU; p holds the outcome. */
static void run_private_pair(struct ktest *t, struct private_pair *p, unsigned touch)
{
	*p = (struct private_pair){ .touch = touch, .rounds = 200 };
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	struct task *a = kthread_create_on(private_player0, p, "priv0", mm);
	struct task *b = kthread_create_on(private_player1, p, "priv1", mm);
	KTEST_ASSERT(t, a && b);
	kthread_join(a);
	kthread_join(b);
	mm_put(mm);
}

static void same_mm_switch_sees_own_private_data(struct ktest *t)
{
	need_per_cpu(t);
	static struct private_pair p;
	unsigned long free_before = nr_free_pages();

	run_private_pair(t, &p, 1);
	ktest_diag(t, "%u of %d reads after a switch saw the other thread's private page",
		   p.mismatches, 2 * p.rounds);
	KTEST_EXPECT_EQ(t, p.mismatches, 0);
	KTEST_EXPECT(t, p.frame[0] && p.frame[1] && p.frame[0] != p.frame[1]);
	KTEST_EXPECT(t, p.window_is_mine);
	KTEST_EXPECT(t, !p.other_frame_mapped);
	/* Both gone: no CPU's copy maps either private frame or points at a window. */
	unsigned seen = 0;
	uint32_t flags = local_irq_save();      /* this CPU, which runs no window now */
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		const uint64_t *copy = page_address(ukva_cpu_kernel_pmd(cpu));
		seen += table_maps(copy, p.frame[0]) || table_maps(copy, p.frame[1]);
		seen += cpu != this_cpu()->id ? 0 : (copy[UKVA_SELF_PMD] & _PAGE_PRESENT) != 0;
	}
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, seen, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/*
 * A same-mm switch writes no CR3 and INVLPGs exactly the outgoing task's
 * window pages: its 2 stack pages and its touched private pages.
 */
static void same_mm_switch_invlpgs_the_window(struct ktest *t)
{
	need_per_cpu(t);
	static struct private_pair p;
	static const unsigned touched[] = { 1, 8, 32 };

	for (unsigned i = 0; i < sizeof(touched) / sizeof(touched[0]); i++) {
		run_private_pair(t, &p, touched[i]);
		uint32_t per_switch = UKVA_STACK_PAGES + touched[i];
		ktest_diag(t, "%u private pages: %u same-mm switches, %u CR3 writes, %u INVLPGs",
			   touched[i], p.seen.same_mm, p.seen.cr3, p.seen.invlpg);
		KTEST_EXPECT(t, p.seen.same_mm >= 2 * (uint32_t)(p.rounds - 1));
		KTEST_EXPECT_EQ(t, p.seen.cr3, 0);
		KTEST_EXPECT_EQ(t, p.seen.invlpg, p.seen.same_mm * per_switch);
		KTEST_EXPECT_EQ(t, p.mismatches, 0);
	}
}

struct cross_pair {
	volatile int turn;
	struct switch_counts seen;      /* by player 0 */
};

/* Two tasks of two mms take turns; player 0 counts. */
static int cross_player(struct cross_pair *p, int me)
{
	struct switch_counts start = switch_counts_now();

	for (int i = 0; i < 100; i++) {
		while (p->turn != me)
			sched_yield();
		p->turn = !me;
	}
	if (me == 0)
		p->seen = switch_counts_since(start);
	return 0;
}

static int cross_player0(void *p) { return cross_player(p, 0); }
static int cross_player1(void *p) { return cross_player(p, 1); }

/* Between two mms: a CR3 write per switch, as in every mode, and no INVLPG. */
static void cross_mm_switch_writes_cr3(struct ktest *t)
{
	need_per_cpu(t);
	static struct cross_pair p;
	p = (struct cross_pair){ 0 };
	struct mm *m1 = mm_create(), *m2 = mm_create();
	KTEST_ASSERT(t, m1 && m2);
	struct task *a = kthread_create_on(cross_player0, &p, "cross0", m1);
	struct task *b = kthread_create_on(cross_player1, &p, "cross1", m2);
	KTEST_ASSERT(t, a && b);
	kthread_join(a);
	kthread_join(b);
	ktest_diag(t, "%u cross-mm switches: %u CR3 writes, %u INVLPGs", p.seen.cross_mm, p.seen.cr3,
		   p.seen.invlpg);
	KTEST_EXPECT(t, p.seen.cross_mm >= 198);
	KTEST_EXPECT(t, p.seen.cr3 >= p.seen.cross_mm);
	KTEST_EXPECT_EQ(t, p.seen.invlpg, 0);
	mm_put(m1);
	mm_put(m2);
}

KTEST_SUITE(ukva_per_cpu,
	KTEST_CASE(live_tables_on_every_cpu),
	KTEST_CASE(same_mm_switch_sees_own_private_data),
	KTEST_CASE(same_mm_switch_invlpgs_the_window),
	KTEST_CASE(cross_mm_switch_writes_cr3));
