/*
 * User PTEs through a window's linear map (window.h): the kernel reads and
 * writes the PTEs of the running address space without kmap, even when
 * the PTE pages live in highmem.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "kernel/counters.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "arch/i386/tlb.h"

/* Is mm's window the one this CPU is running on? */
static bool window_loaded(const struct mm *mm)
{
	return current->mm == mm && this_cpu()->loaded_cr3 == current->cr3;
}

/* The user PMD entry of addr, through window slots 0-2. */
static pmd_t *window_user_pmd(uintptr_t addr)
{
	return (pmd_t *)UKVA_SLOT(UKVA_SLOT_USER_PMD + pgd_index(addr)) + pmd_index(addr);
}

bool ukva_window_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c)
{
	if (!window_loaded(mm))
		return pte_map_kmap(mm, addr, alloc, c);
	return ukva_linear_pte_map(mm, addr, alloc, c);
}

bool ukva_linear_pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c)
{
	pmd_t *pmd = window_user_pmd(addr);
	if (pmd_none(*pmd)) {
		struct page *pt = alloc ? alloc_pgtable_page(GFP_HIGHUSER) : NULL;
		if (!pt)
			return false;
		set_pmd(pmd, pfn_pmd(page_to_pfn(pt), __pgprot(_PAGE_TABLE)));
		mm_account_pte_page(mm, pt, 1);
		/*
		 * The linear map now shows the new PTE page.  No flush: to the
		 * linear map this PMD entry is a PTE going from not present to
		 * present, which no TLB can hold (SDM vol. 3A 4.10.4.3).  A user
		 * PMD entry is only cleared with its mm, and leaving an mm flushes.
		 */
	}
	count_event_cpu(CNT_WINDOW_ACCESS);
	c->pte = (pte_t *)UKVA_PTES + (addr >> PAGE_SHIFT);
	c->kmapped = false;
	return true;
}
