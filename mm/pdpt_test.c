/*
 * The PDPT allocator (mm/pdpt.h) on a booted kernel: every PDPT is 32-byte
 * aligned, zeroed and its own; outside lowmem wherever there is highmem
 * below 4 GiB (and pdpt=lowmem is not given), kmalloc ones otherwise; and
 * every frame comes back when they are freed.
 */
#include "kernel/ktest.h"
#include "mm/pdpt.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "arch/i386/cpu.h"

#define NR_PDPTS        300             /* more than two frames of 128 */

static uint32_t pdpts[NR_PDPTS];

/* Does the PDPT at phys hold four entries equal to want (and write them if set)? */
static bool pdpt_holds(uint32_t phys, uint64_t want, bool set)
{
	uint32_t flags = local_irq_save();
	pgd_t *pgd = pdpt_map(phys);
	bool same = true;

	for (unsigned i = 0; i < PTRS_PER_PGD; i++) {
		same &= pgd_val(pgd[i]) == (set ? 0 : want);
		if (set)
			pgd[i] = __pgd(want);
	}
	pdpt_unmap(pgd);
	local_irq_restore(flags);
	return same;
}

static void pdpts_aligned_zeroed_distinct(struct ktest *t)
{
	unsigned long free_before = nr_free_pages(), pool_before = pdpt_pool_pages();
	unsigned misaligned = 0, dirty = 0, overlapped = 0, lowmem = 0;

	for (unsigned i = 0; i < NR_PDPTS; i++) {
		pdpts[i] = pdpt_alloc();
		KTEST_ASSERT(t, pdpts[i]);
		misaligned += pdpts[i] % PDPT_BYTES != 0;
		lowmem += pdpt_is_lowmem(pdpts[i]);
		/* Zeroed when handed out; then tagged with its own index. */
		dirty += !pdpt_holds(pdpts[i], 0x1000ull * (i + 1) | 1, true);
	}
	for (unsigned i = 0; i < NR_PDPTS; i++)
		overlapped += !pdpt_holds(pdpts[i], 0x1000ull * (i + 1) | 1, false);
	KTEST_EXPECT_EQ(t, misaligned, 0);
	KTEST_EXPECT_EQ(t, dirty, 0);
	KTEST_EXPECT_EQ(t, overlapped, 0);
	ktest_diag(t, "%u of %u PDPTs in lowmem; %lu pool frames", lowmem, NR_PDPTS,
		   pdpt_pool_pages() - pool_before);
	KTEST_EXPECT_EQ(t, lowmem, pdpt_from_highmem() ? 0 : NR_PDPTS);
	for (unsigned i = 0; i < NR_PDPTS; i++)
		pdpt_free(pdpts[i]);
	KTEST_EXPECT_EQ(t, pdpt_pool_pages(), pool_before);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

KTEST_SUITE(pdpt,
	KTEST_CASE(pdpts_aligned_zeroed_distinct));
