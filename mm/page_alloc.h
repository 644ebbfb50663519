/*
 * The page allocator: one buddy allocator per zone, orders 0..MAX_ORDER-1.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stddef.h>
#include "mm/page.h"

#define MAX_ORDER       11              /* largest block: 2^10 pages = 4 MiB */

typedef unsigned int gfp_t;

#define __GFP_HIGHMEM   (1u << 0)       /* highmem preferred; lowmem if none */
#define __GFP_ZERO      (1u << 1)       /* zero the frames */
#define __GFP_USER      (1u << 2)       /* user memory: not the mode's carve-out first */

#define GFP_KERNEL      0u              /* lowmem: has a kernel address */
/*
 * Frames the kernel reaches only through mappings of its own (window
 * pages, kernel stacks in a window, text replicas): highmem first,
 * including the highmem a mode carved out of a small machine for them.
 */
#define GFP_HIGHMEM     __GFP_HIGHMEM
/*
 * User pages and user page tables: highmem first where the machine has
 * highmem of its own; where all RAM fits the direct map and a mode carved
 * highmem out of it (mm/frames.c), lowmem first, as in a mode without the
 * carve-out, so that user memory costs no kmap there and leaves the
 * carve-out to the frames it was made for.
 */
#define GFP_HIGHUSER    (__GFP_HIGHMEM | __GFP_USER)

/*
 * 2^order contiguous frames, or NULL when no zone allowed by gfp has them.
 * The pages come with refcount 1.  Takes the zone lock; any context.
 */
struct page *alloc_pages(gfp_t gfp, unsigned order);
/*
 * The same, asking node nid first (then the others, nearest first);
 * alloc_pages asks the running CPU's node.  Counted as a local or remote
 * allocation of nid.  NULL also for a node that does not exist.
 */
struct page *alloc_pages_node(unsigned nid, gfp_t gfp, unsigned order);
void free_pages(struct page *page, unsigned order);
/* The first frame above the 32-bit physical addresses. */
#define PFN_4G          ((pfn_t)(0x100000000ull >> PAGE_SHIFT))
/*
 * One highmem frame below 4 GiB, from any node, or NULL when there is
 * none: for tables the CPU reaches with 32-bit physical addresses (PAE's
 * PDPT) that should not take lowmem.  Other allocations take highmem
 * below 4 GiB last (page_alloc.c), so it lasts.
 */
struct page *alloc_highmem_page_below_4g(void);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline void free_page(struct page *page)
{
	free_pages(page, 0);
}

/* Take another reference to an allocated frame (a shared COW page). */
static inline void get_page(struct page *page)
{
	__atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED);
}

/* Drop a reference to a frame; true when it was the last (the caller frees it). */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

/* Drop a reference to an order-0 frame; the last one frees it. */
static inline void put_page(struct page *page)
{
	if (put_page_testzero(page))
		free_page(page);
}

/*
 * Frames kept for tasks that already exist: fork and clone refuse (ENOMEM)
 * once free lowmem, or free memory in all, is below this, so that running
 * out of tasks leaves room for the page faults, copies on write and exits
 * of the tasks that exist.
 */
#define TASK_RESERVE_PAGES      64

/* Is free memory below TASK_RESERVE_PAGES (lowmem, or all zones)? */
bool below_task_reserve(void);

/* Free frames, in pages: all zones, or one. */
unsigned long nr_free_pages(void);
unsigned long zone_free_pages(enum zone_type zone);
/* The same for one node's part of a zone. */
unsigned long zone_node_free_pages(enum zone_type zone, unsigned nid);
unsigned long zone_node_managed_pages(enum zone_type zone, unsigned nid);
/* Allocations that asked node nid first: served by nid, or by another node. */
void node_alloc_stats(unsigned nid, unsigned long *local, unsigned long *remote);
/* Frames a zone manages (free or allocated, holes and boot reservations excluded). */
unsigned long zone_managed_pages(enum zone_type zone);
/* First and one-past-last frame a zone spans. */
pfn_t zone_start_pfn(enum zone_type zone);
pfn_t zone_end_pfn(enum zone_type zone);
const char *zone_name(enum zone_type zone);

#endif
