/*
 * Tests of the frame allocator on the machine it booted on: every frame of
 * every zone can be allocated and freed, and the buddy lists come back
 * exactly as they were (the free-block decomposition of a set of free
 * frames is unique, so equal per-order counts prove every merge happened).
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/zone.h"
#include "mm/memblock.h"

struct order_counts {
	unsigned long nr_free[MAX_NUMNODES][MAX_ORDER];
};

static struct order_counts snapshot(enum zone_type z)
{
	struct order_counts c;
	for (int n = 0; n < MAX_NUMNODES; n++)
		for (int k = 0; k < MAX_ORDER; k++)
			c.nr_free[n][k] = zones[z].free_area[n][k].nr_free;
	return c;
}

/* Allocate order-0 frames from zone z until it is empty; returns how many. */
static unsigned long drain_zone(enum zone_type z, struct list_head *taken)
{
	gfp_t gfp = z == ZONE_HIGHMEM ? GFP_HIGHMEM : GFP_KERNEL;
	unsigned long n = 0;

	while (zone_free_pages(z)) {
		struct page *p = alloc_page(gfp);
		if (!p || p->zone != z) {       /* fell back to another zone */
			if (p)
				free_page(p);
			break;
		}
		list_add(&p->list, taken);
		n++;
	}
	return n;
}

static void alloc_every_frame_then_free_all(struct ktest *t)
{
	for (enum zone_type z = 0; z < NR_ZONES; z++) {
		struct list_head taken = LIST_HEAD_INIT(taken);
		unsigned long free_before = zone_free_pages(z);
		struct order_counts before = snapshot(z);

		unsigned long n = drain_zone(z, &taken);
		KTEST_EXPECT_EQ(t, n, free_before);
		KTEST_EXPECT_EQ(t, zone_free_pages(z), 0);
		ktest_diag(t, "zone %s: allocated and freed %lu frames", zone_name(z), n);

		struct list_head *pos, *next;
		list_for_each_safe(pos, next, &taken) {
			struct page *p = list_entry(pos, struct page, list);
			list_del_init(&p->list);
			free_page(p);
		}
		KTEST_EXPECT_EQ(t, zone_free_pages(z), free_before);
		struct order_counts after = snapshot(z);
		for (int k = 0; k < MAX_ORDER; k++)
			for (int n = 0; n < MAX_NUMNODES; n++)
				KTEST_EXPECT_EQ(t, after.nr_free[n][k], before.nr_free[n][k]);
	}
}

static void blocks_are_aligned_and_owned(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();

	for (unsigned order = 0; order < MAX_ORDER; order++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);
		KTEST_ASSERT(t, p != NULL);
		KTEST_EXPECT_EQ(t, page_to_pfn(p) & ((1u << order) - 1), 0);
		KTEST_EXPECT_EQ(t, p->refcount, 1);
		for (unsigned i = 0; i < (1u << order); i++) {
			KTEST_EXPECT(t, !(p[i].flags & (PG_buddy | PG_reserved)));
			KTEST_EXPECT_EQ(t, p[i].zone, ZONE_NORMAL);
		}
		free_pages(p, order);
	}
	KTEST_EXPECT(t, alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/* Frames in RAM belong to the zone their address says; holes stay reserved. */
static void every_frame_in_its_zone(struct ktest *t)
{
	unsigned long managed[NR_ZONES] = { 0 }, bad_zone = 0, bad_hole = 0;

	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		uint64_t phys = (uint64_t)pfn << PAGE_SHIFT;
		if (p->zone != pfn_zone(pfn))
			bad_zone++;
		if (!(p->flags & PG_reserved))
			managed[p->zone]++;
		if (!(p->flags & PG_reserved) && !memblock_is_ram(phys, phys + PAGE_SIZE))
			bad_hole++;
	}
	KTEST_EXPECT_EQ(t, bad_zone, 0);
	KTEST_EXPECT_EQ(t, bad_hole, 0);
	for (enum zone_type z = 0; z < NR_ZONES; z++)
		KTEST_EXPECT_EQ(t, managed[z], zone_managed_pages(z));
}

/*
 * User pages take highmem first, but not the highmem a mode carved out of
 * a machine with none (they take lowmem, as without the carve-out);
 * window frames take highmem first either way.
 */
static void highmem_preferred_for_user_pages(struct ktest *t)
{
	struct page *low = alloc_page(GFP_KERNEL);
	struct page *user = alloc_page(GFP_HIGHUSER);
	struct page *window = alloc_page(GFP_HIGHMEM);
	bool highmem = zone_managed_pages(ZONE_HIGHMEM) != 0;

	KTEST_ASSERT(t, low && user && window);
	KTEST_EXPECT_EQ(t, low->zone, ZONE_NORMAL);
	KTEST_EXPECT_EQ(t, user->zone, highmem && !highmem_carved_for_mode ? ZONE_HIGHMEM : ZONE_NORMAL);
	KTEST_EXPECT_EQ(t, window->zone, highmem ? ZONE_HIGHMEM : ZONE_NORMAL);
	free_page(low);
	free_page(user);
	free_page(window);
}

static void gfp_zero_clears_lowmem(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT(t, p);
	memset(page_address(p), 0xA5, PAGE_SIZE);
	free_page(p);

	/* The free list is LIFO, so the dirty frame comes straight back. */
	struct page *q = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KTEST_ASSERT(t, q);
	KTEST_EXPECT(t, q == p);
	const uint8_t *b = page_address(q);
	unsigned nonzero = 0;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		nonzero += b[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	free_page(q);
}

KTEST_SUITE(page_alloc,
	KTEST_CASE(alloc_every_frame_then_free_all),
	KTEST_CASE(blocks_are_aligned_and_owned),
	KTEST_CASE(every_frame_in_its_zone),
	KTEST_CASE(highmem_preferred_for_user_pages),
	KTEST_CASE(gfp_zero_clears_lowmem));
