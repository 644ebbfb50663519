/*
 * Where lowmem goes: every frame of the direct map that is in use, by what
 * it holds.  The owners of kernel stacks, task structs, page tables and
 * window structures charge what they take (lowmem frames, or kmalloc
 * objects at their size class); kmalloc counts the slab and large pages it
 * holds; the rest is derived, so the categories always sum to the lowmem
 * in use:
 *
 *   in use = page descriptors + boot reserved + kernel stacks + task structs
 *          + page tables + windows + kmalloc (the rest of it) + other pages
 *
 * "kmalloc" is the slab memory not charged to a category above (other
 * objects, and the free room in partly used slabs); "other pages" are
 * direct page allocations of no category (user pages on a machine without
 * highmem, pipe buffers, ...).  The categories are ABI (abi/ukva.h):
 * ukva_meminfo reports them.
 */
#ifndef MM_MEMSTAT_H
#define MM_MEMSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "abi/ukva.h"                  /* LOWMEM_STATS: the categories */

/* Lowmem bytes by category, at one moment. */
struct lowmem_stats {
	uint32_t bytes[NR_LOWMEM_STATS];
};

/*
 * Charge (bytes > 0) or uncharge (< 0) lowmem to a category the owners
 * count: KSTACK, TASK, PGTABLE, WINDOW.  Any context.
 */
void lowmem_charge(enum lowmem_stat cat, long bytes);
/* The same for a kmalloc(size) object: its size class, taken from kmalloc's share. */
void lowmem_charge_kmalloc(enum lowmem_stat cat, size_t size, int sign);
/* kmalloc.c: pages entering (> 0) or leaving (< 0) the slabs and large blocks. */
void lowmem_charge_kmalloc_pages(long pages);
/* frames_init: lowmem RAM frames and the descriptor bytes, fixed from then on. */
void lowmem_stats_boot(unsigned long ram_pages, unsigned long memmap_bytes);

/* Every category now (a snapshot: counters move independently). */
void lowmem_stats_read(struct lowmem_stats *s);
/* The name of category c ("kernel_stacks"). */
const char *lowmem_stat_name(enum lowmem_stat c);
/* Print the categories in KiB on one line, headed by when ("after boot"). */
void lowmem_report(const char *when);

#endif
