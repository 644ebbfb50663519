/*
 * Tests of kmap and kmap_atomic.
 *
 * The frames at the edges of the physical map (just below and above 4 GiB,
 * the last below 64 GiB) are tested in place, whoever owns them: the test
 * saves the frame, writes and checks its own patterns through both kinds of
 * mapping, and restores it, all with interrupts off on the only running
 * CPU, so no other code can observe the change.  It needs nothing from the
 * allocator, and so reaches frames no allocation could target.
 */
#include "kernel/ktest.h"
#include "kernel/smp.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/highmem.h"
#include "mm/fixmap.h"
#include "mm/paging.h"
#include "mm/page_alloc.h"
#include "mm/memblock.h"
#include "arch/i386/cpu.h"

#define NO_PFN          ((pfn_t)-1)
#define PFN_64G         (pfn_t)(0x1000000000ULL >> PAGE_SHIFT)
#define WORDS           (PAGE_SIZE / sizeof(uint32_t))

static uint32_t saved_frame[WORDS];

/* The highest (or lowest) RAM frame in [lo, hi), or NO_PFN. */
static pfn_t ram_pfn_in(pfn_t lo, pfn_t hi, bool highest)
{
	pfn_t best = NO_PFN;

	for (unsigned i = 0; i < memblock.ram.nr; i++) {
		pfn_t s = (pfn_t)(memblock.ram.r[i].start >> PAGE_SHIFT);
		pfn_t e = (pfn_t)(memblock.ram.r[i].end >> PAGE_SHIFT);
		s = s > lo ? s : lo;
		e = e < hi ? e : hi;
		if (s >= e)
			continue;
		if (highest && (best == NO_PFN || e - 1 > best))
			best = e - 1;
		if (!highest && (best == NO_PFN || s < best))
			best = s;
	}
	return best;
}

static uint32_t pattern(pfn_t pfn, unsigned i, uint32_t seed)
{
	return (pfn * 0x9E3779B1u) ^ (i * 0x85EBCA77u) ^ seed;
}

/* Count words of the mapping at va that differ from pattern(pfn, i, seed). */
static unsigned mismatches(const uint32_t *va, pfn_t pfn, uint32_t seed)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < WORDS; i++)
		bad += va[i] != pattern(pfn, i, seed);
	return bad;
}

static void fill(uint32_t *va, pfn_t pfn, uint32_t seed)
{
	for (unsigned i = 0; i < WORDS; i++)
		va[i] = pattern(pfn, i, seed);
}

/* The walker's frame for a kmap address. */
static pfn_t mapped_pfn(void *va)
{
	enum pg_level level;
	pte_t *pte = lookup_address(swapper_pg_dir, (unsigned long)va, &level);

	return level == PG_LEVEL_4K && pte_present(*pte) ? pte_pfn(*pte) : NO_PFN;
}

/* Write through kmap, read through kmap_atomic, and back; restore the frame. */
static void kmap_frame_in_place(struct ktest *t, pfn_t pfn, const char *where)
{
	if (pfn == NO_PFN)
		ktest_skip(t, "no RAM there on this machine");
	struct page *page = pfn_to_page(pfn);
	KTEST_ASSERT(t, page_is_highmem(page));
	ktest_diag(t, "%s: pfn 0x%x (phys 0x%llx)", where, pfn, (unsigned long long)pfn << PAGE_SHIFT);

	uint32_t flags = local_irq_save();
	uint32_t *a = kmap_atomic(page);
	memcpy(saved_frame, a, PAGE_SIZE);
	kunmap_atomic(a);

	uint32_t *k = kmap(page);
	KTEST_EXPECT(t, (unsigned long)k >= PKMAP_BASE && (unsigned long)k < VMALLOC_START);
	KTEST_EXPECT_EQ(t, mapped_pfn(k), pfn);
	fill(k, pfn, 0x1111);
	a = kmap_atomic(page);
	KTEST_EXPECT_EQ(t, mapped_pfn(a), pfn);
	KTEST_EXPECT_EQ(t, mismatches(a, pfn, 0x1111), 0);
	fill(a, pfn, 0x2222);
	KTEST_EXPECT_EQ(t, mismatches(k, pfn, 0x2222), 0);
	memcpy(a, saved_frame, PAGE_SIZE);
	kunmap_atomic(a);
	kunmap(page);
	local_irq_restore(flags);
}

static void kmap_highmem_below_4g(struct ktest *t)
{
	kmap_frame_in_place(t, ram_pfn_in(lowmem_pfn_limit, PFN_4G, true), "highest RAM frame below 4 GiB");
}

static void kmap_above_4g(struct ktest *t)
{
	kmap_frame_in_place(t, ram_pfn_in(PFN_4G, PFN_64G, false), "lowest RAM frame above 4 GiB");
}

static void kmap_last_below_64g(struct ktest *t)
{
	kmap_frame_in_place(t, ram_pfn_in(PFN_4G, PFN_64G, true), "highest RAM frame below 64 GiB");
}

static void kmap_lowmem_uses_direct_map(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct kmap_stats before, after;

	KTEST_ASSERT(t, page);
	kmap_stats_read(&before);
	KTEST_EXPECT(t, kmap(page) == page_address(page));
	kunmap(page);
	uint32_t flags = local_irq_save();
	void *a = kmap_atomic(page);
	KTEST_EXPECT(t, a == page_address(page));
	kunmap_atomic(a);
	local_irq_restore(flags);
	kmap_stats_read(&after);
	KTEST_EXPECT_EQ(t, after.kmap - before.kmap, 1);
	KTEST_EXPECT_EQ(t, after.kmap_atomic - before.kmap_atomic, 1);
	KTEST_EXPECT_EQ(t, after.kmap_high - before.kmap_high, 0);
	KTEST_EXPECT_EQ(t, after.kmap_atomic_high - before.kmap_atomic_high, 0);
	free_page(page);
}

/* Nested kmaps of one page share a slot; a later kmap finds it still mapped. */
static void kmap_nests_and_reuses_slot(struct ktest *t)
{
	struct page *page = alloc_page(GFP_HIGHMEM);
	struct kmap_stats before, after;

	KTEST_ASSERT(t, page);
	void *a = kmap_high(page);
	void *b = kmap_high(page);
	KTEST_EXPECT(t, a == b);
	kunmap_high(page);
	kunmap_high(page);
	kmap_stats_read(&before);
	KTEST_EXPECT(t, kmap_high(page) == a);          /* lazily kept: no new mapping */
	kmap_stats_read(&after);
	KTEST_EXPECT_EQ(t, after.kmap_high, before.kmap_high);
	kunmap_high(page);
	free_page(page);
}

#define WRAP_PAGES      (PKMAP_PAGES + PKMAP_PAGES / 4)

/*
 * Map more distinct frames than the pool has slots, twice over: every slot
 * is used and reused, the wraparound flushes, and every mapping shows its
 * own frame (a stale TLB entry would show the slot's previous frame).
 */
static void pkmap_wraparound(struct ktest *t)
{
	static struct page *pages[WRAP_PAGES];
	static bool slot_used[PKMAP_PAGES];
	struct kmap_stats before, after;
	unsigned n, slots = 0, wrong = 0;
	uint32_t flags;

	for (n = 0; n < WRAP_PAGES; n++) {
		pages[n] = alloc_page(GFP_HIGHMEM);
		if (!pages[n])
			break;
		flags = local_irq_save();
		uint32_t *a = kmap_atomic(pages[n]);
		a[0] = page_to_pfn(pages[n]);
		kunmap_atomic(a);
		local_irq_restore(flags);
	}
	KTEST_ASSERT(t, n == WRAP_PAGES);
	memset(slot_used, 0, sizeof(slot_used));
	kmap_stats_read(&before);
	for (unsigned pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < WRAP_PAGES; i++) {
			uint32_t *k = kmap_high(pages[i]);
			KTEST_ASSERT(t, (unsigned long)k >= PKMAP_BASE && (unsigned long)k < VMALLOC_START);
			wrong += k[0] != page_to_pfn(pages[i]);
			unsigned slot = ((unsigned long)k - PKMAP_BASE) >> PAGE_SHIFT;
			slots += !slot_used[slot];
			slot_used[slot] = true;
			kunmap_high(pages[i]);
		}
	}
	kmap_stats_read(&after);
	KTEST_EXPECT_EQ(t, wrong, 0);
	KTEST_EXPECT_EQ(t, slots, PKMAP_PAGES);         /* the search visits every slot */
	KTEST_EXPECT(t, after.pkmap_flushes - before.pkmap_flushes >= 2);
	ktest_diag(t, "%u kmaps of %u frames: %lu new mappings, %lu flushes",
		   2 * WRAP_PAGES, WRAP_PAGES, after.kmap_high - before.kmap_high,
		   after.pkmap_flushes - before.pkmap_flushes);
	for (unsigned i = 0; i < WRAP_PAGES; i++)
		free_page(pages[i]);
}

/*
 * kmap_atomic nests on this CPU's slots, takes them in turn, and a slot
 * used again maps the new frame, not one a stale TLB entry remembers (the
 * unmapped slots are flushed before reuse; TCG caches translations as a
 * CPU does, so a missing flush shows as the old frame's contents).
 */
static void kmap_atomic_nests_in_order(struct ktest *t)
{
	enum { DEPTH = 4 };
	struct page *pages[DEPTH];
	uint32_t *va[DEPTH];

	for (unsigned i = 0; i < DEPTH; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT(t, pages[i]);
		*(uint32_t *)page_address(pages[i]) = 0xA70 + i;
	}
	uint32_t flags = local_irq_save();
	/* This CPU's slots: interrupts off, so we stay on it. */
	unsigned long first = fix_to_virt(FIX_KMAP_BEGIN + smp_processor_id() * KM_TYPE_NR);
	unsigned long last = first + (KM_TYPE_NR - 1) * PAGE_SIZE;
	for (unsigned i = 0; i < DEPTH; i++) {
		va[i] = kmap_atomic_pfn(page_to_pfn(pages[i]));
		KTEST_EXPECT(t, (unsigned long)va[i] >= first && (unsigned long)va[i] <= last);
		KTEST_EXPECT(t, i == 0 || va[i] != va[i - 1]);
		KTEST_EXPECT_EQ(t, va[i][0], 0xA70 + i);
		KTEST_EXPECT_EQ(t, mapped_pfn(va[i]), page_to_pfn(pages[i]));
	}
	for (unsigned i = DEPTH; i-- > 0;) {
		KTEST_EXPECT_EQ(t, va[i][0], 0xA70 + i);        /* inner maps left it alone */
		kunmap_atomic(va[i]);
		KTEST_EXPECT_EQ(t, mapped_pfn(va[i]), NO_PFN);
	}
	/* Twice round the ring, each slot a different frame the second time. */
	bool right = true;
	for (unsigned n = 0; n < 2 * KM_TYPE_NR; n++) {
		unsigned i = (n + n / KM_TYPE_NR) % DEPTH;
		uint32_t *p = kmap_atomic_pfn(page_to_pfn(pages[i]));
		right &= p[0] == 0xA70 + i;
		kunmap_atomic(p);
	}
	KTEST_EXPECT(t, right);
	local_irq_restore(flags);
	for (unsigned i = 0; i < DEPTH; i++)
		free_page(pages[i]);
}

/* clear_highpage and __GFP_ZERO zero a frame wherever it lives. */
static void clear_highpage_zeroes(struct ktest *t)
{
	struct page *page = alloc_page(GFP_HIGHMEM);
	KTEST_ASSERT(t, page);
	uint32_t flags = local_irq_save();
	uint32_t *a = kmap_atomic(page);
	fill(a, page_to_pfn(page), 0x3333);
	kunmap_atomic(a);
	local_irq_restore(flags);

	clear_highpage(page);
	a = kmap(page);
	unsigned nonzero = 0;
	for (unsigned i = 0; i < WORDS; i++)
		nonzero += a[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	fill(a, page_to_pfn(page), 0x4444);     /* dirty it for the allocator */
	kunmap(page);
	free_page(page);

	page = alloc_page(GFP_HIGHMEM | __GFP_ZERO);
	KTEST_ASSERT(t, page);
	a = kmap(page);
	nonzero = 0;
	for (unsigned i = 0; i < WORDS; i++)
		nonzero += a[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	kunmap(page);
	free_page(page);
}

struct full_pool {
	struct page *extra;             /* the page mapped once the pool is full */
	volatile bool mapped;           /* the waiter got its slot */
};

/* Asks for one more slot than the pool has, then gives it back. */
static int map_one_more(void *arg)
{
	struct full_pool *fp = arg;

	kmap_high(fp->extra);
	fp->mapped = true;
	kunmap_high(fp->extra);
	return 0;
}

/*
 * With every pkmap slot held, a kmap sleeps until a kunmap frees one: the
 * waiter is still waiting while the pool stays full, and gets a slot as
 * soon as one is given back.
 */
static void full_pool_waits_for_kunmap(struct ktest *t)
{
	static struct page *held[PKMAP_PAGES];
	static struct full_pool fp;
	unsigned long free_before = nr_free_pages();

	fp = (struct full_pool){ .extra = alloc_page(GFP_KERNEL) };
	KTEST_ASSERT(t, fp.extra);
	for (unsigned i = 0; i < PKMAP_PAGES; i++) {
		held[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT(t, held[i]);
		kmap_high(held[i]);
	}
	struct task *waiter = kthread_create(map_one_more, &fp, "kmap-waiter");
	KTEST_ASSERT(t, waiter);
	schedule_timeout(5);            /* the waiter runs, finds no slot, sleeps */
	KTEST_EXPECT(t, !fp.mapped);
	kunmap_high(held[0]);
	kthread_join(waiter);
	KTEST_EXPECT(t, fp.mapped);
	for (unsigned i = 1; i < PKMAP_PAGES; i++)
		kunmap_high(held[i]);
	for (unsigned i = 0; i < PKMAP_PAGES; i++)
		free_page(held[i]);
	free_page(fp.extra);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

KTEST_SUITE(kmap,
	KTEST_CASE(kmap_lowmem_uses_direct_map),
	KTEST_CASE(kmap_highmem_below_4g),
	KTEST_CASE(kmap_above_4g),
	KTEST_CASE(kmap_last_below_64g),
	KTEST_CASE(kmap_nests_and_reuses_slot),
	KTEST_CASE(pkmap_wraparound),
	KTEST_CASE(kmap_atomic_nests_in_order),
	KTEST_CASE(clear_highpage_zeroes),
	KTEST_CASE(full_pool_waits_for_kunmap));
