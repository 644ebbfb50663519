/*
 * PDPTs out of lowmem (pdpt.h): 128 to a highmem frame below 4 GiB.
 *
 * A pool frame's bookkeeping is in its struct page, as a slab's is
 * (kmalloc.c): PG_pdpt, slab.inuse (PDPTs handed out), slab.freelist (the
 * offset of the first free one; a free PDPT holds the offset of the next
 * in its first word) and list (on the partial list while some are free).
 * So a PDPT costs no lowmem at all: the frame's descriptor exists anyway.
 * A frame whose last PDPT is freed goes back to the page allocator at
 * once, so free-page counts return when tasks exit.
 */
#include "mm/pdpt.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/mmdebug.h"
#include "mm/page_alloc.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#define PDPTS_PER_PAGE          (PAGE_SIZE / PDPT_BYTES)                /* 128 */
#define FREELIST_END            0xFFFFu

_Static_assert(PDPT_BYTES == 32, "a PAE PDPT is 4 entries of 8 bytes (SDM 4.4.1)");
_Static_assert(PAGE_SIZE % PDPT_BYTES == 0, "PDPTs tile a frame, each 32-byte aligned");

static spinlock_t pdpt_lock = SPINLOCK_INIT;    /* the partial list and the pool frames */
static struct list_head partial = LIST_HEAD_INIT(partial);
static unsigned long pool_pages;
static bool force_lowmem;

/* pdpt=lowmem: every PDPT from kmalloc, as on a machine without highmem below 4 GiB. */
static int set_pdpt(const char *v)
{
	if (!v || strcmp(v, "lowmem"))
		return -EINVAL;
	force_lowmem = true;
	return 0;
}
BOOT_PARAM("pdpt", set_pdpt, "lowmem");

/* A new pool frame, every PDPT free and chained, or NULL when there is none below 4 GiB. */
static struct page *pool_page_create(void)
{
	struct page *page = alloc_highmem_page_below_4g();
	if (!page)
		return NULL;
	uint32_t flags = local_irq_save();
	uint16_t *frame = kmap_atomic(page);
	for (unsigned i = 0; i < PDPTS_PER_PAGE; i++)
		frame[i * PDPT_BYTES / 2] = i + 1 < PDPTS_PER_PAGE ? (uint16_t)((i + 1) * PDPT_BYTES)
								   : FREELIST_END;
	kunmap_atomic(frame);
	local_irq_restore(flags);
	page->flags |= PG_pdpt;
	page->slab.inuse = 0;
	page->slab.freelist = 0;
	return page;
}

/* Take the first free PDPT of partial frame page, zeroed.  pdpt_lock held. */
static uint32_t pool_take(struct page *page)
{
	unsigned off = page->slab.freelist;
	char *frame = kmap_atomic(page);

	page->slab.freelist = *(uint16_t *)(frame + off);
	memset(frame + off, 0, PDPT_BYTES);
	kunmap_atomic(frame);
	if (++page->slab.inuse == PDPTS_PER_PAGE)
		list_del_init(&page->list);
	return (uint32_t)page_to_phys(page) + off;
}

/* A PDPT from the pool, growing it by a frame if need be; 0 when there is no frame. */
static uint32_t pool_alloc(void)
{
	struct page *spare = NULL;

	for (;;) {
		uint32_t flags = spin_lock_irqsave(&pdpt_lock);
		if (list_empty(&partial) && spare) {
			list_add(&spare->list, &partial);
			pool_pages++;
			spare = NULL;
		}
		uint32_t phys = list_empty(&partial) ? 0 :
				pool_take(list_first_entry(&partial, struct page, list));
		spin_unlock_irqrestore(&pdpt_lock, flags);
		if (phys || spare) {
			if (spare)              /* another CPU grew the pool meanwhile */
				free_page(spare);
			return phys;
		}
		spare = pool_page_create();
		if (!spare)
			return 0;
	}
}

/* Give the PDPT at phys back to its pool frame; the frame goes when it is empty. */
static void pool_free(uint32_t phys)
{
	struct page *page = phys_to_page(phys);
	unsigned off = phys & ~PAGE_MASK;
	struct page *empty = NULL;

	VM_BUG_ON_MSG(!(page->flags & PG_pdpt) || off % PDPT_BYTES, "pdpt_free(0x%x): not a PDPT", phys);
	uint32_t flags = spin_lock_irqsave(&pdpt_lock);
	char *frame = kmap_atomic(page);
	*(uint16_t *)(frame + off) = page->slab.freelist;
	kunmap_atomic(frame);
	page->slab.freelist = (uint16_t)off;
	if (page->slab.inuse-- == PDPTS_PER_PAGE)
		list_add(&page->list, &partial);
	if (page->slab.inuse == 0) {
		list_del_init(&page->list);
		pool_pages--;
		empty = page;
	}
	spin_unlock_irqrestore(&pdpt_lock, flags);
	if (empty) {
		empty->flags &= ~PG_pdpt;
		free_page(empty);
	}
}

bool pdpt_is_lowmem(uint32_t phys)
{
	return (phys >> PAGE_SHIFT) < lowmem_pfn_limit;
}

uint32_t pdpt_alloc(void)
{
	uint32_t phys = force_lowmem ? 0 : pool_alloc();
	if (phys)
		return phys;
	pgd_t *pgd = pgd_alloc();               /* an mm's PGD: kmalloc-32 */
	return pgd ? (uint32_t)virt_to_phys(pgd) : 0;
}

void pdpt_free(uint32_t phys)
{
	if (!pdpt_is_lowmem(phys)) {
		pool_free(phys);
		return;
	}
	pgd_free(phys_to_virt(phys));
}

pgd_t *pdpt_map(uint32_t phys)
{
	return (pgd_t *)((char *)kmap_atomic(phys_to_page(phys)) + (phys & ~PAGE_MASK));
}

void pdpt_unmap(pgd_t *pgd)
{
	kunmap_atomic(pgd);
}

bool pdpt_from_highmem(void)
{
	return !force_lowmem && zone_managed_pages(ZONE_HIGHMEM) &&
	       zone_start_pfn(ZONE_HIGHMEM) < PFN_4G;
}

unsigned long pdpt_pool_pages(void)
{
	return __atomic_load_n(&pool_pages, __ATOMIC_RELAXED);
}
