/*
 * The virtual memory areas of an mm: which user addresses are mapped, with
 * which protection.  Pure logic over a caller-provided node allocator
 * (kmalloc in the kernel, malloc in host tests); page tables are the
 * caller's business, told about through callbacks and return values.
 *
 * The list is kept sorted, non-overlapping, page aligned, and fully merged:
 * two areas that touch and have the same prot and flags are always one.
 * Every operation either succeeds or leaves the list exactly as it was:
 * nodes that a split needs are allocated before anything changes.
 *
 * User space layout: Linux i386's default top-down layout, without
 * randomization:
 *
 *   USER_END    0xC0000000 +------------------------+
 *                          | stack (VM_STACK)       |
 *                          | ... gap for its growth |
 *   mmap_base   0xB8000000 +------------------------+  VMA_MMAP_BASE
 *                          | mmap areas, top-down   |
 *                          |           v            |
 *                          |           ^            |
 *                          | heap (VM_BRK)          |
 *                          | program (ELF PT_LOADs) |
 *               0x08048000 +------------------------+
 *   MMAP_MIN_ADDR  0x10000 +------------------------+  NULL + 64 KiB: never mapped
 *
 * Linux sets mmap_base = TASK_SIZE - gap, where gap is the stack rlimit
 * plus the stack guard gap, clamped to at least 128 MiB: with the usual
 * 8 MiB limit that is 0xC0000000 - 128 MiB.  The legacy layout (bottom-up
 * from TASK_UNMAPPED_BASE = 0x40000000) is not implemented.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdint.h>
#include "kernel/list.h"
#include "mm/memlayout.h"

#define VMA_MMAP_BASE   (USER_END - 0x08000000u)        /* below a 128 MiB stack gap */

/* vma->flags: what kind of memory; areas merge only when these match. */
#define VM_ANON         (1u << 0)       /* private, zero-filled on first touch */
#define VM_STACK        (1u << 1)       /* the initial thread's stack */
#define VM_BRK          (1u << 2)       /* the heap brk() moves */
#define VM_SHARED       (1u << 3)       /* MAP_SHARED: filled by fork (or first touch), shared by it */
#define VM_FLAGS_ALL    (VM_ANON | VM_STACK | VM_BRK | VM_SHARED)

struct vma {
	uint32_t start, end;            /* [start, end), page aligned, start < end */
	uint32_t prot;                  /* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint32_t flags;                 /* VM_* */
	struct list_head list;          /* in vma_list.head, by address */
};

/* Where nodes come from.  alloc returns NULL when memory is short. */
struct vma_allocator {
	struct vma *(*alloc)(void *ctx);
	void (*free)(void *ctx, struct vma *vma);
	void *ctx;
};

struct vma_list {
	struct list_head head;
	unsigned nr;                    /* areas in the list */
	uint32_t mmap_base;             /* vma_find_free searches below this */
	const struct vma_allocator *alloc;
};

/* Told about each range that leaves the address space (to unmap its pages). */
typedef void (*vma_unmap_fn)(void *ctx, uint32_t start, uint32_t end);

#define vma_for_each(v, l) \
	for (v = list_entry((l)->head.next, struct vma, list); &v->list != &(l)->head; \
	     v = list_entry(v->list.next, struct vma, list))

/* An empty list whose nodes come from a (which must outlive it). */
void vma_list_init(struct vma_list *l, const struct vma_allocator *a);

/* The area containing addr, or NULL. */
struct vma *vma_find(const struct vma_list *l, uint32_t addr);

/*
 * A free, page-aligned range of len bytes for mmap without MAP_FIXED.
 * Like Linux: hint (rounded up to a page) if [hint, hint + len) is free
 * and inside [MMAP_MIN_ADDR, USER_END); otherwise the highest free range
 * below l->mmap_base and at or above MMAP_MIN_ADDR.  Returns 0 with *addr
 * set, -EINVAL if len is 0 or not page aligned, -ENOMEM if nothing fits.
 */
int vma_find_free(const struct vma_list *l, uint32_t len, uint32_t hint, uint32_t *addr);

/*
 * Map [start, end) with prot and flags, merging with neighbours that
 * match.  Returns 0, -EINVAL (unaligned, empty, past USER_END, unknown
 * prot or flag bits), -EEXIST if any of it is already mapped (the caller
 * removes the range first for MAP_FIXED), or -ENOMEM.
 */
int vma_insert(struct vma_list *l, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags);

/*
 * Unmap [start, end) as munmap does: areas inside go, areas across an
 * edge are trimmed, an area around the whole range is split in two.
 * unmap (if not NULL) is called once per removed piece, in address order,
 * after the piece has left the list; it must not touch the list.  Holes
 * in the range are fine.  Returns 0, -EINVAL (unaligned, empty, past
 * USER_END), or -ENOMEM when the split's node cannot be had.
 */
int vma_remove_range(struct vma_list *l, uint32_t start, uint32_t end,
		     vma_unmap_fn unmap, void *ctx);

/*
 * Set the protection of [start, end) to prot as mprotect does, splitting
 * areas at the edges and merging afterwards.  All or nothing: if any page
 * of the range is unmapped it returns -ENOMEM and changes nothing (Linux
 * also says ENOMEM, but keeps the change made below the first hole).
 * Returns 0, -EINVAL (as vma_insert), or -ENOMEM.  On success every page
 * of the range has prot; the caller updates the page tables.
 */
int vma_protect_range(struct vma_list *l, uint32_t start, uint32_t end, uint32_t prot);

/*
 * Make dst (uninitialized) a copy of src, for fork.  Returns 0, or -ENOMEM
 * with dst empty.
 */
int vma_list_dup(struct vma_list *dst, const struct vma_list *src);

/* Remove every area (exit, exec), calling unmap on each as vma_remove_range. */
void vma_list_clear(struct vma_list *l, vma_unmap_fn unmap, void *ctx);

#endif
