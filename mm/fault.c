/*
 * Page faults on user addresses: demand-zero pages and copy on write.
 * Every user page is private: a page is shared only between the mms of a
 * fork, read-only, until one of them writes.
 */
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/tlb.h"
#include "mm/tlbflush.h"
#include "arch/i386/traps.h"
#include "arch/i386/extable.h"
#include "kernel/counters.h"
#include "mm/ukva/ukva.h"
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

/* Give the mm its own copy of a frame it shares.  Interrupts off; returns 0 or -ENOMEM. */
static int break_cow(struct mm *mm, pte_t *pte, uint32_t prot)
{
	struct page *old = pfn_to_page(pte_pfn(*pte));

	if (__atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) > 1) {
		struct page *copy = alloc_page(GFP_HIGHUSER);
		if (!copy)
			return -ENOMEM;
		copy_highpage(copy, old);
		set_pte(pte, pfn_pte(page_to_pfn(copy), __pgprot(vm_pte_bits(prot))));
		put_page(old);
	} else {
		set_pte(pte, __pte(pte_val(*pte) | (vm_pte_bits(prot) & (_PAGE_RW | _PAGE_DIRTY))));
	}
	return 0;
}

/* Resolve the fault with mm->lock held (interrupts on); see handle_mm_fault. */
static int fault_locked(struct mm *mm, uintptr_t addr, unsigned access)
{
	const struct vma *vma = vma_find(&mm->vmas, (uint32_t)addr);
	struct pte_cursor c;
	bool replaced = false;
	int ret = 0;

	if (!vma || !access_allowed(vma->prot, access))
		return -EFAULT;
	if (!pte_map(mm, addr, true, &c))
		return -ENOMEM;
	if (!pte_has_frame(*c.pte)) {
		struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
		if (page) {
			set_pte(c.pte, pfn_pte(page_to_pfn(page), __pgprot(vm_pte_bits(vma->prot))));
			mm->nr_user_pages++;
		} else {
			ret = -ENOMEM;
		}
	} else if ((access & FAULT_WRITE) && !(pte_val(*c.pte) & _PAGE_RW)) {
		ret = break_cow(mm, c.pte, vma->prot);
		replaced = true;
	} else {
		flush_tlb_one(addr);            /* our TLB held an older, stricter entry */
	}
	pte_unmap(&c);
	/* Other threads' CPUs may still map the old, shared frame read-only. */
	if (replaced)
		flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE);
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

/*
 * The page-fault entry for addresses the kernel may resolve (called by
 * arch/i386/traps.c before treating a fault as fatal).  A user-mode fault
 * on a user address goes to handle_mm_fault; a kernel-mode one only when
 * it comes from a uaccess instruction (one with an exception-table entry):
 * a kernel bug that dereferences a user pointer directly must oops, not be
 * paged in.  A uaccess fault that cannot be resolved continues at its
 * fixup, which returns -EFAULT.  Returns true when the fault is handled.
 */
bool do_page_fault(struct trap_frame *f, uint32_t cr2)
{
	uint32_t err = f->error_code;
	bool user_mode = err & X86_PF_USER;
	uint32_t fixup = user_mode ? 0 : search_exception_table(f->eip);
	struct mm *mm = current->mm;

	if (!user_mode && cr2 >= UKVA_START && ukva_window_fault(cr2))
		return true;
	if (f->eflags & EFLAGS_IF)
		local_irq_enable();     /* CR2 is read; let the tick run while we work */
	if (mm && cr2 < USER_END && !(err & X86_PF_RSVD) && (user_mode || fixup)) {
		unsigned access = (err & X86_PF_WRITE ? FAULT_WRITE : 0) |
				  (err & X86_PF_INSTR ? FAULT_EXEC : 0);
		count_event_cpu(CNT_PAGE_FAULT);
		if (handle_mm_fault(mm, cr2, access) == 0)
			return true;
	}
	if (fixup) {
		f->eip = fixup;
		return true;
	}
	return false;
}
