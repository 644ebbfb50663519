/*
 * Host tests of mm/vma.c: splits, merges, munmap and mprotect across
 * several areas, the top-down gap search, fork's copy, allocation failure
 * at every step, and a random run checked page by page against a model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../mm/vma.c"

#define P(n)    ((uint32_t)(n) * PAGE_SIZE)
#define BASE    0x10000000u
#define RW      (PROT_READ | PROT_WRITE)
#define RX      (PROT_READ | PROT_EXEC)

/* A malloc allocator that counts live nodes and can fail on demand. */
struct pool {
	int live;
	int fail_in;            /* > 0: the fail_in-th alloc from now fails */
};

static struct vma *pool_alloc(void *ctx)
{
	struct pool *p = ctx;
	if (p->fail_in > 0 && --p->fail_in == 0)
		return NULL;
	p->live++;
	return malloc(sizeof(struct vma));
}

static void pool_free(void *ctx, struct vma *v)
{
	struct pool *p = ctx;
	p->live--;
	free(v);
}

static struct pool pool;
static const struct vma_allocator alloc = { pool_alloc, pool_free, &pool };

/* A new empty list (initialized in place: the list head points at itself). */
static void fresh(struct vma_list *l)
{
	pool = (struct pool){ 0 };
	vma_list_init(l, &alloc);
}

/* The list's invariants: sorted, aligned, disjoint, merged, counted. */
static void check_invariants(const struct vma_list *l)
{
	const struct vma *v, *prev = NULL;
	unsigned n = 0;

	vma_for_each(v, l) {
		CHECK(v->start < v->end && v->end <= USER_END);
		CHECK(IS_ALIGNED(v->start, PAGE_SIZE) && IS_ALIGNED(v->end, PAGE_SIZE));
		if (prev) {
			CHECK(prev->end <= v->start);
			CHECK(!mergeable(prev, v));
		}
		prev = v;
		n++;
	}
	CHECK_EQ(n, l->nr);
	CHECK_EQ(pool.live, (int)l->nr);
}

/* Render the list as "start-end:prot:flags ..." (pages from BASE) to compare. */
static const char *show(const struct vma_list *l)
{
	static char buf[1024];
	const struct vma *v;
	size_t n = 0;

	buf[0] = 0;
	vma_for_each(v, l)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%d-%d:%u:%u", n ? " " : "",
			      (int)(((int64_t)v->start - BASE) / PAGE_SIZE),
			      (int)(((int64_t)v->end - BASE) / PAGE_SIZE), v->prot, v->flags);
	return buf;
}

#define CHECK_LIST(l, want)                                                     \
	do {                                                                    \
		check_invariants(l);                                            \
		const char *_got = show(l);                                     \
		if (strcmp(_got, want) != 0) {                                  \
			fprintf(stderr, "  %s:%d: list \"%s\", want \"%s\"\n",  \
				__FILE__, __LINE__, _got, want);                \
			check_failures++;                                       \
		}                                                               \
	} while (0)

/* Record unmap callbacks as text. */
static char unmapped[512];
static void record(void *ctx, uint32_t s, uint32_t e)
{
	(void)ctx;
	size_t n = strlen(unmapped);
	snprintf(unmapped + n, sizeof(unmapped) - n, "%s%d-%d", n ? " " : "",
		 (int)((s - BASE) / PAGE_SIZE), (int)((e - BASE) / PAGE_SIZE));
}

static int ins(struct vma_list *l, int a, int b, uint32_t prot, uint32_t flags)
{
	return vma_insert(l, BASE + P(a), BASE + P(b), prot, flags);
}

static int rm(struct vma_list *l, int a, int b)
{
	unmapped[0] = 0;
	return vma_remove_range(l, BASE + P(a), BASE + P(b), record, NULL);
}

static int prot(struct vma_list *l, int a, int b, uint32_t p)
{
	return vma_protect_range(l, BASE + P(a), BASE + P(b), p);
}

static void insert_sorts_and_refuses_overlap(void)
{
	struct vma_list l;
	fresh(&l);

	CHECK_EQ(ins(&l, 10, 12, RW, VM_ANON), 0);
	CHECK_EQ(ins(&l, 0, 2, RX, 0), 0);
	CHECK_EQ(ins(&l, 5, 6, PROT_READ, 0), 0);
	CHECK_LIST(&l, "0-2:5:0 5-6:1:0 10-12:3:1");
	CHECK_EQ(ins(&l, 11, 13, RW, VM_ANON), -EEXIST);        /* tail overlap */
	CHECK_EQ(ins(&l, 9, 11, RW, VM_ANON), -EEXIST);         /* head overlap */
	CHECK_EQ(ins(&l, 4, 7, PROT_READ, 0), -EEXIST);         /* around */
	CHECK_EQ(ins(&l, 10, 12, RW, VM_ANON), -EEXIST);        /* the same */
	CHECK_EQ(vma_insert(&l, BASE + 1, BASE + P(3), RW, 0), -EINVAL);
	CHECK_EQ(vma_insert(&l, BASE + P(3), BASE + P(3), RW, 0), -EINVAL);
	CHECK_EQ(vma_insert(&l, USER_END - P(1), USER_END + P(1), RW, 0), -EINVAL);
	CHECK_EQ(vma_insert(&l, BASE + P(3), BASE + P(4), PROT_SEM, 0), -EINVAL);
	CHECK_EQ(vma_insert(&l, BASE + P(3), BASE + P(4), RW, 1u << 7), -EINVAL);
	CHECK_EQ(vma_insert(&l, USER_END - P(1), USER_END, RW, VM_STACK), 0);
	CHECK_LIST(&l, "0-2:5:0 5-6:1:0 10-12:3:1 720895-720896:3:2");
	vma_list_clear(&l, NULL, NULL);
	CHECK_EQ(pool.live, 0);
}

static void insert_merges_matching_neighbours(void)
{
	struct vma_list l;
	fresh(&l);

	CHECK_EQ(ins(&l, 0, 2, RW, VM_ANON), 0);
	CHECK_EQ(ins(&l, 4, 6, RW, VM_ANON), 0);
	CHECK_EQ(ins(&l, 2, 3, RW, VM_ANON), 0);                /* grows the left one */
	CHECK_LIST(&l, "0-3:3:1 4-6:3:1");
	CHECK_EQ(ins(&l, 6, 7, RW, VM_ANON), 0);                /* grows it at the end */
	CHECK_EQ(ins(&l, 3, 4, RW, VM_ANON), 0);                /* bridges both */
	CHECK_LIST(&l, "0-7:3:1");
	CHECK_EQ(ins(&l, 7, 8, RX, VM_ANON), 0);                /* other prot: apart */
	CHECK_EQ(ins(&l, 8, 9, RX, VM_BRK), 0);                 /* other flags: apart */
	CHECK_EQ(ins(&l, 10, 11, RX, VM_BRK), 0);
	pool.fail_in = 1;                                       /* merging needs no node */
	CHECK_EQ(ins(&l, 9, 10, RX, VM_BRK), 0);
	CHECK_EQ(pool.fail_in, 1);
	CHECK_LIST(&l, "0-7:3:1 7-8:5:1 8-11:5:4");
	CHECK_EQ(ins(&l, 12, 13, RX, VM_BRK), -ENOMEM);         /* now a node is needed */
	CHECK_EQ(ins(&l, 12, 13, RX, VM_BRK), 0);
	pool.fail_in = 1;
	CHECK_EQ(ins(&l, 20, 21, RW, 0), -ENOMEM);
	CHECK_LIST(&l, "0-7:3:1 7-8:5:1 8-11:5:4 12-13:5:4");
	vma_list_clear(&l, NULL, NULL);
}

static void find_uses_half_open_ranges(void)
{
	struct vma_list l;
	fresh(&l);

	ins(&l, 2, 4, RW, 0);
	ins(&l, 6, 7, RX, 0);
	CHECK(vma_find(&l, BASE + P(2)) && vma_find(&l, BASE + P(2))->start == BASE + P(2));
	CHECK(vma_find(&l, BASE + P(4) - 1) && vma_find(&l, BASE + P(4) - 1)->end == BASE + P(4));
	CHECK(vma_find(&l, BASE + P(4)) == NULL);
	CHECK(vma_find(&l, BASE + P(2) - 1) == NULL);
	CHECK(vma_find(&l, BASE + P(6) + 5)->prot == RX);
	CHECK(vma_find(&l, BASE + P(7)) == NULL);
	CHECK(vma_find(&l, 0) == NULL);
	CHECK(vma_find(&l, 0xFFFFFFFF) == NULL);
	vma_list_clear(&l, NULL, NULL);
}

static void munmap_splits_trims_and_drops(void)
{
	struct vma_list l;
	fresh(&l);

	ins(&l, 0, 10, RW, VM_ANON);
	CHECK_EQ(rm(&l, 3, 5), 0);                              /* a hole: split */
	CHECK_LIST(&l, "0-3:3:1 5-10:3:1");
	CHECK(strcmp(unmapped, "3-5") == 0);
	ins(&l, 12, 14, RX, 0);
	ins(&l, 16, 20, PROT_READ, 0);
	CHECK_EQ(rm(&l, 2, 17), 0);                             /* across four, with holes */
	CHECK_LIST(&l, "0-2:3:1 17-20:1:0");
	CHECK(strcmp(unmapped, "2-3 5-10 12-14 16-17") == 0);
	CHECK_EQ(rm(&l, 4, 16), 0);                             /* nothing there */
	CHECK(strcmp(unmapped, "") == 0);
	CHECK_EQ(rm(&l, 19, 20), 0);                            /* the tail */
	CHECK_EQ(rm(&l, 0, 1), 0);                              /* the head */
	CHECK_LIST(&l, "1-2:3:1 17-19:1:0");
	CHECK_EQ(vma_remove_range(&l, BASE + P(1), BASE + P(1), NULL, NULL), -EINVAL);
	CHECK_EQ(vma_remove_range(&l, BASE + 1, BASE + P(2), NULL, NULL), -EINVAL);
	CHECK_EQ(vma_remove_range(&l, 0, USER_END, NULL, NULL), 0);
	CHECK_LIST(&l, "");
}

static void munmap_split_without_memory_changes_nothing(void)
{
	struct vma_list l;
	fresh(&l);

	ins(&l, 0, 10, RW, VM_ANON);
	pool.fail_in = 1;
	CHECK_EQ(rm(&l, 3, 5), -ENOMEM);
	CHECK_LIST(&l, "0-10:3:1");
	CHECK(strcmp(unmapped, "") == 0);
	pool.fail_in = 1;                                       /* edges need no node */
	CHECK_EQ(rm(&l, 0, 2), 0);
	CHECK_EQ(rm(&l, 8, 12), 0);
	CHECK_LIST(&l, "2-8:3:1");
	vma_list_clear(&l, NULL, NULL);
}

static void mprotect_splits_and_merges(void)
{
	struct vma_list l;
	fresh(&l);

	ins(&l, 0, 10, RW, VM_ANON);
	CHECK_EQ(prot(&l, 3, 5, PROT_READ), 0);                 /* middle: three pieces */
	CHECK_LIST(&l, "0-3:3:1 3-5:1:1 5-10:3:1");
	CHECK_EQ(prot(&l, 3, 5, RW), 0);                        /* back: one again */
	CHECK_LIST(&l, "0-10:3:1");
	CHECK_EQ(prot(&l, 0, 4, PROT_NONE), 0);                 /* prefix */
	CHECK_EQ(prot(&l, 8, 10, PROT_NONE), 0);                /* suffix */
	CHECK_LIST(&l, "0-4:0:1 4-8:3:1 8-10:0:1");
	CHECK_EQ(prot(&l, 2, 9, PROT_NONE), 0);                 /* across three: merge all */
	CHECK_LIST(&l, "0-10:0:1");
	ins(&l, 10, 12, RW, VM_BRK);                            /* flags differ: no merge */
	CHECK_EQ(prot(&l, 10, 12, PROT_NONE), 0);
	CHECK_LIST(&l, "0-10:0:1 10-12:0:4");
	CHECK_EQ(prot(&l, 5, 11, RX), 0);                       /* across a flags boundary */
	CHECK_LIST(&l, "0-5:0:1 5-10:5:1 10-11:5:4 11-12:0:4");
	CHECK_EQ(vma_protect_range(&l, BASE, BASE + P(1), 8), -EINVAL);
	CHECK_EQ(vma_protect_range(&l, BASE + 5, BASE + P(1), 0), -EINVAL);
	vma_list_clear(&l, NULL, NULL);
}

static void mprotect_refuses_holes_and_changes_nothing(void)
{
	struct vma_list l;
	fresh(&l);

	ins(&l, 0, 4, RW, VM_ANON);
	ins(&l, 5, 8, RW, VM_ANON);
	CHECK_EQ(prot(&l, 2, 7, PROT_READ), -ENOMEM);           /* hole at 4 */
	CHECK_EQ(prot(&l, 4, 6, PROT_READ), -ENOMEM);           /* starts in the hole */
	CHECK_EQ(prot(&l, 6, 9, PROT_READ), -ENOMEM);           /* runs off the end */
	CHECK_EQ(prot(&l, 20, 21, PROT_READ), -ENOMEM);         /* nothing at all */
	CHECK_LIST(&l, "0-4:3:1 5-8:3:1");
	CHECK_EQ(prot(&l, 0, 4, PROT_READ), 0);                 /* exact fit: no split */
	CHECK_LIST(&l, "0-4:1:1 5-8:3:1");
	vma_list_clear(&l, NULL, NULL);
}

/* Every allocation a split needs can fail; the list must not move. */
static void mprotect_without_memory_changes_nothing(void)
{
	for (int fail = 1; fail <= 2; fail++) {
		struct vma_list l;
		fresh(&l);
		ins(&l, 0, 10, RW, VM_ANON);
		pool.fail_in = fail;
		CHECK_EQ(prot(&l, 3, 5, PROT_READ), -ENOMEM);   /* needs two nodes */
		CHECK_LIST(&l, "0-10:3:1");
		ins(&l, 10, 20, RX, VM_ANON);
		pool.fail_in = fail;
		CHECK_EQ(prot(&l, 5, 15, PROT_READ), -ENOMEM);  /* one at each end */
		CHECK_LIST(&l, "0-10:3:1 10-20:5:1");
		pool.fail_in = 2;                               /* unchanged side: no node */
		CHECK_EQ(prot(&l, 5, 15, RX), 0);
		CHECK_EQ(pool.fail_in, 1);                      /* exactly one taken */
		CHECK_LIST(&l, "0-5:3:1 5-20:5:1");
		pool.fail_in = 1;
		CHECK_EQ(prot(&l, 6, 9, RX), 0);                /* no change at all */
		CHECK_LIST(&l, "0-5:3:1 5-20:5:1");
		vma_list_clear(&l, NULL, NULL);
	}
}

static void find_free_goes_top_down(void)
{
	struct vma_list l;
	fresh(&l);
	uint32_t a = 0;
	uint32_t base = l.mmap_base;

	CHECK_EQ(base, 0xB8000000);
	CHECK_EQ(vma_find_free(&l, P(4), 0, &a), 0);
	CHECK_EQ(a, base - P(4));
	vma_insert(&l, USER_END - P(2048), USER_END, RW, VM_STACK);   /* above the base */
	vma_insert(&l, base - P(3), base, RW, VM_ANON);
	vma_insert(&l, base - P(10), base - P(5), RW, VM_ANON);      /* 2-page gap above */
	vma_insert(&l, base - P(20), base - P(12), RW, VM_ANON);     /* 2-page gap above */
	CHECK_EQ(vma_find_free(&l, P(2), 0, &a), 0);                 /* highest gap that fits */
	CHECK_EQ(a, base - P(5));
	CHECK_EQ(vma_find_free(&l, P(3), 0, &a), 0);                 /* below the fragments */
	CHECK_EQ(a, base - P(23));
	CHECK_EQ(vma_find_free(&l, P(1), base - P(12), &a), 0);      /* free hint */
	CHECK_EQ(a, base - P(12));
	CHECK_EQ(vma_find_free(&l, P(1), base - P(12) - 5, &a), 0);  /* rounded up */
	CHECK_EQ(a, base - P(12));
	CHECK_EQ(vma_find_free(&l, P(2), base - P(6), &a), 0);       /* taken: top-down */
	CHECK_EQ(a, base - P(5));
	CHECK_EQ(vma_find_free(&l, P(4), USER_END - P(4096), &a), 0);  /* hint above base */
	CHECK_EQ(a, USER_END - P(4096));
	CHECK_EQ(vma_find_free(&l, P(1), 0xFFFFF001, &a), 0);        /* would wrap: ignored */
	CHECK_EQ(a, base - P(4));
	CHECK_EQ(vma_find_free(&l, P(1), 0x10, &a), 0);              /* below the floor: ignored */
	CHECK_EQ(a, base - P(4));
	CHECK_EQ(vma_find_free(&l, P(1), MMAP_MIN_ADDR - 5, &a), 0); /* rounded up to it */
	CHECK_EQ(a, MMAP_MIN_ADDR);
	CHECK_EQ(vma_find_free(&l, P(2), 0xFFFFF000, &a), 0);        /* end would wrap */
	CHECK_EQ(a, base - P(5));
	CHECK_EQ(vma_find_free(&l, P(2), base - P(11), &a), 0);      /* second page taken */
	CHECK_EQ(a, base - P(5));
	CHECK_EQ(vma_find_free(&l, 0, 0, &a), -EINVAL);
	CHECK_EQ(vma_find_free(&l, 100, 0, &a), -EINVAL);
	CHECK_EQ(vma_find_free(&l, base - P(20) - MMAP_MIN_ADDR, 0, &a), 0);  /* exact fit */
	CHECK_EQ(a, MMAP_MIN_ADDR);
	CHECK_EQ(vma_find_free(&l, base - P(20) - MMAP_MIN_ADDR + P(1), 0, &a), -ENOMEM);
	CHECK_EQ(vma_find_free(&l, 0xFFFFF000, 0, &a), -ENOMEM);
	vma_list_clear(&l, NULL, NULL);
}

static void find_free_respects_the_floor(void)
{
	struct vma_list l;
	fresh(&l);
	uint32_t a = 0;

	l.mmap_base = MMAP_MIN_ADDR + P(3);
	CHECK_EQ(vma_find_free(&l, P(3), 0, &a), 0);
	CHECK_EQ(a, MMAP_MIN_ADDR);
	CHECK_EQ(vma_find_free(&l, P(4), 0, &a), -ENOMEM);
	vma_insert(&l, P(2), P(3), RW, 0);                      /* below the floor */
	CHECK_EQ(vma_find_free(&l, P(3), 0, &a), 0);
	CHECK_EQ(a, MMAP_MIN_ADDR);
	CHECK_EQ(vma_find_free(&l, P(4), 0, &a), -ENOMEM);
	vma_list_clear(&l, NULL, NULL);
}

static void dup_copies_and_fails_cleanly(void)
{
	struct vma_list l, d;

	fresh(&l);

	ins(&l, 0, 2, RX, 0);
	ins(&l, 4, 6, RW, VM_BRK);
	ins(&l, 8, 9, RW, VM_STACK);
	l.mmap_base = 0x50000000;
	for (int fail = 1; fail <= 3; fail++) {
		pool.fail_in = fail;
		CHECK_EQ(vma_list_dup(&d, &l), -ENOMEM);
		CHECK_EQ(d.nr, 0);
		CHECK(list_empty(&d.head));
		CHECK_EQ(pool.live, 3);                         /* nothing leaked */
	}
	CHECK_EQ(vma_list_dup(&d, &l), 0);
	CHECK_EQ(d.mmap_base, 0x50000000);
	CHECK(strcmp(show(&d), "0-2:5:0 4-6:3:4 8-9:3:2") == 0);
	CHECK_EQ(rm(&d, 0, 9), 0);                              /* the copy is independent */
	CHECK_LIST(&l, "0-2:5:0 4-6:3:4 8-9:3:2");
	unmapped[0] = 0;
	vma_list_clear(&l, record, NULL);
	CHECK(strcmp(unmapped, "0-2 4-6 8-9") == 0);
	CHECK_EQ(l.nr, 0);
	CHECK_EQ(pool.live, 0);
}

/*
 * A random run against a page array over 48 pages: each operation must
 * do exactly what the model says, or fail with -ENOMEM (injected) and
 * change nothing; munmap must report exactly the pages that were mapped.
 */
#define NPAGES 48
struct page_model {
	bool mapped;
	uint32_t prot, flags;
};

static void check_against_model(const struct vma_list *l, const struct page_model *m)
{
	check_invariants(l);
	for (int i = 0; i < NPAGES; i++) {
		const struct vma *v = vma_find(l, BASE + P(i));
		CHECK_EQ(v != NULL, m[i].mapped);
		if (v && m[i].mapped)
			CHECK(v->prot == m[i].prot && v->flags == m[i].flags);
	}
}

static bool unmap_seen[NPAGES];
static void mark_unmapped(void *ctx, uint32_t s, uint32_t e)
{
	(void)ctx;
	for (uint32_t a = s; a < e; a += PAGE_SIZE) {
		int i = (int)((a - BASE) / PAGE_SIZE);
		CHECK(i >= 0 && i < NPAGES && !unmap_seen[i]);
		if (i >= 0 && i < NPAGES)
			unmap_seen[i] = true;
	}
}

static void random_operations_match_a_page_model(void)
{
	struct vma_list l;
	fresh(&l);
	struct page_model m[NPAGES] = { 0 };
	uint32_t seed = 2024;
	int done[3] = { 0 }, failures_before = check_failures;

	for (int step = 0; step < 30000; step++) {
		seed = seed * 1103515245 + 12345;
		int a = (seed >> 8) % NPAGES, b = a + 1 + (seed >> 16) % 6;
		if (b > NPAGES)
			b = NPAGES;
		uint32_t p = (seed >> 20) % 3 == 0 ? RW : (seed >> 20) % 3 == 1 ? RX : PROT_READ;
		uint32_t f = (seed >> 24) % 4 == 0 ? VM_BRK : VM_ANON;
		int op = (seed >> 26) % 3;
		int injected = pool.fail_in = (seed >> 28) % 4 == 0 ? 1 + (seed >> 29) % 2 : 0;
		bool any_mapped = false, all_mapped = true;
		for (int i = a; i < b; i++) {
			any_mapped |= m[i].mapped;
			all_mapped &= m[i].mapped;
		}

		int r;
		if (op == 0) {
			r = ins(&l, a, b, p, f);
			if (any_mapped)
				CHECK_EQ(r, -EEXIST);
			else if (r == 0)
				for (int i = a; i < b; i++)
					m[i] = (struct page_model){ true, p, f };
		} else if (op == 1) {
			memset(unmap_seen, 0, sizeof(unmap_seen));
			r = vma_remove_range(&l, BASE + P(a), BASE + P(b), mark_unmapped, NULL);
			for (int i = 0; i < NPAGES; i++)
				CHECK_EQ(unmap_seen[i], r == 0 && i >= a && i < b && m[i].mapped);
			if (r == 0)
				for (int i = a; i < b; i++)
					m[i].mapped = false;
		} else {
			r = prot(&l, a, b, p);
			if (!all_mapped)
				CHECK_EQ(r, -ENOMEM);
			else if (r == 0)
				for (int i = a; i < b; i++)
					m[i].prot = p;
		}
		CHECK(r == 0 || r == -ENOMEM || (op == 0 && r == -EEXIST));
		CHECK(r != -ENOMEM || (injected && pool.fail_in == 0) || (op == 2 && !all_mapped));
		done[op] += r == 0;
		pool.fail_in = 0;
		/* The model changed only on success: a failed call must have left
		 * the list as it was. */
		check_against_model(&l, m);
		if (check_failures != failures_before)
			break;                  /* one diagnosis, not thousands */
	}
	CHECK(done[0] > 1000 && done[1] > 1000 && done[2] > 1000);
	vma_list_clear(&l, NULL, NULL);
	CHECK_EQ(pool.live, 0);
}

TEST_MAIN(TEST(insert_sorts_and_refuses_overlap), TEST(insert_merges_matching_neighbours),
	  TEST(find_uses_half_open_ranges), TEST(munmap_splits_trims_and_drops),
	  TEST(munmap_split_without_memory_changes_nothing), TEST(mprotect_splits_and_merges),
	  TEST(mprotect_refuses_holes_and_changes_nothing),
	  TEST(mprotect_without_memory_changes_nothing), TEST(find_free_goes_top_down),
	  TEST(find_free_respects_the_floor), TEST(dup_copies_and_fails_cleanly),
	  TEST(random_operations_match_a_page_model))
