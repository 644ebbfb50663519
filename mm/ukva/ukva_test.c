/*
 * The invariants of the address-space modes, checked by walking live
 * tables (the copies may sit in highmem, so every read goes through
 * kmap_atomic), and the CR3 rule checked with the counters.  The suite
 * runs in every mode; a case that means nothing in a mode is skipped.
 */
#include <stddef.h>
#include "kernel/ktest.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/counters.h"
#include "kernel/string.h"
#include "mm/ukva/modes.h"
#include "numa/ktext.h"
#include "mm/ukva/window.h"
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/paging.h"
#include "mm/highmem.h"
#include "mm/zone.h"
#include "mm/page_alloc.h"
#include "mm/pdpt.h"
#include "mm/kmalloc.h"
#include "mm/memstat.h"
#include "arch/i386/cpufeature.h"

/* Entry i of a (possibly highmem) page-table page. */
static uint64_t table_entry(struct page *table, unsigned i)
{
	uint32_t flags = local_irq_save();
	uint64_t *e = kmap_atomic(table);
	uint64_t v = e[i];
	kunmap_atomic(e);
	local_irq_restore(flags);
	return v;
}

/*
 * What each mode promises, as this suite checks it: a new mode answers
 * here too (a missing entry fails the size check or every case).
 */
struct mode_expect {
	bool copies;                    /* tasks of an mm run on a kernel PMD copy */
	bool copy_per_task;             /* each thread its own copy (else one per mm) */
	bool copy_per_cpu;              /* each CPU its own copy, pointing at the running window */
	bool private_area;              /* the window has a per-task private area */
	uint32_t mm_extra_tables;       /* page-table bytes an mm holds beyond its own tables */
	uint32_t task_tables;           /* page-table bytes a task holds */
	bool stack_in_window;           /* a user task's stack is mapped in a window only */
	bool stack_slots;               /* ... in a slot of its mm's window (the stack area) */
};

/* A window: its kernel PMD copy and its PTE page.  A PGD: 32 bytes. */
#define WINDOW_BYTES    (2 * PAGE_SIZE)
#define PGD_BYTES       32

static const struct mode_expect mode_expects[] = {
	[UKVA_SHARED] = { .copies = false },
	/* per-mm: a task attached to the mm adds the PTE page of its stack slot. */
	[UKVA_PER_MM] = { .copies = true, .mm_extra_tables = WINDOW_BYTES + PAGE_SIZE,
			  .stack_in_window = true, .stack_slots = true },
	[UKVA_PER_TASK] = { .copies = true, .copy_per_task = true, .private_area = true,
			    .task_tables = PGD_BYTES + WINDOW_BYTES, .stack_in_window = true },
	/* per-cpu: per-task's stacks, at the same address in each task's window. */
	[UKVA_PER_CPU] = { .copies = true, .copy_per_cpu = true, .private_area = true,
			   .task_tables = PAGE_SIZE, .stack_in_window = true },
};
_Static_assert(ARRAY_SIZE(mode_expects) == UKVA_NR_MODES, "every mode says what it promises");

static const struct mode_expect *expected(void)
{
	return &mode_expects[ukva_mode];
}

/* Resolve addr through the PTE page pte_page: its frame, or 0; *flags gets the entry. */
static pfn_t resolve_pte(struct page *pte_page, uint32_t addr, uint64_t *flags)
{
	uint64_t pte = table_entry(pte_page, pte_index(addr));

	*flags = pte;
	return pte & _PAGE_PRESENT ? pte_pfn(__pte(pte)) : 0;
}

/*
 * Resolve addr (kernel half) through a kernel PMD copy: the frame of the
 * 4 KiB page, or 0 when unmapped.  *flags gets the leaf entry.
 */
static pfn_t resolve(struct page *kernel_pmd, uint32_t addr, uint64_t *flags)
{
	uint64_t pmd = table_entry(kernel_pmd, pmd_index(addr));

	*flags = 0;
	if (!(pmd & _PAGE_PRESENT))
		return 0;
	if (pmd & _PAGE_PSE) {
		*flags = pmd;
		return pmd_pfn(__pmd(pmd)) + pte_index(addr);
	}
	return resolve_pte(pfn_to_page(pmd_pfn(__pmd(pmd))), addr, flags);
}

/* A task that never runs, attached to mm: what fork would make. */
static struct task *dummy_task(struct ktest *t, struct mm *mm)
{
	struct task *d = task_alloc("ukva-test", current, ukva_stack_gfp());
	KTEST_ASSERT(t, d);
	mm_get(mm);
	d->mm = mm;
	KTEST_ASSERT(t, ukva_task_attach(d, mm) == 0);
	return d;
}

static void drop_dummy(struct task *d)
{
	mm_put(d->mm);
	d->mm = NULL;
	d->state = TASK_ZOMBIE;
	release_task(d);                /* the reaper's reference */
	put_task(d);                    /* the running one: it never ran */
}

/* The kernel PMD copy task d runs on (the mode says which); asserts there is one. */
static struct page *copy_of(struct ktest *t, struct task *d)
{
	struct page *copy = ukva_ops()->kernel_pmd(d);
	KTEST_ASSERT(t, copy);
	return copy;
}

/* The window page of a copy: what its PMD entry 511 points at. */
static struct page *window_page_of(struct page *copy)
{
	return pfn_to_page(pmd_pfn(__pmd(table_entry(copy, UKVA_SELF_PMD))));
}

/* Is kernel PMD entry i one of the per-mm stack area's? */
static bool stack_area_pmd(unsigned i)
{
	return i >= MM_STACKS_PMD_FIRST && i < MM_STACKS_PMD_FIRST + MM_STACKS_PMD_COUNT;
}

/*
 * The window page task d would run with: behind its copy's PMD 511, or in
 * per-cpu mode its own (the CPU's copy shows only the running task's).
 */
static struct page *window_page(struct ktest *t, struct task *d)
{
	if (expected()->copy_per_cpu)
		return pfn_to_page(d->window.page);
	return window_page_of(copy_of(t, d));
}

/*
 * Resolve addr as d's tables will when d runs: through its copy, but in
 * per-cpu mode the CPU's copy has the running task's window at entry 511,
 * so d's window addresses resolve through d's own window page.
 */
static pfn_t resolve_as(struct ktest *t, struct task *d, uint32_t addr, uint64_t *flags)
{
	if (expected()->copy_per_cpu && pmd_index(addr) == UKVA_SELF_PMD)
		return resolve_pte(window_page(t, d), addr, flags);
	return resolve(copy_of(t, d), addr, flags);
}

/*
 * Entries 0-507 of a copy equal the global kernel PMD's, the accessed bit
 * aside, but for the text entries, which may map a node's text replica
 * instead: the one of the node the copy follows (numa/ktext.h); and for
 * the per-mm stack area in a mode with stack slots, which is per mm there
 * (and empty in the global PMD).
 */
static void expect_copy_matches(struct ktest *t, struct page *copy)
{
	int node = ktext_copy_node(copy);
	unsigned differ = 0;
	for (unsigned i = 0; i < UKVA_PMD_FIRST; i++) {
		if (stack_area_pmd(i) && expected()->stack_slots) {
			KTEST_EXPECT(t, pmd_none(swapper_pmd[i]));
			continue;
		}
		uint64_t want = pmd_val(swapper_pmd[i]);
		unsigned k = i - ktext_first_pmd();
		if (k < ktext_nr_pmds() && node >= 0)
			want = pmd_val(ktext_pmd((unsigned)node, k));
		differ += (table_entry(copy, i) ^ want) & ~_PAGE_ACCESSED;
	}
	KTEST_EXPECT_EQ(t, differ, 0);
}

static void copies_never_go_stale(struct ktest *t)
{
	if (!expected()->copies) {
		struct task *self = current;
		KTEST_EXPECT(t, !ukva_ops()->kernel_pmd(self));
		ktest_skip(t, "no copies of the kernel PMD in this mode");
	}
	unsigned long free_before = nr_free_pages();
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	struct task *a = dummy_task(t, mm), *b = dummy_task(t, mm);

	/* A kernel mapping made after the copies exist shows through both. */
	struct page *p = alloc_page(GFP_KERNEL);
	const uint32_t va = VMALLOC_START + 17 * PAGE_SIZE;
	map_kernel_page(va, page_to_pfn(p), PAGE_KERNEL);
	for (int i = 0; i < 2; i++) {
		struct page *copy = copy_of(t, i ? b : a);
		uint64_t leaf;
		expect_copy_matches(t, copy);
		KTEST_EXPECT_EQ(t, resolve(copy, va, &leaf), page_to_pfn(p));
	}
	unmap_kernel_page(va);
	free_page(p);
	drop_dummy(a);
	drop_dummy(b);
	mm_put(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void window_is_per_task_or_per_mm(struct ktest *t)
{
	if (!expected()->copies)
		ktest_skip(t, "no window in this mode");
	unsigned long free_before = nr_free_pages();
	struct mm *mm1 = mm_create(), *mm2 = mm_create();
	KTEST_ASSERT(t, mm1 && mm2);
	struct task *a = dummy_task(t, mm1), *b = dummy_task(t, mm1), *c = dummy_task(t, mm2);
	/* The window page behind each task's PMD 511 (per-cpu: the one it would load). */
	pfn_t pa = page_to_pfn(window_page(t, a));
	pfn_t pb = page_to_pfn(window_page(t, b));
	pfn_t pc = page_to_pfn(window_page(t, c));

	KTEST_EXPECT(t, pa && pb && pc);
	KTEST_EXPECT(t, pa != pc);                      /* two mms: always different */
	if (expected()->private_area)
		KTEST_EXPECT(t, pa != pb);              /* two threads of one mm */
	else
		KTEST_EXPECT_EQ(t, pa, pb);             /* per-mm: threads share it */
	/* Per-task PGDs differ; per-cpu's is the CPU's (cr3 0), the others the mm's. */
	KTEST_EXPECT_EQ(t, a->cr3 != b->cr3, expected()->copy_per_task);
	drop_dummy(a);
	drop_dummy(b);
	drop_dummy(c);
	mm_put(mm1);
	mm_put(mm2);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void window_entries_private_and_supervisor(struct ktest *t)
{
	if (!expected()->copies)
		ktest_skip(t, "no window in this mode");
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	struct task *a = dummy_task(t, mm);
	struct page *copy = copy_of(t, a);

	/* A CPU's copy holds a window only while a task with one runs there. */
	for (unsigned i = UKVA_PMD_FIRST; i < UKVA_PMD_FIRST + UKVA_PMD_COUNT; i++) {
		uint64_t e = table_entry(copy, i);
		KTEST_EXPECT(t, (e & _PAGE_PRESENT) || expected()->copy_per_cpu);
		KTEST_EXPECT(t, !(e & (_PAGE_USER | _PAGE_GLOBAL | _PAGE_PSE)));
	}
	unsigned bad = 0;
	for (unsigned s = 0; s < PTRS_PER_PTE; s++)
		bad += (table_entry(window_page(t, a), s) & (_PAGE_USER | _PAGE_GLOBAL)) != 0;
	KTEST_EXPECT_EQ(t, bad, 0);
	/* Shared kernel entries are global (with PGE): the direct map's first large page. */
	KTEST_EXPECT_EQ(t, !!(pmd_val(swapper_pmd[1]) & _PAGE_GLOBAL), boot_cpu.pge);
	drop_dummy(a);
	mm_put(mm);
}

struct yield_pair {
	int rounds;
	volatile int turn;
	uint32_t cr3_writes;            /* measured by player 0 over the ping-pong */
};

static int yield_player(struct yield_pair *p, int me)
{
	uint32_t start = this_cpu()->counters[CNT_CR3_WRITE];

	for (int i = 0; i < p->rounds; i++) {
		while (p->turn != me)
			sched_yield();
		p->turn = !me;
	}
	if (me == 0)
		p->cr3_writes = this_cpu()->counters[CNT_CR3_WRITE] - start;
	return 0;
}

static int player0(void *p) { return yield_player(p, 0); }
static int player1(void *p) { return yield_player(p, 1); }

/* Ping-pong between two kernel threads running on mm_a and mm_b; CR3 writes seen. */
static uint32_t pingpong_cr3_writes(struct ktest *t, struct mm *mm_a, struct mm *mm_b)
{
	static struct yield_pair p;
	p = (struct yield_pair){ .rounds = 50 };
	struct task *a = kthread_create_on(player0, &p, "ping", mm_a);
	struct task *b = kthread_create_on(player1, &p, "pong", mm_b);
	KTEST_ASSERT(t, a && b);
	kthread_join(a);
	kthread_join(b);
	return p.cr3_writes;
}

static void cr3_written_only_when_pgd_differs(struct ktest *t)
{
	struct mm *mm1 = mm_create(), *mm2 = mm_create();
	KTEST_ASSERT(t, mm1 && mm2);

	uint32_t same_mm = pingpong_cr3_writes(t, mm1, mm1);
	uint32_t cross_mm = pingpong_cr3_writes(t, mm1, mm2);
	ktest_diag(t, "mode %s: CR3 writes over 100 yields: same mm %u, two mms %u",
		   ukva_mode_name(ukva_mode), same_mm, cross_mm);
	/* Player 0 sees at least 2 * (rounds - 1) switches between the two. */
	if (expected()->copy_per_task)
		KTEST_EXPECT(t, same_mm >= 98);
	else
		KTEST_EXPECT(t, same_mm < 5);   /* only entries and exits of the pair */
	KTEST_EXPECT(t, cross_mm >= 98);
	mm_put(mm1);
	mm_put(mm2);
}

struct private_probe {
	pfn_t pfn;                      /* the frame behind private page 3 */
	uint32_t readback;
	uint32_t faults;                /* window faults counted while touching it */
};

/* Runs on an mm in per-task mode: touch private page 3 of our own window. */
static int touch_private(void *arg)
{
	struct private_probe *p = arg;
	volatile uint32_t *word = (uint32_t *)(UKVA_PRIVATE + 3 * PAGE_SIZE + 8);
	uint32_t before = this_cpu()->counters[CNT_WINDOW_FAULT];

	*word = 0xFEEDFACE;             /* the first touch faults the frame in */
	p->readback = *word;
	p->faults = this_cpu()->counters[CNT_WINDOW_FAULT] - before;
	p->pfn = ukva_window_slot(current->window.page, UKVA_SLOT_PRIVATE + 3);
	return 0;
}

/* Does any entry of a (possibly highmem) page-table page map pfn? */
static bool table_maps(struct page *table, pfn_t pfn)
{
	for (unsigned i = 0; i < PTRS_PER_PTE; i++) {
		uint64_t e = table_entry(table, i);
		if ((e & _PAGE_PRESENT) && pte_pfn(__pte(e)) == pfn)
			return true;
	}
	return false;
}

static void private_frames_are_mapped_nowhere_else(struct ktest *t)
{
	if (!expected()->private_area)
		ktest_skip(t, "no private area in this mode");
	unsigned long free_before = nr_free_pages();
	static struct private_probe probe;
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	struct task *other = dummy_task(t, mm);
	struct task *toucher = kthread_create_on(touch_private, &probe, "private", mm);
	KTEST_ASSERT(t, toucher);
	kthread_join(toucher);

	KTEST_EXPECT_EQ(t, probe.readback, 0xFEEDFACE);
	KTEST_EXPECT_EQ(t, probe.faults, 1);
	KTEST_EXPECT(t, probe.pfn >= lowmem_pfn_limit);         /* not in the direct map */
	struct page *copy = copy_of(t, other);
	KTEST_EXPECT(t, !table_maps(window_page(t, other), probe.pfn));
	KTEST_EXPECT(t, !table_maps(copy, probe.pfn));
	uint64_t leaf;
	KTEST_EXPECT_EQ(t, resolve(copy, UKVA_PRIVATE + 3 * PAGE_SIZE, &leaf), 0);
	drop_dummy(other);
	mm_put(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);    /* the private frame went with its task */
}

/*
 * The cost accounting adds up what a task and an mm hold: here 3 pages
 * touched in two different 2 MiB regions need two PTE pages.
 */
static void cost_counts_what_is_held(struct ktest *t)
{
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, vma_insert(&mm->vmas, 0x10000000, 0x10400000, PROT_READ | PROT_WRITE,
				   VM_ANON) == 0);
	for (uint32_t a = 0x10000000; a < 0x10003000; a += PAGE_SIZE)
		KTEST_EXPECT_EQ(t, handle_mm_fault(mm, a, FAULT_WRITE), 0);
	KTEST_EXPECT_EQ(t, handle_mm_fault(mm, 0x10200000, FAULT_WRITE), 0);
	struct task *d = dummy_task(t, mm);
	struct ukva_cost mc, tc;
	ukva_mm_cost(mm, &mc);
	ukva_task_cost(d, &tc);

	uint32_t mm_tables = PGD_BYTES + 3 * PAGE_SIZE + 2 * PAGE_SIZE;
	KTEST_EXPECT_EQ(t, mc.pgtable_bytes, mm_tables + expected()->mm_extra_tables);
	KTEST_EXPECT_EQ(t, tc.pgtable_bytes, expected()->task_tables);
	KTEST_EXPECT(t, tc.lowmem_bytes >= (page_is_highmem(d->stack_pages) ? 0 : KSTACK_SIZE));
	if (zone_managed_pages(ZONE_HIGHMEM) && !highmem_carved_for_mode) {
		/* Every page-table page is in highmem: lowmem pays only for the rest. */
		KTEST_EXPECT(t, mc.lowmem_bytes < PAGE_SIZE);
		KTEST_EXPECT(t, tc.lowmem_bytes < KSTACK_SIZE + PAGE_SIZE);
	}
	ktest_diag(t, "mode %s: mm %u B of page tables (%u B lowmem), task %u B (%u B lowmem)",
		   ukva_mode_name(ukva_mode), mc.pgtable_bytes, mc.lowmem_bytes,
		   tc.pgtable_bytes, tc.lowmem_bytes);
	drop_dummy(d);
	mm_put(mm);
}

/* The boot check of the mode tables finds an op a mode forgot, wherever it is. */
static void mode_tables_are_complete(struct ktest *t)
{
	for (unsigned m = 0; m < UKVA_NR_MODES; m++)
		KTEST_EXPECT_EQ(t, ukva_ops_first_unset(ukva_modes[m]), -1);
	struct ukva_mode_ops holed = *ukva_ops();
	holed.leave_mm = NULL;
	KTEST_EXPECT_EQ(t, ukva_ops_first_unset(&holed),
			(int)offsetof(struct ukva_mode_ops, leave_mm));
	holed = *ukva_ops();
	holed.task_cost = NULL;                 /* the last one */
	KTEST_EXPECT_EQ(t, ukva_ops_first_unset(&holed),
			(int)offsetof(struct ukva_mode_ops, task_cost));
}

/*
 * Walk d's tables at the two pages of its stack: they must be d's own
 * frames, mapped as window pages (present, writable, supervisor, never
 * global).
 */
static void expect_stack_mapped(struct ktest *t, struct task *d)
{
	for (unsigned i = 0; i < UKVA_STACK_PAGES; i++) {
		uint64_t flags;
		pfn_t pfn = resolve_as(t, d, (uint32_t)d->stack + i * PAGE_SIZE, &flags);
		KTEST_EXPECT_EQ(t, pfn, page_to_pfn(d->stack_pages) + i);
		KTEST_EXPECT(t, (flags & (_PAGE_PRESENT | _PAGE_RW)) == (_PAGE_PRESENT | _PAGE_RW));
		KTEST_EXPECT(t, !(flags & (_PAGE_USER | _PAGE_GLOBAL)));
	}
}

/* Do the tables task as runs on map d's stack address to d's first stack frame? */
static bool maps_stack_of(struct ktest *t, struct task *as, const struct task *d)
{
	uint64_t flags;
	return resolve_as(t, as, (uint32_t)d->stack, &flags) == page_to_pfn(d->stack_pages);
}

/*
 * A user task's kernel stack is mapped in its own window only: the walk of
 * its copy finds its frames; the kernel's own tables and every other
 * window (another task's in per-task and per-cpu modes, another mm's in
 * per-mm) do not map them there; with highmem the frames are highmem, so the direct map
 * has no alias of them and no lowmem frame backs the stack.  In per-mm
 * mode the threads of one mm have distinct slots, and a freed slot is
 * unmapped.
 */
static void stack_in_own_window_only(struct ktest *t)
{
	if (!expected()->stack_in_window)
		ktest_skip(t, "this mode keeps stacks in the direct map");
	struct mm *mm = mm_create(), *other_mm = mm_create();
	KTEST_ASSERT(t, mm && other_mm);
	struct task *a = dummy_task(t, mm), *b = dummy_task(t, mm), *c = dummy_task(t, other_mm);
	struct page *swapper = virt_to_page(swapper_pmd);

	for (struct task *const *d = (struct task *const[]){ a, b, c, NULL }; *d; d++) {
		expect_stack_mapped(t, *d);
		KTEST_EXPECT(t, is_window_address((uintptr_t)(*d)->stack));
		uint64_t flags;
		KTEST_EXPECT(t, resolve(swapper, (uint32_t)(*d)->stack, &flags) !=
				page_to_pfn((*d)->stack_pages));
		if (zone_free_pages(ZONE_HIGHMEM) > TASK_RESERVE_PAGES)
			KTEST_EXPECT(t, page_is_highmem((*d)->stack_pages));
	}
	KTEST_EXPECT(t, !maps_stack_of(t, c, a));
	KTEST_EXPECT(t, !maps_stack_of(t, a, c));
	if (expected()->stack_slots) {
		KTEST_EXPECT(t, a->stack != b->stack);  /* a slot each, in one copy */
		KTEST_EXPECT(t, copy_of(t, a) == copy_of(t, b));
		uint32_t a_stack = (uint32_t)a->stack;
		struct page *copy = copy_of(t, a);
		drop_dummy(a);
		uint64_t flags;
		KTEST_EXPECT_EQ(t, resolve(copy, a_stack, &flags), 0);
	} else {
		KTEST_EXPECT(t, a->stack == b->stack);  /* one address, a copy each */
		KTEST_EXPECT(t, !maps_stack_of(t, b, a));
		drop_dummy(a);
	}
	drop_dummy(b);
	drop_dummy(c);
	mm_put(mm);
	mm_put(other_mm);
}

/*
 * With per-task windows (per-task, per-cpu) on a machine with highmem, a
 * thread costs lowmem for its task struct and nothing else, by the
 * kernel's own accounting (mm/memstat.h): its stack, window page and
 * kernel PMD copy are highmem, what it keeps of its window is in the task
 * struct (task_window.h), and a per-task PGD is carved from highmem below
 * 4 GiB (mm/pdpt.h; with pdpt=lowmem, or none there, a kmalloc-32 one).
 */
#define NR_THREADS      8

static void thread_lowmem_is_its_task_struct(struct ktest *t)
{
	if (!expected()->private_area)
		ktest_skip(t, "no per-task windows in this mode");
	if (zone_free_pages(ZONE_HIGHMEM) < TASK_RESERVE_PAGES + 8 * NR_THREADS)
		ktest_skip(t, "not enough highmem for the stacks and windows");
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	struct lowmem_stats before, after;
	struct task *d[NR_THREADS];
	bool own_pgd = expected()->copy_per_task;
	uint32_t pgd_lowmem = own_pgd && !pdpt_from_highmem() ? (uint32_t)kmalloc_size(PDPT_BYTES) : 0;
	unsigned pgd_in_lowmem = 0, pgd_wrong = 0;

	lowmem_stats_read(&before);
	for (unsigned i = 0; i < NR_THREADS; i++)
		d[i] = dummy_task(t, mm);
	lowmem_stats_read(&after);
	for (unsigned i = 0; own_pgd && i < NR_THREADS; i++) {
		pgd_in_lowmem += pdpt_is_lowmem(d[i]->cr3);
		/* What the CPU will load: the mm's user PMDs and the task's own copy. */
		uint32_t flags = local_irq_save();
		pgd_t *pgd = pdpt_map(d[i]->cr3);
		for (int k = 0; k < USER_PGD_ENTRIES; k++)
			pgd_wrong += pgd_val(pgd[k]) != pgd_val(mm->pgd[k]);
		pgd_wrong += pgd_pfn(pgd[KERNEL_PGD_INDEX]) != page_to_pfn(copy_of(t, d[i]));
		pdpt_unmap(pgd);
		local_irq_restore(flags);
	}
	long delta[NR_LOWMEM_STATS];
	for (unsigned c = 0; c < NR_LOWMEM_STATS; c++) {
		delta[c] = (long)after.bytes[c] - (long)before.bytes[c];
		if (delta[c])
			ktest_diag(t, "%s: %ld B per thread", lowmem_stat_name(c), delta[c] / NR_THREADS);
	}
	KTEST_EXPECT_EQ(t, delta[LOWMEM_TASK], NR_THREADS * (long)kmalloc_size(sizeof(struct task)));
	KTEST_EXPECT_EQ(t, delta[LOWMEM_KSTACK], 0);
	KTEST_EXPECT_EQ(t, delta[LOWMEM_WINDOW], 0);
	KTEST_EXPECT_EQ(t, delta[LOWMEM_PGTABLE], NR_THREADS * (long)pgd_lowmem);
	KTEST_EXPECT_EQ(t, pgd_in_lowmem, pgd_lowmem ? NR_THREADS : 0);
	KTEST_EXPECT_EQ(t, pgd_wrong, 0);
	for (unsigned i = 0; i < NR_THREADS; i++)
		drop_dummy(d[i]);
	mm_put(mm);
}

KTEST_SUITE(ukva,
	KTEST_CASE(mode_tables_are_complete),
	KTEST_CASE(copies_never_go_stale),
	KTEST_CASE(window_is_per_task_or_per_mm),
	KTEST_CASE(window_entries_private_and_supervisor),
	KTEST_CASE(cr3_written_only_when_pgd_differs),
	KTEST_CASE(private_frames_are_mapped_nowhere_else),
	KTEST_CASE(stack_in_own_window_only),
	KTEST_CASE(cost_counts_what_is_held),
	KTEST_CASE(thread_lowmem_is_its_task_struct));
