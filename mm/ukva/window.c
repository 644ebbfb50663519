/*
 * Building and tearing down UKVA windows (window.h draws one).
 *
 * A window is a copy of the kernel PMD whose entries 0-507 equal the
 * global ones forever (paging_init fixed them at boot) and whose entries
 * 508-511 are private, plus the PTE page behind entry 511.  In mm=per-cpu
 * a window is only that PTE page: the CPU's copy points at it.  Both pages may
 * come from highmem: the CPU only needs their physical addresses, and the
 * kernel writes them through kmap_atomic here and through the window
 * itself afterwards.
 */
#include "mm/ukva/modes.h"
#include "mm/ukva/window.h"
#include "numa/ktext.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/memstat.h"
#include "mm/page_alloc.h"

/* Window entries: present, writable, supervisor, never global. */
#define WINDOW_TABLE    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define WINDOW_PAGE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)

pmd_t ukva_window_pmd(pfn_t pfn)
{
	return pfn_pmd(pfn, __pgprot(WINDOW_TABLE));
}

pte_t ukva_window_pte(pfn_t pfn)
{
	return pfn_pte(pfn, __pgprot(WINDOW_PAGE));
}

void ukva_map_stack(pte_t *ptes, unsigned first, struct page *stack)
{
	for (unsigned i = 0; i < UKVA_STACK_PAGES; i++)
		set_pte(&ptes[first + i], ukva_window_pte(page_to_pfn(stack) + i));
}

/* The copy's shared entries, then its window entries 508-511 for mm and w's page. */
static void window_fill_copy(pmd_t *copy, const struct ukva_window *w, struct mm *mm)
{
	for (int i = 0; i < UKVA_PMD_FIRST; i++)
		copy[i] = swapper_pmd[i];
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pmd(&copy[UKVA_PMD_FIRST + i], ukva_window_pmd(page_to_pfn(mm->pmd_pages[i])));
	set_pmd(&copy[UKVA_SELF_PMD], ukva_window_pmd(page_to_pfn(w->window_pte)));
}

/*
 * Fill the window page (and the copy, if w has one of its own) for mm,
 * and a stack, for the per-task and per-cpu windows.
 */
static void window_fill(struct ukva_window *w, struct mm *mm, struct page *stack)
{
	uint32_t flags = local_irq_save();
	pte_t *slots = kmap_atomic(w->window_pte);

	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pte(&slots[UKVA_SLOT_USER_PMD + i], ukva_window_pte(page_to_pfn(mm->pmd_pages[i])));
	/* The task's kernel stack: highmem mapped nowhere else, or a lowmem alias. */
	if (stack)
		ukva_map_stack(slots, UKVA_SLOT_STACK, stack);
	/*
	 * A window with a copy of its own is written through itself (slots 4
	 * and 5).  One without (per-cpu) has no self slot: a same-mm switch
	 * would have to INVLPG it; it is written through kmap_atomic.
	 */
	if (w->kernel_pmd) {
		pmd_t *copy = kmap_atomic(w->kernel_pmd);
		window_fill_copy(copy, w, mm);
		set_pte(&slots[UKVA_SLOT_KERNEL_PMD], ukva_window_pte(page_to_pfn(w->kernel_pmd)));
		set_pte(&slots[UKVA_SLOT_WINDOW], ukva_window_pte(page_to_pfn(w->window_pte)));
		kunmap_atomic(copy);
	}
	kunmap_atomic(slots);
	local_irq_restore(flags);
}

/* A window for mm (a kernel PMD copy of its own if with_copy); NULL when memory is short. */
static struct ukva_window *window_create(struct mm *mm, struct page *stack, bool with_copy)
{
	struct ukva_window *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	lowmem_charge_kmalloc(LOWMEM_WINDOW, sizeof(*w), 1);
	spin_lock_init(&w->slot_lock);
	w->kernel_pmd = with_copy ? alloc_pgtable_page(GFP_HIGHMEM) : NULL;
	w->window_pte = alloc_pgtable_page(GFP_HIGHMEM);
	if ((with_copy && !w->kernel_pmd) || !w->window_pte) {
		free_pgtable_page(w->kernel_pmd);
		free_pgtable_page(w->window_pte);
		kfree(w);
		lowmem_charge_kmalloc(LOWMEM_WINDOW, sizeof(*w), -1);
		return NULL;
	}
	window_fill(w, mm, stack);
	w->mm = mm;
	if (w->kernel_pmd)
		ktext_copy_init(w->kernel_pmd);        /* it maps swapper's text; switches repoint it */
	return w;
}

void ukva_window_set_slot(struct ukva_window *w, unsigned slot, pfn_t pfn)
{
	uint32_t flags = local_irq_save();
	pte_t *slots = kmap_atomic(w->window_pte);

	if (pfn)
		set_pte(&slots[slot], ukva_window_pte(pfn));
	else
		pte_clear(&slots[slot]);
	kunmap_atomic(slots);
	local_irq_restore(flags);
}

struct ukva_window *ukva_window_create(struct mm *mm, struct page *stack)
{
	return window_create(mm, stack, true);
}

struct ukva_window *ukva_window_page_create(struct mm *mm, struct page *stack)
{
	return window_create(mm, stack, false);
}

void ukva_window_destroy(struct ukva_window *w)
{
	if (!w)
		return;
	for (int i = 0; i < UKVA_PRIVATE_PAGES; i++)
		if (w->private[i])
			free_page(w->private[i]);
	for (int i = 0; i < MM_STACKS_PMD_COUNT; i++)
		free_pgtable_page(w->stack_ptes[i]);
	free_pgtable_page(w->kernel_pmd);
	free_pgtable_page(w->window_pte);
	pgd_free(w->pgd);
	kfree(w);
	lowmem_charge_kmalloc(LOWMEM_WINDOW, sizeof(*w), -1);
}
