/*
 * An address space (Linux's mm_struct): the user half of the page tables
 * and the areas mapped in it.  Threads of a process share one mm.
 *
 * The three user PMDs are allocated with the mm and never change while it
 * lives: PAE loads the four PDPT entries into the CPU at each CR3 write,
 * so a PDPT entry changed later would not be seen.  PMDs and PTE pages
 * come from highmem when there is highmem (the kernel reaches them with
 * kmap_atomic, or through a UKVA window in the window modes).
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/pgtable.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "kernel/spinlock.h"

#define USER_PGD_ENTRIES        3       /* PGD entries 0-2: 3 GiB of user space */
/*
 * The walks of a whole mm (fork, exit) visit only the 64 MiB groups of
 * PMD entries that pte_map ever filled: a small process has PTE pages in
 * 2-3 of the 48 groups, and 1536 PMD entries cost time under emulation.
 */
#define PTE_GROUP_SHIFT         26
#define PTE_GROUP_PMDS          (1u << (PTE_GROUP_SHIFT - PMD_SHIFT))
_Static_assert(USER_PGD_ENTRIES * PTRS_PER_PMD / PTE_GROUP_PMDS <= 64, "a group bit each");

struct ukva_window;

struct mm {
	int users;                      /* tasks sharing it, and per-mm stack slots */
	int slot_refs;                  /* of users: stack slots, which only keep the tables alive */
	spinlock_t lock;                /* the page tables and the area list */
	pgd_t *pgd;                     /* the mm's PDPT (32 bytes, lowmem) */
	struct page *pmd_pages[USER_PGD_ENTRIES];
	unsigned long nr_pte_pages;     /* user PTE pages allocated */
	unsigned long nr_pte_pages_lowmem; /* of those, in lowmem */
	unsigned long nr_user_pages;    /* frames mapped by its PTEs, shared ones included */
	uint64_t pte_groups;            /* bit g: PTE pages may exist at [g, g + 1) << PTE_GROUP_SHIFT */
	struct vma_list vmas;           /* what is mapped, with which protection */
	struct ukva_window *window;     /* mm=per-mm: this mm's window */
	uint32_t cpu_mask;              /* CPUs whose TLB may hold our entries (tlbflush.h) */
	uintptr_t start_brk, brk;       /* the heap: [start_brk, brk) */
};

/* A new, empty address space, or NULL when memory is short. */
struct mm *mm_create(void);
/* Tasks sharing mm: its users but for stack slots' references (mm=per-mm). */
static inline int mm_tasks(const struct mm *mm)
{
	return __atomic_load_n(&mm->users, __ATOMIC_RELAXED) -
	       __atomic_load_n(&mm->slot_refs, __ATOMIC_RELAXED);
}

/* Take a reference (a new thread). */
void mm_get(struct mm *mm);
/* Drop a reference; the last one frees every page the mm owns. */
void mm_put(struct mm *mm);
/*
 * Copy of old for fork: the same mappings, with every private writable page
 * now shared read-only by both (copy on write).  NULL when memory is short.
 */
struct mm *mm_dup(struct mm *old);
/* Physical address of the mm's PGD, for CR3. */
uint32_t mm_pgd_phys(const struct mm *mm);

/*
 * Walking user page tables.  A cursor maps the PTE page that holds one
 * address; interrupts stay off from pte_map to pte_unmap because the
 * mapping may be a per-CPU kmap_atomic slot.  Caller holds mm->lock.
 */
struct pte_cursor {
	pte_t *pte;                     /* the PTE of the address asked for */
	uint32_t irqflags;
	bool kmapped;                   /* through kmap_atomic, not a window */
};

/*
 * Map the PTE of addr.  With alloc, a missing PTE page is allocated (zeroed);
 * returns false if it is missing (and !alloc) or memory is short.
 */
bool pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);
void pte_unmap(struct pte_cursor *c);
/*
 * Clear the PTE under c (the PTE of addr in mm), unmap c, and flush addr
 * from every CPU that may cache it (Linux's ptep_clear_flush): when it
 * returns no CPU can reach the old frame through mm, so the entry may be
 * set again.  Interrupts must have been on at pte_map (the shootdown waits
 * for other CPUs); mm->lock held.  Returns the old entry.
 */
pte_t ptep_clear_flush(struct mm *mm, uintptr_t addr, struct pte_cursor *c);
/*
 * pte_map's walk for any mm, loaded or not: the PMD page and the PTE page
 * through kmap_atomic (the mode's pte_map op falls back to it).  Same
 * contract as pte_map, with interrupts already off; c->irqflags untouched.
 */
bool pte_map_kmap(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);

/*
 * A zeroed page for a page table, from highmem when there is any: gfp is
 * GFP_HIGHUSER for a user PMD or PTE page, GFP_HIGHMEM for a window's
 * (kernel PMD copy, window page, stack-slot table; page_alloc.h).  NULL
 * when memory is short.  free_pgtable_page ignores NULL.
 */
struct page *alloc_pgtable_page(gfp_t gfp);
void free_pgtable_page(struct page *p);

/*
 * A zeroed PGD (PDPT): 32 bytes of lowmem, 32-byte aligned, below 4 GiB as
 * CR3 needs; NULL when memory is short.  pgd_free ignores NULL.
 */
pgd_t *pgd_alloc(void);
void pgd_free(pgd_t *pgd);

/* Count a user PTE page in (delta 1) or out (-1) of mm. */
void mm_account_pte_page(struct mm *mm, const struct page *pt, int delta);

/* The PTE of addr (0 when none).  Takes mm->lock. */
pte_t mm_lookup_pte(struct mm *mm, uintptr_t addr);

/*
 * A PROT_NONE page keeps its frame in a PTE without the present bit, marked
 * by this software bit (one the CPU ignores when P is clear), as Linux does.
 */
#define _PAGE_PROTNONE  (1ULL << 9)
/*
 * A frame of a MAP_SHARED anonymous mapping: fork shares it writable, never
 * copy-on-write.  Software bit 10, ignored by the CPU (SDM vol. 3A 4.4.2,
 * Table 4-19, "Ignored").
 */
#define _PAGE_SHARED_ANON (1ULL << 10)

/* Does this user PTE hold a frame (mapped, or kept while PROT_NONE)? */
static inline bool pte_has_frame(pte_t pte)
{
	return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

/* Clear the PTEs of [start, end) and drop their frames.  mm->lock held. */
void mm_unmap_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* How many pages of [start, end) hold a frame.  mm->lock held. */
unsigned long mm_count_frames(struct mm *mm, uintptr_t start, uintptr_t end);
/* Make the PTEs of [start, end) match prot (present ones only).  mm->lock held. */
void mm_protect_range(struct mm *mm, uintptr_t start, uintptr_t end, uint32_t prot);
/* The PTE bits for a user page with this PROT_* protection (PROT_NONE: not present). */
uint64_t vm_pte_bits(uint32_t prot);

/* What a fault asks for (handle_mm_fault's access). */
#define FAULT_WRITE     (1u << 0)
#define FAULT_EXEC      (1u << 1)
#define FAULT_FORCE     (1u << 2)       /* the kernel itself, ignoring prot (exec's loader) */

/*
 * Resolve a fault at addr: demand-zero a missing page, copy a shared one
 * on write.  Returns 0 when the access can be retried, -EFAULT when the
 * address or access is not allowed (the process gets SIGSEGV), -ENOMEM.
 * Takes mm->lock.
 */
int handle_mm_fault(struct mm *mm, uintptr_t addr, unsigned access);

/*
 * Give every page of mm's MAP_SHARED anonymous areas a frame (marked
 * shared), as fork needs: an area has no object behind it, so a page
 * first touched after the fork would be a different frame in parent and
 * child.  mm->lock held.  Returns 0 or -ENOMEM: at once, taking nothing,
 * when fewer frames are free than pages are missing; else (another CPU
 * took the frames meanwhile) the pages filled so far stay, as if touched.
 */
int mm_fill_shared(struct mm *mm);

/*
 * Copy len bytes into mm at addr, which need not be the current mm: pages
 * are faulted in and made private first.  Returns 0, -EFAULT or -ENOMEM.
 */
int mm_copy_to(struct mm *mm, uintptr_t addr, const void *src, size_t len);
/* mm_copy_to for one 32-bit word. */
int mm_put_user_u32(struct mm *mm, uintptr_t addr, uint32_t val);

#endif
