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
#include "mm/mmdebug.h"
#include "kernel/errno.h"

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

/* The copy's shared entries, then its window entries 508-511 for mm and the window page. */
static void window_fill_copy(pmd_t *copy, struct page *window_pte, struct mm *mm)
{
	for (int i = 0; i < UKVA_PMD_FIRST; i++)
		copy[i] = swapper_pmd[i];
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		set_pmd(&copy[UKVA_PMD_FIRST + i], ukva_window_pmd(page_to_pfn(mm->pmd_pages[i])));
	set_pmd(&copy[UKVA_SELF_PMD], ukva_window_pmd(page_to_pfn(window_pte)));
}

/*
 * Fill the window page window_pte (and the copy kernel_pmd, if the window
 * has one of its own) for mm, and a stack, for the per-task and per-cpu
 * windows.
 */
static void window_fill(struct page *window_pte, struct page *kernel_pmd, struct mm *mm,
			struct page *stack)
{
	uint32_t flags = local_irq_save();
	pte_t *slots = kmap_atomic(window_pte);

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
	if (kernel_pmd) {
		pmd_t *copy = kmap_atomic(kernel_pmd);
		window_fill_copy(copy, window_pte, mm);
		set_pte(&slots[UKVA_SLOT_KERNEL_PMD], ukva_window_pte(page_to_pfn(kernel_pmd)));
		set_pte(&slots[UKVA_SLOT_WINDOW], ukva_window_pte(page_to_pfn(window_pte)));
		kunmap_atomic(copy);
		ktext_copy_init(kernel_pmd);    /* it maps swapper's text; switches repoint it */
	}
	kunmap_atomic(slots);
	local_irq_restore(flags);
}

/*
 * The pages of a window (a kernel PMD copy too if with_copy), filled for
 * mm and stack; false, with nothing allocated, when memory is short.
 */
static bool window_pages_create(struct page **window_pte, struct page **kernel_pmd, bool with_copy,
				struct mm *mm, struct page *stack)
{
	*kernel_pmd = with_copy ? alloc_pgtable_page(GFP_HIGHMEM) : NULL;
	*window_pte = alloc_pgtable_page(GFP_HIGHMEM);
	if ((with_copy && !*kernel_pmd) || !*window_pte) {
		free_pgtable_page(*kernel_pmd);
		free_pgtable_page(*window_pte);
		return false;
	}
	window_fill(*window_pte, *kernel_pmd, mm, stack);
	return true;
}

struct ukva_window *ukva_window_create(struct mm *mm)
{
	struct ukva_window *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	if (!window_pages_create(&w->window_pte, &w->kernel_pmd, true, mm, NULL)) {
		kfree(w);
		return NULL;
	}
	lowmem_charge_kmalloc(LOWMEM_WINDOW, sizeof(*w), 1);
	spin_lock_init(&w->slot_lock);
	return w;
}

void ukva_window_destroy(struct ukva_window *w)
{
	if (!w)
		return;
	for (int i = 0; i < MM_STACKS_PMD_COUNT; i++)
		free_pgtable_page(w->stack_ptes[i]);
	free_pgtable_page(w->kernel_pmd);
	free_pgtable_page(w->window_pte);
	kfree(w);
	lowmem_charge_kmalloc(LOWMEM_WINDOW, sizeof(*w), -1);
}

int ukva_task_window_create(struct task_window *tw, struct mm *mm, struct page *stack,
			    bool with_copy)
{
	struct page *window_pte, *kernel_pmd;

	if (!window_pages_create(&window_pte, &kernel_pmd, with_copy, mm, stack))
		return -ENOMEM;
	*tw = (struct task_window){ .page = page_to_pfn(window_pte) };
	if (kernel_pmd)
		tw->kernel_pmd = page_to_pfn(kernel_pmd);
	else
		tw->mm = mm;
	return 0;
}

void ukva_window_set_slot(pfn_t window_page, unsigned slot, pfn_t pfn)
{
	uint32_t flags = local_irq_save();
	pte_t *slots = kmap_atomic(pfn_to_page(window_page));

	if (pfn)
		set_pte(&slots[slot], ukva_window_pte(pfn));
	else
		pte_clear(&slots[slot]);
	kunmap_atomic(slots);
	local_irq_restore(flags);
}

pfn_t ukva_window_slot(pfn_t window_page, unsigned slot)
{
	uint32_t flags = local_irq_save();
	const pte_t *slots = kmap_atomic(pfn_to_page(window_page));
	pte_t pte = slots[slot];

	kunmap_atomic((void *)slots);
	local_irq_restore(flags);
	return pte_present(pte) ? pte_pfn(pte) : 0;
}

/*
 * Free the private frames of tw: read back from its window page, which
 * maps each exactly once (slots 16-47).
 */
static void free_private_frames(const struct task_window *tw)
{
	uint32_t flags = local_irq_save();
	pte_t *slots = kmap_atomic(pfn_to_page(tw->page));

	for (unsigned i = 0; i < UKVA_PRIVATE_PAGES; i++) {
		pte_t pte = slots[UKVA_SLOT_PRIVATE + i];
		VM_BUG_ON_MSG(pte_present(pte) != !!(tw->private_mask & (1u << i)),
			      "window: private page %u disagrees with the mask", i);
		if (pte_present(pte))
			free_page(pfn_to_page(pte_pfn(pte)));
	}
	kunmap_atomic(slots);
	local_irq_restore(flags);
}

void ukva_task_window_destroy(struct task_window *tw, bool with_copy)
{
	if (!tw->page)
		return;
	free_private_frames(tw);
	if (with_copy)
		free_pgtable_page(pfn_to_page(tw->kernel_pmd));
	free_pgtable_page(pfn_to_page(tw->page));
	*tw = (struct task_window){ 0 };
}
