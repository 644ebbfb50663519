/*
 * Page faults on user addresses: demand-zero pages and copy on write.
 * A private page is shared only between the mms of a fork, read-only,
 * until one of them writes.  A page of a MAP_SHARED anonymous area is
 * filled on first touch like any other, and marked shared so that fork
 * shares it writable; fork fills the pages of such areas nobody touched
 * yet (mm_fill_shared), so parent and child find the same frame.
 */
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/tlb.h"
#include "mm/tlbflush.h"
#include "mm/mmdebug.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/uaccess.h"

uint64_t vm_pte_bits(uint32_t prot)
{
	uint64_t bits = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return _PAGE_PROTNONE;

	if (prot & PROT_WRITE)
		bits |= _PAGE_RW | _PAGE_DIRTY;
	if (!(prot & PROT_EXEC))
		bits |= cpu_nx_bit();
	return bits;
}

/* May an access of this kind touch an area with this protection? */
static bool access_allowed(uint32_t prot, unsigned access)
{
	if (access & FAULT_FORCE)
		return true;
	if (access & FAULT_WRITE)
		return prot & PROT_WRITE;
	if (access & FAULT_EXEC)
		return prot & PROT_EXEC;
	return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);    /* x86 cannot map write-only */
}

/* Copy a frame, both ends through kmap_atomic.  Interrupts off. */
static void copy_highpage(struct page *to, struct page *from)
{
	void *dst = kmap_atomic(to);
	void *src = kmap_atomic(from);
	copy_page(dst, src);
	kunmap_atomic(src);
	kunmap_atomic(dst);
}

/*
 * Give the mm its own copy of the frame behind the present, read-only PTE
 * that c maps (of addr), or make it writable in place when nobody shares
 * it any more.  Unmaps c.  mm->lock held, interrupts on at pte_map.
 * Returns 0 or -ENOMEM.
 */
static int break_cow(struct mm *mm, uintptr_t addr, struct pte_cursor *c, uint32_t prot)
{
	pte_t pte = *c->pte;
	struct page *old = pfn_to_page(pte_pfn(pte));

	if (__atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) == 1) {
		/* Only relaxes access: a CPU still holding the read-only entry faults once more. */
		set_pte_atomic(c->pte, __pte(pte_val(pte) | (vm_pte_bits(prot) & (_PAGE_RW | _PAGE_DIRTY))));
		pte_unmap(c);
		flush_tlb_one(addr);
		return 0;
	}
	struct page *copy = alloc_page(GFP_HIGHUSER);
	if (!copy) {
		pte_unmap(c);
		return -ENOMEM;
	}
	copy_highpage(copy, old);
	/* Clear, flush, set: once the copy is mapped no CPU may still read the old frame. */
	ptep_clear_flush(mm, addr, c);
	bool mapped = pte_map(mm, addr, false, c);
	VM_BUG_ON_MSG(!mapped, "the PTE page of 0x%lx went while mm->lock was held",
		      (unsigned long)addr);
	set_pte(c->pte, pfn_pte(page_to_pfn(copy), __pgprot(vm_pte_bits(prot))));
	pte_unmap(c);
	put_page(old);
	return 0;
}

/*
 * Give the empty PTE at pte a zeroed frame with vma's protection (marked
 * shared in a VM_SHARED area).  mm->lock held.  Returns 0 or -ENOMEM.
 */
static int fill_pte(struct mm *mm, const struct vma *vma, pte_t *pte)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	uint64_t bits = vm_pte_bits(vma->prot);

	if (!page)
		return -ENOMEM;
	if (vma->flags & VM_SHARED)
		bits |= _PAGE_SHARED_ANON;
	set_pte(pte, pfn_pte(page_to_pfn(page), __pgprot(bits)));
	mm->nr_user_pages++;
	return 0;
}

/* Resolve the fault with mm->lock held (interrupts on); see handle_mm_fault. */
static int fault_locked(struct mm *mm, uintptr_t addr, unsigned access)
{
	const struct vma *vma = vma_find(&mm->vmas, (uint32_t)addr);
	struct pte_cursor c;
	int ret = 0;

	if (!vma || !access_allowed(vma->prot, access))
		return -EFAULT;
	if (!pte_map(mm, addr, true, &c))
		return -ENOMEM;
	if (!pte_has_frame(*c.pte)) {
		ret = fill_pte(mm, vma, c.pte);
	} else if ((access & FAULT_WRITE) && !pte_write(*c.pte)) {
		return break_cow(mm, addr, &c, vma->prot);
	} else {
		flush_tlb_one(addr);            /* our TLB held an older, stricter entry */
	}
	pte_unmap(&c);
	return ret;
}

int handle_mm_fault(struct mm *mm, uintptr_t addr, unsigned access)
{
	if (addr >= USER_END)
		return -EFAULT;
	spin_lock(&mm->lock);
	int ret = fault_locked(mm, addr & PAGE_MASK, access);
	spin_unlock(&mm->lock);
	return ret;
}

/* Pages of mm's MAP_SHARED anonymous areas without a frame.  mm->lock held. */
static unsigned long shared_pages_missing(struct mm *mm)
{
	const struct vma *v;
	unsigned long n = 0;

	vma_for_each(v, &mm->vmas)
		if (v->flags & VM_SHARED)
			n += (v->end - v->start) / PAGE_SIZE - mm_count_frames(mm, v->start, v->end);
	return n;
}

int mm_fill_shared(struct mm *mm)
{
	const struct vma *v;

	/* A fork must not drain memory into pages nobody asked for, then fail. */
	if (shared_pages_missing(mm) > nr_free_pages())
		return -ENOMEM;
	vma_for_each(v, &mm->vmas) {
		if (!(v->flags & VM_SHARED))
			continue;
		for (uintptr_t addr = v->start; addr < v->end; addr += PAGE_SIZE) {
			struct pte_cursor c;
			int err = 0;

			if (!pte_map(mm, addr, true, &c))
				return -ENOMEM;
			if (!pte_has_frame(*c.pte))
				err = fill_pte(mm, v, c.pte);
			pte_unmap(&c);
			if (err)
				return err;
		}
	}
	return 0;
}

int mm_copy_to(struct mm *mm, uintptr_t addr, const void *src, size_t len)
{
	const char *from = src;

	while (len) {
		size_t off = addr & (PAGE_SIZE - 1);
		size_t run = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		struct pte_cursor c;

		spin_lock(&mm->lock);
		int err = fault_locked(mm, addr & PAGE_MASK, FAULT_FORCE | FAULT_WRITE);
		if (!err && pte_map(mm, addr, false, &c)) {
			char *page = kmap_atomic(pfn_to_page(pte_pfn(*c.pte)));
			memcpy(page + off, from, run);
			kunmap_atomic(page);
			pte_unmap(&c);
		}
		spin_unlock(&mm->lock);
		if (err)
			return err;
		addr += run;
		from += run;
		len -= run;
	}
	return 0;
}

int mm_put_user_u32(struct mm *mm, uintptr_t addr, uint32_t val)
{
	if (!access_ok(addr, sizeof(val)))
		return -EFAULT;
	return mm_copy_to(mm, addr, &val, sizeof(val));
}
