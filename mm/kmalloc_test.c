/*
 * Tests of kmalloc: sizes, alignment, no overlap between live blocks, and
 * every page back in the allocator once everything is freed.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

static const size_t sizes[] = {
	1, 2, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256,
	257, 511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049, 3000, 4096,
	4097, 8192, 12289, 65536,
};

#define NR_LIVE         600

static struct live {
	uint8_t *p;
	size_t size;
} live[NR_LIVE];

/* The alignment kmalloc promises for size: the class size, or a page. */
static size_t promised_align(size_t size)
{
	return size <= KMALLOC_MAX_SIZE ? kmalloc_class_size(kmalloc_index(size)) : PAGE_SIZE;
}

static uint8_t tag_byte(unsigned i)
{
	return (uint8_t)(i * 37 + 11);
}

static void sizes_and_alignment(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *p = kmalloc(sizes[i], GFP_KERNEL);
		KTEST_ASSERT(t, p);
		KTEST_EXPECT(t, IS_ALIGNED((unsigned long)p, promised_align(sizes[i])));
		KTEST_EXPECT(t, (unsigned long)p >= KERNEL_VIRT_BASE && (unsigned long)p < DIRECT_MAP_END);
		memset(p, 0xEE, sizes[i]);              /* the whole size is writable */
		kfree(p);
	}
	KTEST_EXPECT(t, kmalloc(0, GFP_KERNEL) == NULL);
	KTEST_EXPECT(t, kmalloc((size_t)PAGE_SIZE << MAX_ORDER, GFP_KERNEL) == NULL);
	kfree(NULL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/* Fill NR_LIVE blocks of mixed sizes with their own byte; none disturbs another. */
static void live_blocks_do_not_overlap(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	unsigned bad = 0;

	for (unsigned i = 0; i < NR_LIVE; i++) {
		live[i].size = sizes[(i * 7) % ARRAY_SIZE(sizes)];
		live[i].p = kmalloc(live[i].size, GFP_KERNEL);
		KTEST_ASSERT(t, live[i].p);
		memset(live[i].p, tag_byte(i), live[i].size);
	}
	for (unsigned i = 0; i < NR_LIVE; i++)
		for (size_t j = 0; j < live[i].size; j++)
			bad += live[i].p[j] != tag_byte(i);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT(t, nr_free_pages() < free_before);

	/* Free in an order unrelated to allocation: odd ones, then even ones. */
	for (unsigned i = 1; i < NR_LIVE; i += 2)
		kfree(live[i].p);
	for (unsigned i = 0; i < NR_LIVE; i += 2)
		for (size_t j = 0; j < live[i].size; j++)
			bad += live[i].p[j] != tag_byte(i);
	KTEST_EXPECT_EQ(t, bad, 0);
	for (unsigned i = 0; i < NR_LIVE; i += 2)
		kfree(live[i].p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);     /* empty slabs went back */
}

/* Slab pages and large blocks are marked for kfree, and unmarked after. */
static void pages_are_marked(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	void *small = kmalloc(48, GFP_KERNEL);
	unsigned long free_mid = nr_free_pages();
	void *large = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	KTEST_ASSERT(t, small && large);
	KTEST_EXPECT_EQ(t, free_mid - nr_free_pages(), 4);     /* order 2 */
	struct page *sp = virt_to_page(small), *lp = virt_to_page(large);
	KTEST_EXPECT(t, sp->flags & PG_slab);
	KTEST_EXPECT_EQ(t, sp->order, kmalloc_index(48));
	KTEST_EXPECT(t, lp->flags & PG_kmalloc);
	KTEST_EXPECT_EQ(t, lp->order, 2);
	/* The slab goes back only if small was its one object (boot keeps some: ACPI's SLIT copy). */
	bool slab_empties = sp->slab.inuse == 1;
	kfree(small);
	kfree(large);
	KTEST_EXPECT_EQ(t, !(sp->flags & PG_slab), slab_empties);
	KTEST_EXPECT(t, !(lp->flags & PG_kmalloc));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void kzalloc_zeroes(struct ktest *t)
{
	static const size_t zsizes[] = { 24, 700, 2048, 5000 };

	for (unsigned i = 0; i < ARRAY_SIZE(zsizes); i++) {
		uint8_t *p = kmalloc(zsizes[i], GFP_KERNEL);
		KTEST_ASSERT(t, p);
		memset(p, 0xFF, zsizes[i]);             /* leave garbage behind */
		kfree(p);
		p = kzalloc(zsizes[i], GFP_KERNEL);
		KTEST_ASSERT(t, p);
		unsigned nonzero = 0;
		for (size_t j = 0; j < zsizes[i]; j++)
			nonzero += p[j] != 0;
		KTEST_EXPECT_EQ(t, nonzero, 0);
		kfree(p);
	}
}

/* A freed object is handed out again before a new slab is taken. */
static void freed_objects_are_reused(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	void *keep = kmalloc(256, GFP_KERNEL);          /* keeps the slab alive */
	void *p = kmalloc(256, GFP_KERNEL);

	KTEST_ASSERT(t, keep && p);
	kfree(p);
	void *q = kmalloc(256, GFP_KERNEL);
	KTEST_EXPECT(t, q == p);
	kfree(q);
	kfree(keep);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

KTEST_SUITE(kmalloc,
	KTEST_CASE(sizes_and_alignment),
	KTEST_CASE(live_blocks_do_not_overlap),
	KTEST_CASE(pages_are_marked),
	KTEST_CASE(kzalloc_zeroes),
	KTEST_CASE(freed_objects_are_reused));
