/*
 * The rule of mm/pgtable.h, enforced: set_pte on a present entry panics
 * with the entry and both values.  Run only when named
 * (ktest=pte_rewrite_report): the panic is the pass, and the harness
 * checks its report (tests/qemu/configs.py, machine pte-rewrite-report).
 * The entry is a word of a scratch page, not a live table, so nothing
 * else sees it; the two values differ in the high half, as a torn write
 * of a frame above 4 GiB would.
 */
#include "kernel/ktest.h"
#include "mm/pgtable.h"
#include "mm/page_alloc.h"

#define __noipa         __attribute__((noipa))

static __noipa void rewrite_present_pte(pte_t *entry)
{
	set_pte(entry, __pte(0x0000000123456000ULL | _PAGE_PRESENT | _PAGE_RW));
	set_pte(entry, __pte(0x0000000654321000ULL | _PAGE_PRESENT));   /* the bug */
}

static void set_pte_on_present_entry_panics(struct ktest *t)
{
	struct page *scratch = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KTEST_ASSERT(t, scratch);
	rewrite_present_pte(page_address(scratch));
	free_page(scratch);                     /* not reached: the check panics */
	KTEST_EXPECT(t, false);
}

KTEST_MANUAL_SUITE(pte_rewrite_report,
	KTEST_CASE(set_pte_on_present_entry_panics));
