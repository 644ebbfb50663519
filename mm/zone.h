/*
 * A zone: a range of frames with one lock and one buddy allocator per
 * NUMA node (a block never mixes nodes, so each node's frames sit on its
 * own free lists).
 */
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
	unsigned long free_pages;       /* all nodes */
	spinlock_t lock;
	unsigned long node_managed[MAX_NUMNODES];
	unsigned long node_free[MAX_NUMNODES];
	struct free_area free_area[MAX_NUMNODES][MAX_ORDER];
};

extern struct zone zones[NR_ZONES];
/*
 * The highmem zone is only what the mode carved out of a machine whose
 * RAM all fits the direct map (mm/frames.c): GFP_HIGHUSER takes lowmem first.
 */
extern bool highmem_carved_for_mode;

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

/*
 * Move every free block to the free lists of its frames' node, splitting
 * blocks that span two nodes.  For numa_init, once every frame's node is
 * set; boot CPU, before the others start.
 */
void zones_sort_free_by_node(void);

/* Print zone sizes, descriptor cost and free memory (the boot report). */
void mem_report(void);

#endif
