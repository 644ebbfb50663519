/* Virtual memory area lists; see vma.h. */
#include <stdbool.h>
#include <stddef.h>
#include "mm/vma.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "mm/mman.h"
#include "mm/page.h"

#define PROT_ALL        (PROT_READ | PROT_WRITE | PROT_EXEC)

void vma_list_init(struct vma_list *l, const struct vma_allocator *a)
{
	INIT_LIST_HEAD(&l->head);
	l->nr = 0;
	l->mmap_base = VMA_MMAP_BASE;
	l->alloc = a;
}

/* The area after v, or NULL. */
static struct vma *next_vma(const struct vma_list *l, const struct vma *v)
{
	return v->list.next == &l->head ? NULL : list_entry(v->list.next, struct vma, list);
}

/* The area before v, or NULL. */
static struct vma *prev_vma(const struct vma_list *l, const struct vma *v)
{
	return v->list.prev == &l->head ? NULL : list_entry(v->list.prev, struct vma, list);
}

/* The first area that ends above addr (Linux's find_vma), or NULL. */
static struct vma *first_ending_after(const struct vma_list *l, uint32_t addr)
{
	struct vma *v;

	vma_for_each(v, l)
		if (v->end > addr)
			return v;
	return NULL;
}

/* Is [start, end) a well-formed user range? */
static bool range_ok(uint32_t start, uint32_t end)
{
	return start < end && end <= USER_END && IS_ALIGNED(start, PAGE_SIZE) &&
	       IS_ALIGNED(end, PAGE_SIZE);
}

/* Can v and w (in that order) be one area? */
static bool mergeable(const struct vma *v, const struct vma *w)
{
	return v->end == w->start && v->prot == w->prot && v->flags == w->flags;
}

/* Unlink v and give its node back. */
static void drop(struct vma_list *l, struct vma *v)
{
	list_del_init(&v->list);
	l->alloc->free(l->alloc->ctx, v);
	l->nr--;
}

/* Absorb v's successor into v if they can be one area; returns whether. */
static bool merge_next(struct vma_list *l, struct vma *v)
{
	struct vma *n = next_vma(l, v);

	if (!n || !mergeable(v, n))
		return false;
	v->end = n->end;
	drop(l, n);
	return true;
}

/*
 * Cut v at addr (strictly inside it): v keeps [start, addr), node becomes
 * [addr, end) with the same attributes, right after v.  Returns node.
 */
static struct vma *split(struct vma_list *l, struct vma *v, uint32_t addr, struct vma *node)
{
	*node = *v;
	node->start = addr;
	v->end = addr;
	list_add(&node->list, &v->list);
	l->nr++;
	return node;
}

struct vma *vma_find(const struct vma_list *l, uint32_t addr)
{
	struct vma *v = first_ending_after(l, addr);

	return v && v->start <= addr ? v : NULL;
}

/* Is [start, end) free of areas? */
static bool range_free(const struct vma_list *l, uint32_t start, uint32_t end)
{
	struct vma *v = first_ending_after(l, start);

	return !v || v->start >= end;
}

int vma_find_free(const struct vma_list *l, uint32_t len, uint32_t hint, uint32_t *addr)
{
	if (len == 0 || !IS_ALIGNED(len, PAGE_SIZE))
		return -EINVAL;

	/*
	 * The hint, if usable (0, no hint, is below the floor).  64-bit sums:
	 * a hint near 4 GiB must not wrap into a fit.
	 */
	uint64_t h = ALIGN_UP((uint64_t)hint, PAGE_SIZE);
	if (h >= MMAP_MIN_ADDR && h + len <= USER_END &&
	    range_free(l, (uint32_t)h, (uint32_t)(h + len))) {
		*addr = (uint32_t)h;
		return 0;
	}

	/* Walk the gaps downward from mmap_base; the first that fits wins. */
	uint32_t hi = l->mmap_base;
	struct list_head *pos;
	for (pos = l->head.prev; pos != &l->head; pos = pos->prev) {
		const struct vma *v = list_entry(pos, struct vma, list);
		uint32_t lo = MAX(v->end, (uint32_t)MMAP_MIN_ADDR);
		if (hi > lo && hi - lo >= len) {
			*addr = hi - len;
			return 0;
		}
		hi = MIN(hi, v->start);
	}
	if (hi > MMAP_MIN_ADDR && hi - MMAP_MIN_ADDR >= len) {
		*addr = hi - len;
		return 0;
	}
	return -ENOMEM;
}

int vma_insert(struct vma_list *l, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags)
{
	if (!range_ok(start, end) || (prot & ~PROT_ALL) || (flags & ~VM_FLAGS_ALL))
		return -EINVAL;

	struct vma *next = first_ending_after(l, start);
	if (next && next->start < end)
		return -EEXIST;
	struct vma *prev = next ? prev_vma(l, next) :
		list_empty(&l->head) ? NULL : list_entry(l->head.prev, struct vma, list);
	struct vma want = { .start = start, .end = end, .prot = prot, .flags = flags };

	/* Grow a neighbour when possible: merging needs no node. */
	if (prev && mergeable(prev, &want)) {
		prev->end = end;
		merge_next(l, prev);
		return 0;
	}
	if (next && mergeable(&want, next)) {
		next->start = start;
		return 0;
	}

	struct vma *v = l->alloc->alloc(l->alloc->ctx);
	if (!v)
		return -ENOMEM;
	*v = want;
	list_add_tail(&v->list, next ? &next->list : &l->head);
	l->nr++;
	return 0;
}

int vma_remove_range(struct vma_list *l, uint32_t start, uint32_t end,
		     vma_unmap_fn unmap, void *ctx)
{
	if (!range_ok(start, end))
		return -EINVAL;

	struct vma *v = first_ending_after(l, start);

	/* A hole punched inside one area: the only case needing a node. */
	if (v && v->start < start && v->end > end) {
		struct vma *node = l->alloc->alloc(l->alloc->ctx);
		if (!node)
			return -ENOMEM;
		split(l, v, end, node);
		v->end = start;
		if (unmap)
			unmap(ctx, start, end);
		return 0;
	}

	while (v && v->start < end) {
		struct vma *next = next_vma(l, v);
		uint32_t s = MAX(v->start, start), e = MIN(v->end, end);
		if (v->start < start)
			v->end = start;
		else if (v->end > end)
			v->start = end;
		else
			drop(l, v);
		if (unmap)
			unmap(ctx, s, e);
		v = next;
	}
	return 0;
}

/*
 * The area holding start if [start, end) is mapped without a hole, else
 * NULL.  *last is set to the area holding end - 1.
 */
static struct vma *covering(const struct vma_list *l, uint32_t start, uint32_t end,
			    struct vma **last)
{
	struct vma *first = vma_find(l, start), *v = first;

	if (!v)
		return NULL;
	while (v->end < end) {
		struct vma *n = next_vma(l, v);
		if (!n || n->start != v->end)
			return NULL;
		v = n;
	}
	*last = v;
	return first;
}

int vma_protect_range(struct vma_list *l, uint32_t start, uint32_t end, uint32_t prot)
{
	if (!range_ok(start, end) || (prot & ~PROT_ALL))
		return -EINVAL;

	struct vma *last, *v = covering(l, start, end, &last);
	if (!v)
		return -ENOMEM;

	/* Splits are needed only where an edge cuts an area that changes. */
	struct vma *spare[2];
	int need = (v->start < start && v->prot != prot) +
		   (last->end > end && last->prot != prot);
	for (int i = 0; i < need; i++) {
		spare[i] = l->alloc->alloc(l->alloc->ctx);
		if (!spare[i]) {
			while (i-- > 0)
				l->alloc->free(l->alloc->ctx, spare[i]);
			return -ENOMEM;
		}
	}

	/* The area ending at start, if any, may merge with the result. */
	struct vma *left = prev_vma(l, v);
	for (;;) {
		struct vma *next = next_vma(l, v);
		bool at_last = v == last;
		if (v->prot != prot) {
			if (v->start < start)
				v = split(l, v, start, spare[--need]);
			if (v->end > end)
				split(l, v, end, spare[--need]);
			v->prot = prot;
		}
		if (at_last)
			break;
		v = next;
	}

	/*
	 * Merge from the left neighbour through the last changed area; that
	 * one's merge_next takes in the right neighbour.
	 */
	v = left && left->end == start ? left : vma_find(l, start);
	while (v && v->start < end)
		if (!merge_next(l, v))
			v = next_vma(l, v);
	return 0;
}

int vma_list_dup(struct vma_list *dst, const struct vma_list *src)
{
	const struct vma *v;

	vma_list_init(dst, src->alloc);
	dst->mmap_base = src->mmap_base;
	vma_for_each(v, src) {
		struct vma *n = dst->alloc->alloc(dst->alloc->ctx);
		if (!n) {
			vma_list_clear(dst, NULL, NULL);
			return -ENOMEM;
		}
		*n = *v;
		list_add_tail(&n->list, &dst->head);
		dst->nr++;
	}
	return 0;
}

void vma_list_clear(struct vma_list *l, vma_unmap_fn unmap, void *ctx)
{
	while (!list_empty(&l->head)) {
		struct vma *v = list_first_entry(&l->head, struct vma, list);
		uint32_t s = v->start, e = v->end;
		drop(l, v);
		if (unmap)
			unmap(ctx, s, e);
	}
}
