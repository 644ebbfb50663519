/*
 * Physical frames and their descriptors.
 *
 * Every frame below max_pfn has a struct page in the flat array mem_map,
 * holes included (they are marked reserved), so pfn <-> page is arithmetic.
 * Physical addresses are u64 everywhere: PAE reaches 64 GiB.
 *
 * mem_map lives in lowmem; at 16 bytes a frame, a 64 GiB machine spends
 * 256 MiB of its 896 MiB lowmem on it.  That cost is one of the numbers
 * this project measures, so the descriptor is kept at 16 bytes.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/list.h"
#include "mm/memlayout.h"
#include "numa/node.h"

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096u
#define PAGE_MASK       (~(PAGE_SIZE - 1))

typedef uint32_t pfn_t;
typedef uint64_t phys_addr_t;

/*
 * Frames at or above lowmem_pfn_limit are highmem: outside the direct map.
 * It is LOWMEM_PFN_MAX (896 MiB) unless the boot option highmem= (or the
 * per-task mode on a machine without highmem) lowers it; frames_init()
 * fixes it before anything depends on it.
 */
#define LOWMEM_PFN_MAX          (MAX_LOWMEM_BYTES >> PAGE_SHIFT)
extern pfn_t lowmem_pfn_limit;

enum zone_type {
	ZONE_NORMAL,            /* lowmem: direct-mapped */
	ZONE_HIGHMEM,           /* reached through kmap / kmap_atomic / a window */
	NR_ZONES,
};

/* page->flags */
#define PG_reserved     (1u << 0)       /* not RAM, or owned since boot */
#define PG_buddy        (1u << 1)       /* head of a free buddy block */
#define PG_slab         (1u << 2)       /* a kmalloc slab page */
#define PG_pgtable      (1u << 3)       /* a page-table page */
#define PG_kmalloc      (1u << 4)       /* head of a multi-page kmalloc block */
#define PG_pdpt         (1u << 5)       /* a frame of highmem PDPTs (mm/pdpt.c) */
/* Bits 13-15: the frame's NUMA node, set once at boot (numa_init). */
#define PG_NODE_SHIFT   13
#define PG_NODE_MASK    (7u << PG_NODE_SHIFT)
_Static_assert((PG_NODE_MASK >> PG_NODE_SHIFT) + 1 == MAX_NUMNODES,
	       "page->flags has exactly the bits for MAX_NUMNODES nodes");

struct page {
	uint16_t flags;
	uint8_t order;                  /* block order, while PG_buddy or PG_kmalloc;
					   size class, while PG_slab; 1 + the text
					   node of a kernel PMD copy (numa/ktext.h) */
	uint8_t zone;                   /* enum zone_type */
	union {
		uint32_t refcount;      /* users of an allocated frame */
		struct {                /* while PG_slab (mm/kmalloc.c) or PG_pdpt (mm/pdpt.c) */
			uint16_t inuse;         /* objects handed out */
			uint16_t freelist;      /* offset of the first free object */
		} slab;
	};
	struct list_head list;          /* free list while PG_buddy; owner's use otherwise */
};

/* Checked on i386 only: host tests include this header on 64-bit machines. */
_Static_assert(sizeof(struct page) == 16 || sizeof(void *) != 4,
	       "struct page must stay 16 bytes");

extern struct page *mem_map;
extern pfn_t max_pfn;                   /* one past the highest frame we manage */

static inline struct page *pfn_to_page(pfn_t pfn)
{
	return &mem_map[pfn];
}

static inline pfn_t page_to_pfn(const struct page *page)
{
	return (pfn_t)(page - mem_map);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t phys)
{
	return pfn_to_page((pfn_t)(phys >> PAGE_SHIFT));
}

/* The node of a frame: O(1), from its descriptor. */
static inline unsigned page_to_nid(const struct page *page)
{
	return (page->flags & PG_NODE_MASK) >> PG_NODE_SHIFT;
}

static inline void set_page_node(struct page *page, unsigned nid)
{
	page->flags = (uint16_t)((page->flags & ~PG_NODE_MASK) | (nid << PG_NODE_SHIFT));
}

static inline bool page_is_highmem(const struct page *page)
{
	return page->zone == ZONE_HIGHMEM;
}

/* Kernel virtual address of a lowmem page (through the direct map). */
static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

/* The page of a direct-mapped kernel address. */
static inline struct page *virt_to_page(const void *addr)
{
	return phys_to_page(virt_to_phys(addr));
}

#endif
