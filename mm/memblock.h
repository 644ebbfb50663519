/*
 * Boot-time physical memory: which ranges are RAM the kernel can address,
 * which are reserved, and an allocator for the few large, permanent boot
 * allocations (mem_map above all) made before the buddy allocator exists.
 * Once frames_init() hands the free ranges to the buddy allocator, memblock
 * is read-only: it still answers "is this RAM?" for tests and reports.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/range.h"

struct memblock {
	struct range_set ram;           /* addressable RAM, page aligned */
	struct range_set free;          /* ram minus every reservation */
	uint64_t ignored_bytes;         /* RAM beyond the physical limit */
	uint64_t limit;                 /* first byte we cannot address */
	bool retired;                   /* the buddy allocator owns free now */
};

extern struct memblock memblock;

/* Mark [start, end) as in use; it will never reach the buddy allocator. */
void memblock_reserve(uint64_t start, uint64_t end, const char *what);
/*
 * Allocate size bytes of lowmem (direct-mapped), aligned, as high as
 * possible; panics with a clear message when lowmem cannot hold it.
 */
uint64_t memblock_alloc_low(uint64_t size, uint64_t align, const char *what);
/* Is [start, end) entirely RAM we manage? */
bool memblock_is_ram(uint64_t start, uint64_t end);

#endif
