/*
 * The buddy allocator (Knowlton 1965; Linux mm/page_alloc.c in spirit).
 *
 * Each zone keeps, per order k, a list of free blocks of 2^k frames whose
 * first pfn is a multiple of 2^k.  The buddy of the block at pfn is at
 * pfn ^ 2^k; when both are free they merge into one block of order k+1.
 * Only a block's head page carries PG_buddy and the order.  Zone limits
 * are multiples of the largest block, so a block never spans two zones;
 * holes are PG_reserved and so never look like a free buddy.
 *
 * NUMA: each zone keeps one set of lists per node, and a block never mixes
 * nodes (a buddy of another node is never merged).  An allocation asks a
 * node first (the running CPU's, unless the caller names one) and falls
 * back to the others nearest first, zone by zone: highmem on every node
 * before any lowmem, as lowmem is the scarce resource on i386.
 */
#include "mm/zone.h"
#include "mm/highmem.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/panic.h"
#include "arch/i386/percpu.h"

_Static_assert((LOWMEM_PFN_MAX & ((1u << (MAX_ORDER - 1)) - 1)) == 0,
	       "the lowmem limit must be aligned to the largest buddy block");
_Static_assert((PFN_4G & ((1u << (MAX_ORDER - 1)) - 1)) == 0,
	       "no buddy block straddles 4 GiB: a block is below it or not");

struct zone zones[NR_ZONES] = {
	[ZONE_NORMAL]  = { .name = "Normal" },
	[ZONE_HIGHMEM] = { .name = "HighMem" },
};

/* A corrupted allocator state: stop before it spreads. */
static __noreturn void bad_page(const struct page *page, const char *why)
{
	panic("mm: bad page: pfn 0x%x flags 0x%x order %u refcount %u: %s",
	      page_to_pfn(page), page->flags, page->order, page->refcount, why);
}

/* Allocations by the node asked first: served there (local) or elsewhere (remote). */
static unsigned long node_alloc_local[MAX_NUMNODES], node_alloc_remote[MAX_NUMNODES];

/*
 * Is page a highmem frame below 4 GiB on a machine with highmem above it?
 * Those are kept at the tail of their free lists, the others at the head:
 * allocations take the head, so they use the frames below 4 GiB last, and
 * the callers who need one (a PAE PDPT, which CR3 reaches with 32 bits:
 * mm/pdpt.c) find it at the tail, with no walk.  Where all highmem is
 * below 4 GiB there is nothing to keep it for, and every list stays last
 * in, first out: a frame just freed, warm in the caches and backed by the
 * host, is the next one handed out.
 */
static bool keep_for_last(const struct zone *z, const struct page *page)
{
	return z == &zones[ZONE_HIGHMEM] && page_to_pfn(page) < PFN_4G && max_pfn > PFN_4G;
}

static void add_to_free_area(struct zone *z, struct page *page, unsigned order)
{
	struct free_area *area = &z->free_area[page_to_nid(page)][order];

	page->flags |= PG_buddy;
	page->order = (uint8_t)order;
	if (keep_for_last(z, page))
		list_add_tail(&page->list, &area->free_list);
	else
		list_add(&page->list, &area->free_list);
	area->nr_free++;
}

static void del_from_free_area(struct zone *z, struct page *page, unsigned order)
{
	list_del_init(&page->list);
	page->flags &= ~PG_buddy;
	z->free_area[page_to_nid(page)][order].nr_free--;
}

/* Is the frame at pfn the head of a free block of exactly this order and node in z? */
static bool is_free_buddy(const struct zone *z, pfn_t pfn, unsigned order, unsigned nid)
{
	if (pfn < z->start_pfn || pfn >= z->end_pfn)
		return false;
	const struct page *p = pfn_to_page(pfn);
	return (p->flags & PG_buddy) && p->order == order && page_to_nid(p) == nid;
}

/* Return a block to z, merging with its buddies as far as they are free. Lock held. */
static void __free_block(struct zone *z, pfn_t pfn, unsigned order)
{
	unsigned nid = page_to_nid(pfn_to_page(pfn));

	z->free_pages += 1ul << order;
	z->node_free[nid] += 1ul << order;
	while (order < MAX_ORDER - 1) {
		pfn_t buddy = pfn ^ (1u << order);
		if (!is_free_buddy(z, buddy, order, nid))
			break;
		del_from_free_area(z, pfn_to_page(buddy), order);
		pfn &= ~(1u << order);
		order++;
	}
	add_to_free_area(z, pfn_to_page(pfn), order);
}

/* Take the free block page of order k (node nid) from z, keeping 2^order frames. Lock held. */
static struct page *take_block(struct zone *z, unsigned nid, struct page *page, unsigned k,
			       unsigned order)
{
	del_from_free_area(z, page, k);
	/* Hand the upper halves back until the block is the size asked for. */
	while (k > order) {
		k--;
		add_to_free_area(z, page + (1u << k), k);
	}
	z->free_pages -= 1ul << order;
	z->node_free[nid] -= 1ul << order;
	return page;
}

/*
 * Take a block of 2^order frames of node nid from z, splitting a larger
 * one: the smallest that fits, but a highmem block below 4 GiB only when
 * no size has another (keep_for_last).  Lock held.
 */
static struct page *__alloc_block(struct zone *z, unsigned nid, unsigned order)
{
	struct free_area *area = z->free_area[nid];
	struct page *last_resort = NULL;
	unsigned last_k = 0;

	for (unsigned k = order; k < MAX_ORDER; k++) {
		if (list_empty(&area[k].free_list))
			continue;
		struct page *page = list_first_entry(&area[k].free_list, struct page, list);
		if (!keep_for_last(z, page))
			return take_block(z, nid, page, k, order);
		if (!last_resort) {
			last_resort = page;
			last_k = k;
		}
	}
	return last_resort ? take_block(z, nid, last_resort, last_k, order) : NULL;
}

/* A free block of node nid in z below 4 GiB, smallest first: a list's tail (add_to_free_area). Lock held. */
static struct page *find_block_below_4g(struct zone *z, unsigned nid, unsigned *order)
{
	for (unsigned k = 0; k < MAX_ORDER; k++) {
		struct list_head *head = &z->free_area[nid][k].free_list;
		if (list_empty(head))
			continue;
		struct page *page = list_entry(head->prev, struct page, list);
		if (page_to_pfn(page) < PFN_4G) {
			*order = k;
			return page;
		}
	}
	return NULL;
}

static void prep_new_pages(struct page *page, unsigned order, gfp_t gfp)
{
	for (unsigned i = 0; i < (1u << order); i++) {
		if (page[i].flags & (PG_buddy | PG_reserved) || page[i].refcount)
			bad_page(&page[i], "allocating a page that is in use");
		if (gfp & __GFP_ZERO)
			clear_highpage(&page[i]);       /* highmem through kmap_atomic */
	}
	page->refcount = 1;
}

/* A block from zone z, trying nid's nodes nearest first; NULL when none has one. */
static struct page *alloc_from_zone(struct zone *z, unsigned nid, unsigned order)
{
	uint32_t flags = spin_lock_irqsave(&z->lock);
	struct page *page = NULL;

	for (unsigned i = 0; i < nr_nodes && !page; i++)
		page = __alloc_block(z, node_fallback[nid][i], order);
	spin_unlock_irqrestore(&z->lock, flags);
	return page;
}

/* The zones gfp may take from, in the order to try them; returns how many. */
static unsigned zone_order(gfp_t gfp, enum zone_type order[2])
{
	if (!(gfp & __GFP_HIGHMEM)) {
		order[0] = ZONE_NORMAL;
		return 1;
	}
	bool lowmem_first = (gfp & __GFP_USER) && highmem_carved_for_mode;
	order[0] = lowmem_first ? ZONE_NORMAL : ZONE_HIGHMEM;
	order[1] = lowmem_first ? ZONE_HIGHMEM : ZONE_NORMAL;
	return 2;
}

struct page *alloc_pages_node(unsigned nid, gfp_t gfp, unsigned order)
{
	enum zone_type order_of_zones[2];
	unsigned nr_tries = zone_order(gfp, order_of_zones);

	if (order >= MAX_ORDER || nid >= nr_nodes)
		return NULL;
	for (unsigned i = 0; i < nr_tries; i++) {
		struct page *page = alloc_from_zone(&zones[order_of_zones[i]], nid, order);
		if (page) {
			__atomic_add_fetch(page_to_nid(page) == nid ? &node_alloc_local[nid]
					   : &node_alloc_remote[nid], 1, __ATOMIC_RELAXED);
			prep_new_pages(page, order, gfp);
			return page;
		}
	}
	return NULL;
}

struct page *alloc_highmem_page_below_4g(void)
{
	struct zone *z = &zones[ZONE_HIGHMEM];
	struct page *page = NULL;

	uint32_t flags = spin_lock_irqsave(&z->lock);
	for (unsigned nid = 0; nid < nr_nodes && !page; nid++) {
		unsigned k;
		struct page *block = find_block_below_4g(z, nid, &k);
		if (block)
			page = take_block(z, nid, block, k, 0);
	}
	spin_unlock_irqrestore(&z->lock, flags);
	if (page)
		prep_new_pages(page, 0, 0);
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned order)
{
	return alloc_pages_node(cpu_to_node(this_cpu()->id), gfp, order);
}

void free_pages(struct page *page, unsigned order)
{
	if (page->flags & (PG_buddy | PG_reserved))
		bad_page(page, "freeing a page that is free or reserved");
	if (order >= MAX_ORDER || (page_to_pfn(page) & ((1u << order) - 1)))
		bad_page(page, "freeing a block with a bad order or alignment");
	page->refcount = 0;
	struct zone *z = &zones[page->zone];
	uint32_t flags = spin_lock_irqsave(&z->lock);
	__free_block(z, page_to_pfn(page), order);
	spin_unlock_irqrestore(&z->lock, flags);
}

unsigned long nr_free_pages(void)
{
	return zones[ZONE_NORMAL].free_pages + zones[ZONE_HIGHMEM].free_pages;
}

bool below_task_reserve(void)
{
	return zone_free_pages(ZONE_NORMAL) < TASK_RESERVE_PAGES ||
	       nr_free_pages() < TASK_RESERVE_PAGES;
}

unsigned long zone_free_pages(enum zone_type zone)
{
	return zones[zone].free_pages;
}

unsigned long zone_node_free_pages(enum zone_type zone, unsigned nid)
{
	return zones[zone].node_free[nid];
}

unsigned long zone_node_managed_pages(enum zone_type zone, unsigned nid)
{
	return zones[zone].node_managed[nid];
}

void node_alloc_stats(unsigned nid, unsigned long *local, unsigned long *remote)
{
	*local = __atomic_load_n(&node_alloc_local[nid], __ATOMIC_RELAXED);
	*remote = __atomic_load_n(&node_alloc_remote[nid], __ATOMIC_RELAXED);
}

unsigned long zone_managed_pages(enum zone_type zone)
{
	return zones[zone].managed_pages;
}

pfn_t zone_start_pfn(enum zone_type zone)
{
	return zones[zone].start_pfn;
}

pfn_t zone_end_pfn(enum zone_type zone)
{
	return zones[zone].end_pfn;
}

const char *zone_name(enum zone_type zone)
{
	return zones[zone].name;
}

/* Boot only: hand the free frames [start, end) to their zone in large blocks. */
void free_boot_range(pfn_t start, pfn_t end)
{
	while (start < end) {
		unsigned order = MAX_ORDER - 1;
		while (order && ((start & ((1u << order) - 1)) || start + (1u << order) > end))
			order--;
		struct zone *z = &zones[pfn_zone(start)];
		for (unsigned i = 0; i < (1u << order); i++)
			pfn_to_page(start + i)->flags &= ~PG_reserved;
		z->managed_pages += 1ul << order;
		z->node_managed[0] += 1ul << order;     /* numa_init moves them */
		__free_block(z, start, order);
		start += 1u << order;
	}
}

/* Do all 2^order frames at pfn belong to one node? */
static bool block_on_one_node(pfn_t pfn, unsigned order)
{
	unsigned nid = page_to_nid(pfn_to_page(pfn));

	for (pfn_t i = 1; i < (1u << order); i++)
		if (page_to_nid(pfn_to_page(pfn + i)) != nid)
			return false;
	return true;
}

/* Free a block that left the lists, in halves where it spans nodes. Lock held. */
static void refree_block(struct zone *z, pfn_t pfn, unsigned order)
{
	if (order && !block_on_one_node(pfn, order)) {
		refree_block(z, pfn, order - 1);
		refree_block(z, pfn + (1u << (order - 1)), order - 1);
		return;
	}
	__free_block(z, pfn, order);
}

/* Count z's managed frames (free or allocated, never reserved) by node. */
static void count_node_managed(struct zone *z)
{
	for (unsigned n = 0; n < MAX_NUMNODES; n++)
		z->node_managed[n] = 0;
	for (pfn_t pfn = z->start_pfn; pfn < z->end_pfn && pfn < max_pfn; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		if (!(p->flags & PG_reserved))
			z->node_managed[page_to_nid(p)]++;
	}
}

void zones_sort_free_by_node(void)
{
	for (int zi = 0; zi < NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		struct list_head blocks;
		uint32_t flags = spin_lock_irqsave(&z->lock);

		/* Until now every frame counted as node 0's (free_boot_range). */
		INIT_LIST_HEAD(&blocks);
		for (unsigned k = 0; k < MAX_ORDER; k++) {
			struct list_head *head = &z->free_area[0][k].free_list;
			while (!list_empty(head)) {
				struct page *p = list_first_entry(head, struct page, list);
				del_from_free_area(z, p, k);
				p->order = (uint8_t)k;          /* kept while off the lists */
				list_add_tail(&p->list, &blocks);
			}
		}
		z->free_pages = 0;
		z->node_free[0] = 0;
		while (!list_empty(&blocks)) {
			struct page *p = list_first_entry(&blocks, struct page, list);
			list_del_init(&p->list);
			refree_block(z, page_to_pfn(p), p->order);
		}
		count_node_managed(z);
		spin_unlock_irqrestore(&z->lock, flags);
	}
}
