/*
 * Using a window: user PTEs through the linear map, leaving an mm, and
 * demand-filling the private area.
 */
#include "mm/ukva/ukva.h"
#include "mm/ukva/window.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/page_alloc.h"
#include "kernel/counters.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "arch/i386/tlb.h"

#define _PAGE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

/* Is mm's window the one this CPU is running on? */
static bool window_loaded(const struct mm *mm)
{
	return ukva_mode != UKVA_SHARED && current->mm == mm &&
	       this_cpu()->loaded_cr3 == current->cr3;
}

/* The user PMD entry of addr, through window slots 0-2. */
static pmd_t *window_user_pmd(uintptr_t addr)
{
	return (pmd_t *)UKVA_SLOT(UKVA_SLOT_USER_PMD + pgd_index(addr)) + pmd_index(addr);
}

enum ukva_pte_result ukva_pte(struct mm *mm, uintptr_t addr, bool alloc, pte_t **ptep)
{
	if (!window_loaded(mm))
		return UKVA_PTE_NO_WINDOW;
	pmd_t *pmd = window_user_pmd(addr);
	if (pmd_none(*pmd)) {
		struct page *pt = alloc ? alloc_pgtable_page() : NULL;
		if (!pt)
			return UKVA_PTE_NONE;
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
	*ptep = (pte_t *)UKVA_PTES + (addr >> PAGE_SHIFT);
	return UKVA_PTE_MAPPED;
}

void ukva_task_leave_mm(struct task *t)
{
	if (ukva_mode != UKVA_PER_TASK || !t->window) {
		task_load_pgd(t, kernel_pgd_phys());
		return;
	}
	/*
	 * Per-task: we run on the window's stack, so we keep the window and cut
	 * it off the mm: no user PGD entries, no linear map, no PMD slots.  The
	 * PDPT is cached by the CPU, so the change needs a CR3 reload.
	 */
	struct ukva_window *w = t->window;
	pmd_t *copy = (pmd_t *)UKVA_SLOT(UKVA_SLOT_KERNEL_PMD);
	pte_t *slots = (pte_t *)UKVA_SLOT(UKVA_SLOT_WINDOW);
	uint32_t flags = local_irq_save();
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		set_pgd(&w->pgd[i], __pgd(0));
		pmd_clear(&copy[UKVA_PMD_FIRST + i]);
		pte_clear(&slots[UKVA_SLOT_USER_PMD + i]);
	}
	flush_tlb_all_nonglobal();
	local_irq_restore(flags);
}

bool ukva_window_fault(uint32_t addr)
{
	struct ukva_window *w = current->window;

	if (ukva_mode != UKVA_PER_TASK || !w || addr < UKVA_PRIVATE || addr >= UKVA_PRIVATE_END)
		return false;
	unsigned i = (addr - UKVA_PRIVATE) / PAGE_SIZE;
	if (w->private[i])
		return false;                   /* mapped already: a real bug */
	/* From highmem: a frame the direct map does not cover is mapped nowhere else. */
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	if (!page || !page_is_highmem(page)) {
		if (page)
			free_page(page);
		return false;
	}
	w->private[i] = page;
	pte_t *slots = (pte_t *)UKVA_SLOT(UKVA_SLOT_WINDOW);
	set_pte(&slots[UKVA_SLOT_PRIVATE + i],
		pfn_pte(page_to_pfn(page), __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
						    _PAGE_DIRTY | _PAGE_NX)));
	count_event_cpu(CNT_WINDOW_FAULT);
	return true;
}
