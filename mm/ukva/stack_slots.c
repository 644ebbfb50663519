/*
 * mm=per-mm's stack slots (window.h draws them): "allocated within the
 * per-MM area dynamically".  Stacks are mapped with ukva_map_stack
 * (window.c), as in every window.
 *
 * A slot is free when its first stack PTE is empty.  Its guard PTE is
 * never present, but carries SLOT_USED once a stack has been there: the
 * TLB of a CPU that ran a thread of the mm may still hold the old
 * translation, so a slot used before is flushed on the mm's CPUs before
 * a new stack moves in (freeing cannot flush: it may run with interrupts
 * off, at a task's last switch, where waiting for other CPUs deadlocks).
 * slot_lock guards the slot PTE pages; it is taken with interrupts off
 * and nothing is sent to other CPUs under it.
 */
#include "mm/ukva/modes.h"
#include "mm/ukva/window.h"
#include "mm/mm.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"
#include "mm/tlbflush.h"
#include "kernel/errno.h"
#include "kernel/task.h"

/* In a guard PTE (never present, so the CPU ignores the bit): a stack was here. */
#define SLOT_USED       (1ULL << 10)

/* The lowest address of slot i's stack (above its guard page). */
static uintptr_t slot_stack(unsigned i)
{
	return MM_STACKS_START + (i / MM_STACK_SLOTS_PER_PTE) * PMD_SIZE +
	       ((i % MM_STACK_SLOTS_PER_PTE) * MM_STACK_SLOT_PAGES + 1) * PAGE_SIZE;
}

unsigned ukva_stack_slot_of(const void *stack)
{
	uintptr_t off = (uintptr_t)stack - MM_STACKS_START;

	return (unsigned)(off / PMD_SIZE) * MM_STACK_SLOTS_PER_PTE +
	       (unsigned)((off % PMD_SIZE) / PAGE_SIZE) / MM_STACK_SLOT_PAGES;
}

/* Give PTE page k of w's stack area the page spare, and mm's kernel PMD copy its entry. */
static void install_pte_page(struct ukva_window *w, unsigned k, struct page *spare)
{
	w->stack_ptes[k] = spare;
	pmd_t *copy = kmap_atomic(w->kernel_pmd);
	set_pmd(&copy[MM_STACKS_PMD_FIRST + k], ukva_window_pmd(page_to_pfn(spare)));
	kunmap_atomic(copy);
}

/*
 * Map stack in the first free slot among slots [from, to) of PTE page k
 * (which exists); returns its index or -1.  *reused: a stack was there
 * before.  slot_lock held.
 */
static int take_slot(struct ukva_window *w, unsigned k, unsigned from, unsigned to,
		     struct page *stack, bool *reused)
{
	pte_t *ptes = kmap_atomic(w->stack_ptes[k]);
	int got = -1;

	for (unsigned s = from; s < to && got < 0; s++) {
		unsigned e = s * MM_STACK_SLOT_PAGES;
		if (!pte_none(ptes[e + 1]))
			continue;
		*reused = pte_val(ptes[e]) & SLOT_USED;
		set_pte(&ptes[e], __pte(SLOT_USED));
		ukva_map_stack(ptes, e + 1, stack);
		got = (int)(k * MM_STACK_SLOTS_PER_PTE + s);
	}
	kunmap_atomic(ptes);
	return got;
}

/*
 * Claim slot want, or any free one (want < 0), for stack: in the PTE pages
 * there are first, else in a new one made of spare (a zeroed page, or
 * NULL).  Returns the slot or -1; *spare_used when spare became a PTE
 * page.  slot_lock held.
 */
static int claim_slot(struct ukva_window *w, int want, struct page *stack, struct page *spare,
		      bool *reused, bool *spare_used)
{
	if (want >= 0) {
		unsigned k = (unsigned)want / MM_STACK_SLOTS_PER_PTE;
		unsigned s = (unsigned)want % MM_STACK_SLOTS_PER_PTE;
		if (!w->stack_ptes[k]) {
			if (!spare)
				return -1;
			install_pte_page(w, k, spare);
			*spare_used = true;
		}
		return take_slot(w, k, s, s + 1, stack, reused);
	}
	for (unsigned k = 0; k < MM_STACKS_PMD_COUNT; k++) {
		int got = w->stack_ptes[k] ?
			take_slot(w, k, 0, MM_STACK_SLOTS_PER_PTE, stack, reused) : -1;
		if (got >= 0)
			return got;
	}
	for (unsigned k = 0; k < MM_STACKS_PMD_COUNT && spare; k++) {
		if (!w->stack_ptes[k]) {
			install_pte_page(w, k, spare);
			*spare_used = true;
			return take_slot(w, k, 0, MM_STACK_SLOTS_PER_PTE, stack, reused);
		}
	}
	return -1;
}

int ukva_stack_slot_alloc(struct task *t, struct mm *mm, int want)
{
	struct ukva_window *w = mm->window;
	struct page *spare = alloc_pgtable_page(GFP_HIGHMEM);
	bool reused = false, spare_used = false;

	uint32_t flags = spin_lock_irqsave(&w->slot_lock);
	int slot = claim_slot(w, want, t->stack_pages, spare, &reused, &spare_used);
	spin_unlock_irqrestore(&w->slot_lock, flags);
	if (!spare_used)
		free_pgtable_page(spare);
	if (slot < 0)
		return spare ? -EAGAIN : -ENOMEM;
	uintptr_t stack = slot_stack((unsigned)slot);
	if (reused)
		flush_tlb_mm_range(mm, stack - PAGE_SIZE, stack + KSTACK_SIZE);
	__atomic_add_fetch(&mm->slot_refs, 1, __ATOMIC_RELAXED);
	mm_get(mm);
	t->stack_mm = mm;
	t->stack = (void *)stack;
	t->thread.esp0 = stack + KSTACK_SIZE;
	return 0;
}

void ukva_stack_slot_release(struct mm *mm, const void *stack)
{
	struct ukva_window *w = mm->window;
	unsigned i = ukva_stack_slot_of(stack);
	unsigned e = (i % MM_STACK_SLOTS_PER_PTE) * MM_STACK_SLOT_PAGES;

	uint32_t flags = spin_lock_irqsave(&w->slot_lock);
	pte_t *ptes = kmap_atomic(w->stack_ptes[i / MM_STACK_SLOTS_PER_PTE]);
	for (unsigned p = 1; p < MM_STACK_SLOT_PAGES; p++)
		pte_clear(&ptes[e + p]);
	kunmap_atomic(ptes);
	spin_unlock_irqrestore(&w->slot_lock, flags);
	__atomic_sub_fetch(&mm->slot_refs, 1, __ATOMIC_RELAXED);
	mm_put(mm);
}

void ukva_stack_slot_free(struct task *t)
{
	struct mm *mm = t->stack_mm;

	t->stack_mm = NULL;
	ukva_stack_slot_release(mm, t->stack);
}
