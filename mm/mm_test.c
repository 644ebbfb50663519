/*
 * Address spaces without user mode: build mms, fault pages in, fork them,
 * write through mm_copy_to, and check frames and contents by walking the
 * page tables.  Every case ends with the free-frame count it started with.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"
#include "mm/zone.h"

#define AREA    0x10000000u

/* Read len bytes at addr of mm through its page tables (no fault-in). */
static bool mm_read(struct mm *mm, uintptr_t addr, void *dst, size_t len)
{
	struct pte_cursor c;
	bool ok = false;

	spin_lock(&mm->lock);
	if (pte_map(mm, addr, false, &c)) {
		if (pte_has_frame(*c.pte)) {
			char *page = kmap_atomic(pfn_to_page(pte_pfn(*c.pte)));
			memcpy(dst, page + (addr & (PAGE_SIZE - 1)), len);
			kunmap_atomic(page);
			ok = true;
		}
		pte_unmap(&c);
	}
	spin_unlock(&mm->lock);
	return ok;
}

static struct mm *mm_with_vma(struct ktest *t, uint32_t pages, uint32_t prot, uint32_t flags)
{
	struct mm *mm = mm_create();
	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, vma_insert(&mm->vmas, AREA, AREA + pages * PAGE_SIZE, prot, flags) == 0);
	return mm;
}

static struct mm *mm_with_area(struct ktest *t, uint32_t pages, uint32_t prot)
{
	return mm_with_vma(t, pages, prot, VM_ANON);
}

static void teardown_returns_every_frame(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm *mm = mm_with_area(t, 1024, PROT_READ | PROT_WRITE);

	/* Touch pages across two PTE pages (the area spans a 2 MiB boundary). */
	for (uint32_t i = 0; i < 1024; i += 7)
		KTEST_EXPECT_EQ(t, handle_mm_fault(mm, AREA + i * PAGE_SIZE, FAULT_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_user_pages, DIV_ROUND_UP(1024, 7));
	KTEST_EXPECT(t, nr_free_pages() < free_before);
	mm_put(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void demand_zero_and_permissions(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm *mm = mm_with_area(t, 4, PROT_READ);
	uint32_t word = 0xFFFFFFFF;

	KTEST_EXPECT_EQ(t, handle_mm_fault(mm, AREA, 0), 0);
	KTEST_EXPECT(t, mm_read(mm, AREA + 100, &word, sizeof(word)));
	KTEST_EXPECT_EQ(t, word, 0);
	KTEST_EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), -EFAULT);
	KTEST_EXPECT_EQ(t, handle_mm_fault(mm, AREA - PAGE_SIZE, 0), -EFAULT);
	pte_t pte = mm_lookup_pte(mm, AREA);
	KTEST_EXPECT(t, pte_present(pte) && (pte_val(pte) & _PAGE_USER));
	KTEST_EXPECT(t, !(pte_val(pte) & _PAGE_RW));
	mm_put(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void fork_copies_on_write(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm *parent = mm_with_area(t, 2, PROT_READ | PROT_WRITE);
	uint32_t v;

	KTEST_ASSERT(t, mm_put_user_u32(parent, AREA, 111) == 0);
	struct mm *child = mm_dup(parent);
	KTEST_ASSERT(t, child);
	pte_t pp = mm_lookup_pte(parent, AREA), cp = mm_lookup_pte(child, AREA);
	KTEST_EXPECT_EQ(t, pte_pfn(pp), pte_pfn(cp));                  /* shared */
	KTEST_EXPECT(t, !(pte_val(pp) & _PAGE_RW) && !(pte_val(cp) & _PAGE_RW));
	KTEST_EXPECT_EQ(t, pfn_to_page(pte_pfn(pp))->refcount, 2);

	KTEST_ASSERT(t, handle_mm_fault(child, AREA, FAULT_WRITE) == 0); /* the child writes */
	KTEST_ASSERT(t, mm_put_user_u32(child, AREA, 222) == 0);
	KTEST_EXPECT(t, pte_pfn(mm_lookup_pte(child, AREA)) != pte_pfn(mm_lookup_pte(parent, AREA)));
	KTEST_EXPECT(t, mm_read(parent, AREA, &v, sizeof(v)) && v == 111);
	KTEST_EXPECT(t, mm_read(child, AREA, &v, sizeof(v)) && v == 222);
	/* The parent's frame is its own again: its write fault just restores RW. */
	KTEST_EXPECT_EQ(t, pfn_to_page(pte_pfn(mm_lookup_pte(parent, AREA)))->refcount, 1);
	KTEST_EXPECT_EQ(t, handle_mm_fault(parent, AREA, FAULT_WRITE), 0);
	KTEST_EXPECT(t, pte_val(mm_lookup_pte(parent, AREA)) & _PAGE_RW);
	mm_put(child);
	mm_put(parent);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/*
 * A MAP_SHARED anonymous area has its pages filled on first touch, and by
 * fork for the pages nobody touched: afterwards parent and child map the
 * same frames, writable, and see each other's writes.
 */
static void fork_fills_and_shares_shared_areas(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm *parent = mm_with_vma(t, 3, PROT_READ | PROT_WRITE, VM_ANON | VM_SHARED);
	uint32_t v = 0;

	KTEST_ASSERT(t, handle_mm_fault(parent, AREA, FAULT_WRITE) == 0);
	KTEST_EXPECT(t, pte_val(mm_lookup_pte(parent, AREA)) & _PAGE_SHARED_ANON);
	KTEST_EXPECT_EQ(t, parent->nr_user_pages, 1);           /* lazy until the fork */
	struct mm *child = mm_dup(parent);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT_EQ(t, parent->nr_user_pages, 3);
	for (uint32_t a = AREA; a < AREA + 3 * PAGE_SIZE; a += PAGE_SIZE) {
		pte_t pp = mm_lookup_pte(parent, a), cp = mm_lookup_pte(child, a);
		KTEST_EXPECT(t, pte_present(pp) && pte_present(cp));
		KTEST_EXPECT_EQ(t, pte_pfn(pp), pte_pfn(cp));
		KTEST_EXPECT(t, (pte_val(pp) & pte_val(cp) & (_PAGE_RW | _PAGE_SHARED_ANON)) ==
				(_PAGE_RW | _PAGE_SHARED_ANON));
	}
	KTEST_ASSERT(t, handle_mm_fault(child, AREA + 2 * PAGE_SIZE, FAULT_WRITE) == 0);
	KTEST_ASSERT(t, mm_put_user_u32(child, AREA + 2 * PAGE_SIZE, 0x5A5A) == 0);
	KTEST_EXPECT(t, mm_read(parent, AREA + 2 * PAGE_SIZE, &v, sizeof(v)) && v == 0x5A5A);
	mm_put(child);
	mm_put(parent);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void prot_none_keeps_the_frame(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm *mm = mm_with_area(t, 1, PROT_READ | PROT_WRITE);
	uint32_t v = 0;

	KTEST_ASSERT(t, mm_put_user_u32(mm, AREA, 0x5EC4E7) == 0);
	spin_lock(&mm->lock);
	KTEST_EXPECT_EQ(t, vma_protect_range(&mm->vmas, AREA, AREA + PAGE_SIZE, PROT_NONE), 0);
	mm_protect_range(mm, AREA, AREA + PAGE_SIZE, PROT_NONE);
	spin_unlock(&mm->lock);
	pte_t pte = mm_lookup_pte(mm, AREA);
	KTEST_EXPECT(t, !pte_present(pte) && pte_has_frame(pte));
	KTEST_EXPECT_EQ(t, handle_mm_fault(mm, AREA, 0), -EFAULT);

	spin_lock(&mm->lock);
	KTEST_EXPECT_EQ(t, vma_protect_range(&mm->vmas, AREA, AREA + PAGE_SIZE, PROT_READ), 0);
	mm_protect_range(mm, AREA, AREA + PAGE_SIZE, PROT_READ);
	spin_unlock(&mm->lock);
	KTEST_EXPECT(t, mm_read(mm, AREA, &v, sizeof(v)) && v == 0x5EC4E7);
	mm_put(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/*
 * User page tables and pages come from highmem when the machine has its
 * own, and from lowmem when its highmem is only the mode's carve-out.
 */
static void page_tables_come_from_highmem(struct ktest *t)
{
	if (!zone_managed_pages(ZONE_HIGHMEM))
		ktest_skip(t, "no highmem on this machine");
	bool want_high = !highmem_carved_for_mode;
	struct mm *mm = mm_with_area(t, 1, PROT_READ | PROT_WRITE);
	KTEST_ASSERT(t, handle_mm_fault(mm, AREA, FAULT_WRITE) == 0);
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		KTEST_EXPECT_EQ(t, page_is_highmem(mm->pmd_pages[i]), want_high);
	pte_t pte = mm_lookup_pte(mm, AREA);
	KTEST_EXPECT_EQ(t, page_is_highmem(pfn_to_page(pte_pfn(pte))), want_high);
	mm_put(mm);
}

KTEST_SUITE(mm,
	KTEST_CASE(teardown_returns_every_frame),
	KTEST_CASE(demand_zero_and_permissions),
	KTEST_CASE(fork_copies_on_write),
	KTEST_CASE(fork_fills_and_shares_shared_areas),
	KTEST_CASE(prot_none_keeps_the_frame),
	KTEST_CASE(page_tables_come_from_highmem));
