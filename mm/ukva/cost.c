/*
 * What an mm and a task cost in each mode, counted from what they hold:
 * bytes of page tables (PGDs, PMDs, PTE pages, kernel PMD copies, window
 * pages) and bytes of lowmem (everything above that sits in the direct
 * map, plus the kmalloc'd structures and kernel stacks).  A kmalloc
 * object costs its size class, as that is what the slab gives up.
 */
#include "mm/ukva/modes.h"
#include "mm/mm.h"
#include "mm/kmalloc.h"
#include "mm/pdpt.h"
#include "kernel/task.h"

static uint32_t kmalloc_bytes(size_t size)
{
	return (uint32_t)kmalloc_size(size);
}

/* A page-table page: always page-table bytes, lowmem bytes when it is lowmem. */
static void add_table_page(struct ukva_cost *cost, const struct page *page)
{
	if (!page)
		return;
	cost->pgtable_bytes += PAGE_SIZE;
	if (!page_is_highmem(page))
		cost->lowmem_bytes += PAGE_SIZE;
}

/* A PGD: 32 bytes of page table, from a lowmem kmalloc class or a highmem frame (mm/pdpt.h). */
void ukva_cost_add_pgd(struct ukva_cost *cost, bool lowmem)
{
	cost->pgtable_bytes += PDPT_BYTES;
	if (lowmem)
		cost->lowmem_bytes += kmalloc_bytes(PDPT_BYTES);
}

void ukva_cost_add_window(struct ukva_cost *cost, const struct ukva_window *w)
{
	if (!w)
		return;
	cost->lowmem_bytes += kmalloc_bytes(sizeof(*w));
	add_table_page(cost, w->kernel_pmd);
	add_table_page(cost, w->window_pte);
	for (unsigned i = 0; i < MM_STACKS_PMD_COUNT; i++)
		add_table_page(cost, w->stack_ptes[i]);
}

/* Private frames are never counted: they are highmem (ukva_private_fault refuses others). */
void ukva_cost_add_task_window(struct ukva_cost *cost, const struct task_window *tw, bool with_copy)
{
	if (!tw->page)
		return;
	add_table_page(cost, pfn_to_page(tw->page));
	if (with_copy)
		add_table_page(cost, pfn_to_page(tw->kernel_pmd));
}

void ukva_cost_mm_base(const struct mm *mm, struct ukva_cost *cost)
{
	*cost = (struct ukva_cost){ 0 };
	cost->lowmem_bytes += kmalloc_bytes(sizeof(*mm)) + mm->vmas.nr * kmalloc_bytes(sizeof(struct vma));
	ukva_cost_add_pgd(cost, true);          /* the mm's PGD: kmalloc */
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		add_table_page(cost, mm->pmd_pages[i]);
	/* PTE pages come from highmem when there is any: count where they are. */
	cost->pgtable_bytes += mm->nr_pte_pages * PAGE_SIZE;
	cost->lowmem_bytes += mm->nr_pte_pages_lowmem * PAGE_SIZE;
}

void ukva_cost_task_base(const struct task *t, struct ukva_cost *cost)
{
	*cost = (struct ukva_cost){ 0 };
	cost->lowmem_bytes += kmalloc_bytes(sizeof(*t));
	if (!t->stack_pages || !page_is_highmem(t->stack_pages))
		cost->lowmem_bytes += KSTACK_SIZE;      /* init_task's is in the image */
}
