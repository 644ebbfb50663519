/*
 * Temporary kernel mappings of any frame, highmem included (Linux's two tiers).
 *
 *   kmap(page) / kunmap(page)
 *       A mapping in the pkmap area that lasts until kunmap; lowmem pages
 *       just return their direct-map address.  Slots are pooled and
 *       refcounted; a full pool waits for a kunmap.
 *
 *   kmap_atomic(page) / kunmap_atomic(addr)
 *       A per-CPU fixmap slot, used stack-like (unmap in reverse order,
 *       passing the address).  Preemption and interrupts must stay off in
 *       between; never sleep.  Unmapping flushes that one TLB entry.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include "mm/page.h"

void kmap_init(void);
void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_atomic(struct page *page);
void kunmap_atomic(void *addr);

/* Zero a frame wherever it lives. */
void clear_highpage(struct page *page);

#endif
