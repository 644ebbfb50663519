/*
 * Temporary kernel mappings of any frame, highmem included (Linux's two tiers).
 *
 *   kmap(page) / kunmap(page)
 *       A mapping in the pkmap area that lasts until kunmap; lowmem pages
 *       just return their direct-map address.  Slots are pooled and
 *       refcounted; a full pool sleeps until a kunmap, so kmap may sleep.
 *
 *   kmap_atomic(page) / kunmap_atomic(addr)
 *       A per-CPU fixmap slot, used stack-like (unmap in reverse order,
 *       passing the address).  Preemption and interrupts must stay off in
 *       between; never sleep.  Unmapping flushes that one TLB entry.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include "mm/page.h"

/* Find the pkmap and fixmap PTE pages (after paging_init). */
void kmap_init(void);

/*
 * A kernel address for page until kunmap(page).  Calls nest and count:
 * n kmaps of a page need n kunmaps.  Not from interrupt context.
 */
void *kmap(struct page *page);
void kunmap(struct page *page);

/*
 * The pkmap pool itself, for any frame (kmap() uses it for highmem pages).
 * Exposed so tests can exercise the pool on machines without highmem.
 */
void *kmap_high(struct page *page);
void kunmap_high(struct page *page);

/*
 * A kernel address for page on this CPU until kunmap_atomic(addr).
 * Interrupts must be off (checked); unmap in reverse order of map.
 */
void *kmap_atomic(struct page *page);
void kunmap_atomic(void *addr);

/* kmap_atomic for a frame number, always through a fixmap slot. */
void *kmap_atomic_pfn(pfn_t pfn);

/* Zero a frame wherever it lives.  Any context. */
void clear_highpage(struct page *page);

/*
 * Event counts since boot (32-bit, wrapping), over all CPUs.  kmap and
 * kmap_atomic are the per-CPU research counters summed (kernel/counters.h);
 * the pool's own events are counted here.
 */
struct kmap_stats {
	unsigned long kmap;             /* kmap() calls */
	unsigned long kmap_high;        /* mappings made in the pkmap pool */
	unsigned long kmap_atomic;      /* kmap_atomic() calls */
	unsigned long kmap_atomic_high; /* mappings made in a fixmap slot */
	unsigned long pkmap_flushes;    /* pool wraparounds that flushed the TLB */
};

void kmap_stats_read(struct kmap_stats *out);

#endif
