/*
 * kmalloc: small kernel objects from lowmem.
 *
 * Requests up to KMALLOC_MAX_SIZE are rounded up to a power of two from 16
 * bytes (a size class) and carved out of one-page slabs; a block is aligned
 * to its class size (so kmalloc(32) is 32-byte aligned, as a PAE PDPT needs).
 * Larger requests take whole pages from the page allocator, page aligned.
 * Memory is always lowmem, reachable through the direct map.
 *
 * The size-class arithmetic below is pure and is also tested on the host.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <stddef.h>
#include "mm/page_alloc.h"

#define KMALLOC_MIN_SHIFT       4
#define KMALLOC_MAX_SHIFT       11
#define KMALLOC_MIN_SIZE        (1u << KMALLOC_MIN_SHIFT)       /* 16 */
#define KMALLOC_MAX_SIZE        (1u << KMALLOC_MAX_SHIFT)       /* 2048 */
#define KMALLOC_NR_CLASSES      (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

/* The size class of a request of size bytes (1..KMALLOC_MAX_SIZE): 0 = 16 bytes. */
static inline unsigned kmalloc_index(size_t size)
{
	unsigned idx = 0;

	while ((size_t)KMALLOC_MIN_SIZE << idx < size)
		idx++;
	return idx;
}

/* Bytes per object of size class idx. */
static inline size_t kmalloc_class_size(unsigned idx)
{
	return (size_t)KMALLOC_MIN_SIZE << idx;
}

/* The smallest order whose 2^order pages hold size bytes (size >= 1). */
static inline unsigned get_order(size_t size)
{
	unsigned order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* Bytes a kmalloc(size) really takes: its size class, or 2^order whole pages. */
static inline size_t kmalloc_size(size_t size)
{
	if (size > KMALLOC_MAX_SIZE)
		return (size_t)PAGE_SIZE << get_order(size);
	return kmalloc_class_size(kmalloc_index(size));
}

/*
 * size bytes of lowmem, or NULL when size is 0 or memory ran out.  gfp is
 * GFP_KERNEL, optionally with __GFP_ZERO; __GFP_HIGHMEM is a bug (the
 * block must have a kernel address).  Takes a spinlock with interrupts off.
 */
void *kmalloc(size_t size, gfp_t gfp);

/* kmalloc, zeroed. */
void *kzalloc(size_t size, gfp_t gfp);

/* Give back a block from kmalloc; NULL is ignored.  A pointer kmalloc did not return stops the kernel. */
void kfree(const void *ptr);

#endif
