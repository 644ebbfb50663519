/* A zone: a range of frames with one buddy allocator and one lock. */
#ifndef MM_ZONE_H
#define MM_ZONE_H

#include "mm/page_alloc.h"
#include "kernel/spinlock.h"

struct free_area {
	struct list_head free_list;     /* PG_buddy head pages of this order */
	unsigned long nr_free;          /* blocks on the list */
};

struct zone {
	const char *name;
	pfn_t start_pfn, end_pfn;       /* span: [start, end), holes included */
	unsigned long managed_pages;    /* frames handed to the allocator */
	unsigned long free_pages;
	spinlock_t lock;
	struct free_area free_area[MAX_ORDER];
};

extern struct zone zones[NR_ZONES];

/* Which zone a frame belongs to, by address alone. */
static inline enum zone_type pfn_zone(pfn_t pfn)
{
	return pfn < lowmem_pfn_limit ? ZONE_NORMAL : ZONE_HIGHMEM;
}

/*
 * Build mem_map for every frame below the highest RAM address, set up the
 * zones, and give every free memblock range to the buddy allocators.
 * After this, memblock allocations are over.
 */
void frames_init(void);

/* Print zone sizes, descriptor cost and free memory (the boot report). */
void mem_report(void);

#endif
