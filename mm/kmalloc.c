/*
 * kmalloc over one-page slabs.
 *
 * A slab is one lowmem page cut into objects of one size class.  Its
 * bookkeeping lives in its struct page, not in the page, so that a
 * 2048-byte class fits two objects a page and every object is aligned to
 * its size:
 *   flags        PG_slab
 *   order        the size class
 *   slab.inuse   objects handed out
 *   slab.freelist offset of the first free object, or SLAB_FREELIST_END
 *   list         links the slab on its class's partial list (some free, some used)
 * A free object holds the offset of the next free one and a magic word that
 * lets kfree catch most double frees cheaply.
 *
 * A slab that becomes empty goes straight back to the page allocator, so
 * after every kfree the frame counts are where they were.
 */
#include "mm/kmalloc.h"
#include "mm/mmdebug.h"
#include "mm/memstat.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#define SLAB_FREELIST_END       0xFFFFu
#define FREE_OBJECT_MAGIC       0xF7EEB10Cu

struct free_object {
	uint16_t next;                  /* offset of the next free object, or SLAB_FREELIST_END */
	uint16_t unused;
	uint32_t magic;                 /* FREE_OBJECT_MAGIC while free */
};

_Static_assert(sizeof(struct free_object) <= KMALLOC_MIN_SIZE, "a free object fits the smallest class");
_Static_assert(PAGE_SIZE <= SLAB_FREELIST_END, "slab offsets fit 16 bits");

struct kmalloc_cache {
	spinlock_t lock;                /* this class's slabs and their objects */
	struct list_head partial;       /* slabs with free objects */
};

static struct kmalloc_cache caches[KMALLOC_NR_CLASSES] = {
#define PARTIAL_INIT(i) [i] = { SPINLOCK_INIT, LIST_HEAD_INIT(caches[i].partial) }
	PARTIAL_INIT(0), PARTIAL_INIT(1), PARTIAL_INIT(2), PARTIAL_INIT(3),
	PARTIAL_INIT(4), PARTIAL_INIT(5), PARTIAL_INIT(6), PARTIAL_INIT(7),
#undef PARTIAL_INIT
};
_Static_assert(KMALLOC_NR_CLASSES == 8, "one initializer per size class");

static struct free_object *slab_object(struct page *slab, unsigned offset)
{
	return (struct free_object *)((char *)page_address(slab) + offset);
}

/* A new slab for class idx, all objects free, on the partial list.  Needs the cache lock. */
static struct page *slab_create(struct kmalloc_cache *c, unsigned idx)
{
	struct page *slab = alloc_page(GFP_KERNEL);
	unsigned size = kmalloc_class_size(idx);

	if (!slab)
		return NULL;
	lowmem_charge_kmalloc_pages(1);
	slab->flags |= PG_slab;
	slab->order = (uint8_t)idx;
	slab->slab.inuse = 0;
	slab->slab.freelist = 0;
	for (unsigned off = 0; off < PAGE_SIZE; off += size) {
		struct free_object *o = slab_object(slab, off);
		o->next = off + size < PAGE_SIZE ? (uint16_t)(off + size) : SLAB_FREELIST_END;
		o->magic = FREE_OBJECT_MAGIC;
	}
	list_add(&slab->list, &c->partial);
	return slab;
}

/* Return an empty slab to the page allocator.  Needs the cache lock. */
static void slab_destroy(struct page *slab)
{
	list_del_init(&slab->list);
	slab->flags &= ~PG_slab;
	slab->refcount = 1;             /* the slab fields overlaid it */
	free_page(slab);
	lowmem_charge_kmalloc_pages(-1);
}

/* One object of class idx, or NULL when no page is left. */
static void *slab_alloc(unsigned idx)
{
	struct kmalloc_cache *c = &caches[idx];
	uint32_t flags = spin_lock_irqsave(&c->lock);
	struct page *slab;

	if (list_empty(&c->partial))
		slab = slab_create(c, idx);
	else
		slab = list_first_entry(&c->partial, struct page, list);
	if (!slab) {
		spin_unlock_irqrestore(&c->lock, flags);
		return NULL;
	}
	struct free_object *o = slab_object(slab, slab->slab.freelist);
	VM_BUG_ON_MSG(o->magic != FREE_OBJECT_MAGIC, "kmalloc: free object %p overwritten", (void *)o);
	slab->slab.freelist = o->next;
	slab->slab.inuse++;
	o->magic = 0;
	if (slab->slab.freelist == SLAB_FREELIST_END)
		list_del_init(&slab->list);     /* full: off the partial list */
	spin_unlock_irqrestore(&c->lock, flags);
	return o;
}

/* Is the object at offset on slab's free list?  Needs the cache lock. */
static bool slab_object_is_free(struct page *slab, unsigned offset)
{
	for (unsigned off = slab->slab.freelist; off != SLAB_FREELIST_END;
	     off = slab_object(slab, off)->next)
		if (off == offset)
			return true;
	return false;
}

/* Give an object back to its slab; an emptied slab goes back to the page allocator. */
static void slab_free(struct page *slab, const void *ptr)
{
	unsigned offset = (unsigned long)ptr & ~PAGE_MASK;
	unsigned idx = slab->order;
	struct kmalloc_cache *c = &caches[idx];

	VM_BUG_ON_MSG(idx >= KMALLOC_NR_CLASSES || offset % kmalloc_class_size(idx),
		      "kfree(%p): not an object of a %u-byte slab", ptr,
		      (unsigned)kmalloc_class_size(idx));
	uint32_t flags = spin_lock_irqsave(&c->lock);
	struct free_object *o = slab_object(slab, offset);
	VM_BUG_ON_MSG(o->magic == FREE_OBJECT_MAGIC && slab_object_is_free(slab, offset),
		      "kfree(%p): double free", ptr);
	bool was_full = slab->slab.freelist == SLAB_FREELIST_END;
	o->next = slab->slab.freelist;
	o->magic = FREE_OBJECT_MAGIC;
	slab->slab.freelist = (uint16_t)offset;
	if (--slab->slab.inuse == 0)
		slab_destroy(slab);
	else if (was_full)
		list_add(&slab->list, &c->partial);
	spin_unlock_irqrestore(&c->lock, flags);
}

/* A block of 2^order whole pages, its head marked so kfree knows the order. */
static void *large_alloc(size_t size)
{
	unsigned order = get_order(size);

	if (order >= MAX_ORDER)
		return NULL;
	struct page *page = alloc_pages(GFP_KERNEL, order);
	if (!page)
		return NULL;
	lowmem_charge_kmalloc_pages(1l << order);
	page->flags |= PG_kmalloc;
	page->order = (uint8_t)order;
	return page_address(page);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	VM_BUG_ON_MSG(gfp & __GFP_HIGHMEM, "kmalloc memory must be lowmem");
	if (size == 0)
		return NULL;
	void *p = size <= KMALLOC_MAX_SIZE ? slab_alloc(kmalloc_index(size)) : large_alloc(size);
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void kfree(const void *ptr)
{
	unsigned long vaddr = (unsigned long)ptr;

	if (!ptr)
		return;
	VM_BUG_ON_MSG(vaddr < KERNEL_VIRT_BASE || vaddr >= DIRECT_MAP_END ||
		      ((vaddr - KERNEL_VIRT_BASE) >> PAGE_SHIFT) >= max_pfn,
		      "kfree(%p): not a direct-map address", ptr);
	struct page *page = virt_to_page(ptr);
	if (page->flags & PG_slab) {
		slab_free(page, ptr);
		return;
	}
	VM_BUG_ON_MSG(!(page->flags & PG_kmalloc) || (vaddr & ~PAGE_MASK),
		      "kfree(%p): not from kmalloc (page flags 0x%x)", ptr, page->flags);
	page->flags &= ~PG_kmalloc;
	lowmem_charge_kmalloc_pages(-(1l << page->order));
	free_pages(page, page->order);
}
