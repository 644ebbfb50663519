/*
 * The memory system calls: brk, mmap2 (anonymous memory), munmap and
 * mprotect, with Linux's argument checks and error numbers.  The area list
 * (mm/vma.c) says what is mapped; the page tables follow it here.
 */
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/page_alloc.h"
#include "mm/tlbflush.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/file.h"
#include "kernel/errno.h"

#define PROT_KNOWN      (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)
/* Flags accepted and ignored, as Linux ignores or merely hints them. */
#define MAP_IGNORED     (MAP_DENYWRITE | MAP_EXECUTABLE | MAP_NORESERVE | MAP_STACK | \
			 MAP_LOCKED | MAP_NONBLOCK | MAP_32BIT | MAP_UNINITIALIZED)
#define MAP_KNOWN       (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | \
			 MAP_POPULATE | MAP_FIXED_NOREPLACE | MAP_HUGETLB | MAP_SYNC | MAP_IGNORED)

/*
 * Apply fn to the PTE of every mapped page of [start, end), skipping
 * whole PMDs without a PTE page.  mm->lock held.
 */
static void for_each_pte(struct mm *mm, uintptr_t start, uintptr_t end,
			 void (*fn)(struct mm *mm, pte_t *pte, void *arg), void *arg)
{
	for (uintptr_t addr = start; addr < end;) {
		struct pte_cursor c;
		uintptr_t pmd_end = ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE;
		if (pmd_end > end || pmd_end == 0)
			pmd_end = end;
		if (!pte_map(mm, addr, false, &c)) {
			addr = pmd_end;
			continue;
		}
		pte_t *pte = c.pte;
		for (; addr < pmd_end; addr += PAGE_SIZE, pte++)
			if (pte_has_frame(*pte))
				fn(mm, pte, arg);
		pte_unmap(&c);
	}
}

/*
 * Clear one PTE.  A frame whose last mapping this was is only listed: until
 * the flush, another CPU may still write it through its TLB, so it is
 * freed after (Linux's mmu_gather does the same).
 */
static void zap_pte(struct mm *mm, pte_t *pte, void *to_free)
{
	struct page *page = pfn_to_page(pte_pfn(ptep_get_and_clear(pte)));

	if (put_page_testzero(page))
		list_add(&page->list, to_free);         /* the list is the owner's to use */
	mm->nr_user_pages--;
}

static void count_frame(struct mm *mm, pte_t *pte, void *count)
{
	(*(unsigned long *)count)++;
}

unsigned long mm_count_frames(struct mm *mm, uintptr_t start, uintptr_t end)
{
	unsigned long n = 0;

	for_each_pte(mm, start, end, count_frame, &n);
	return n;
}

void mm_unmap_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct list_head to_free = LIST_HEAD_INIT(to_free);

	for_each_pte(mm, start, end, zap_pte, &to_free);
	flush_tlb_mm_range(mm, start, end);
	while (!list_empty(&to_free)) {
		struct page *page = list_first_entry(&to_free, struct page, list);
		list_del_init(&page->list);
		free_page(page);
	}
}

static void reprotect_pte(struct mm *mm, pte_t *pte, void *arg)
{
	uint32_t prot = *(uint32_t *)arg;
	struct page *page = pfn_to_page(pte_pfn(*pte));
	uint64_t bits = vm_pte_bits(prot);
	uint64_t shared = pte_val(*pte) & _PAGE_SHARED_ANON;

	/* A frame still shared after fork stays read-only: the first write copies it. */
	if (!shared && (bits & _PAGE_PRESENT) &&
	    __atomic_load_n(&page->refcount, __ATOMIC_ACQUIRE) > 1)
		bits &= ~(uint64_t)(_PAGE_RW | _PAGE_DIRTY);
	bits |= shared;
	/* One atomic store: the entry may be present, NX is in the high half, RW in the low. */
	set_pte_atomic(pte, pfn_pte(pte_pfn(*pte), __pgprot(bits)));
}

void mm_protect_range(struct mm *mm, uintptr_t start, uintptr_t end, uint32_t prot)
{
	for_each_pte(mm, start, end, reprotect_pte, &prot);
	flush_tlb_mm_range(mm, start, end);
}

/* vma_remove_range's callback: the pages of a removed piece go too. */
static void unmap_pages(void *mm, uint32_t start, uint32_t end)
{
	mm_unmap_range(mm, start, end);
}

/*
 * brk(2) as the kernel sees it (not glibc's wrapper): move the end of the
 * heap and return the new end, or the old one when the move is impossible
 * (below the heap's start, into another mapping, out of memory).
 */
SYSCALL_DEFINE1(brk, uintptr_t, addr)
{
	struct mm *mm = current->mm;
	uintptr_t ret;

	spin_lock(&mm->lock);
	uintptr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	uintptr_t new_end = ALIGN_UP(addr, PAGE_SIZE);
	int err = 0;
	if (addr < mm->start_brk || addr > USER_END)
		err = -EINVAL;
	else if (new_end > old_end)
		err = vma_insert(&mm->vmas, old_end, new_end, PROT_READ | PROT_WRITE,
				 VM_ANON | VM_BRK);
	else if (new_end < old_end)
		err = vma_remove_range(&mm->vmas, new_end, old_end, unmap_pages, mm);
	if (!err)
		mm->brk = addr;
	ret = mm->brk;
	spin_unlock(&mm->lock);
	return (long)ret;
}

/* Linux's checks of mmap's arguments, before anything is looked up. */
static long check_mmap_args(uintptr_t addr, size_t len, uint32_t prot, uint32_t flags)
{
	uint32_t type = flags & MAP_TYPE;

	if (!len || (prot & ~PROT_KNOWN) || (flags & ~MAP_KNOWN))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (ALIGN_UP(len, PAGE_SIZE) == 0 || ALIGN_UP(len, PAGE_SIZE) > USER_END)
		return -ENOMEM;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	return 0;
}

/*
 * MAP_POPULATE: fault in every page of [start, end) now, stopping at the
 * first failure (ignored: it shows up at the access, as on Linux).  Each
 * page takes mm->lock on its own; whatever another thread mapped there
 * meanwhile gets the pages instead, which is harmless.
 */
static void populate(struct mm *mm, uintptr_t start, uintptr_t end)
{
	for (uintptr_t a = start; a < end; a += PAGE_SIZE)
		if (handle_mm_fault(mm, a, 0))
			return;
}

/*
 * mmap2: anonymous memory, private or shared (across fork: VM_SHARED, whose
 * pages are filled on first touch, or by fork; see mm_fill_shared).  The
 * area is complete when mm->lock is dropped: nothing is left to do after
 * another thread may have unmapped or replaced it.  File mappings
 * do not exist here: the initrd has no mappable files, so a valid
 * descriptor gets -ENODEV as a file without mmap would on Linux.
 */
SYSCALL_DEFINE6(mmap2, uintptr_t, addr, size_t, len, uint32_t, prot, uint32_t, flags,
		int, fd, uint32_t, pgoff)
{
	struct mm *mm = current->mm;
	long err = check_mmap_args(addr, len, prot, flags);

	if (err)
		return err;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(current->files, fd);
		if (!f)
			return -EBADF;
		fput(f);
		return -ENODEV;
	}
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	len = ALIGN_UP(len, PAGE_SIZE);
	uint32_t start;

	spin_lock(&mm->lock);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		start = (uint32_t)addr;
		if (start >= USER_END || len > USER_END - start)
			err = -ENOMEM;          /* Linux: past TASK_SIZE */
		else if (start < MMAP_MIN_ADDR)
			err = -EPERM;           /* Linux: vm.mmap_min_addr */
		else if (flags & MAP_FIXED_NOREPLACE)
			err = 0;        /* vma_insert says -EEXIST over a mapping */
		else
			err = vma_remove_range(&mm->vmas, start, start + len, unmap_pages, mm);
	} else {
		err = vma_find_free(&mm->vmas, (uint32_t)len, (uint32_t)addr, &start);
	}
	if (!err)
		err = vma_insert(&mm->vmas, start, start + len, prot & ~PROT_SEM,
				 VM_ANON | (shared ? VM_SHARED : 0));
	spin_unlock(&mm->lock);
	if (!err && (flags & MAP_POPULATE))
		populate(mm, start, start + len);
	return err ? err : (long)start;
}

SYSCALL_DEFINE2(munmap, uintptr_t, addr, size_t, len)
{
	struct mm *mm = current->mm;

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_END || addr > USER_END - len)
		return -EINVAL;
	spin_lock(&mm->lock);
	int err = vma_remove_range(&mm->vmas, addr, addr + ALIGN_UP(len, PAGE_SIZE), unmap_pages, mm);
	spin_unlock(&mm->lock);
	return err;
}

SYSCALL_DEFINE3(mprotect, uintptr_t, addr, size_t, len, uint32_t, prot)
{
	struct mm *mm = current->mm;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~PROT_KNOWN))
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || addr >= USER_END || len > USER_END - addr)
		return -ENOMEM;
	prot &= ~PROT_SEM;
	spin_lock(&mm->lock);
	int err = vma_protect_range(&mm->vmas, addr, addr + len, prot);
	if (!err)
		mm_protect_range(mm, addr, addr + len, prot);
	spin_unlock(&mm->lock);
	return err;
}
