/*
 * PAE page tables in Linux's vocabulary (cf. arch/x86/include/asm/pgtable-3level.h).
 *
 *   pgd_t   one of the 4 PDPT entries ("PGD"): 1 GiB each, points at a PMD
 *   pmd_t   a page-directory entry: 2 MiB, a large page or a PTE page
 *   pte_t   a page-table entry: 4 KiB
 *
 * Every entry is 64 bits; physical addresses are u64 (36 bits used: 64 GiB).
 * Entries are opaque and reached only through the helpers below.  This header
 * is pure logic: it compiles freestanding and hosted (tests/host), so it must
 * not touch control registers (that is arch/i386/tlb.h).
 *
 * PMD and PTE pages reached by pmd_offset/pte_offset_kernel must be lowmem:
 * they are read through the direct map.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/compiler.h"
#include "mm/page.h"
#include "arch/i386/cmpxchg.h"

#define PGDIR_SHIFT     30
#define PMD_SHIFT       21
#define PTRS_PER_PGD    4
#define PTRS_PER_PMD    512
#define PTRS_PER_PTE    512
#define PMD_SIZE        (1u << PMD_SHIFT)
#define KERNEL_PGD_INDEX 3              /* the PGD entry of 0xC0000000.. */

/* Entry bits (SDM vol. 3A, tables 4-8 to 4-11). */
#define _PAGE_PRESENT   (1ULL << 0)
#define _PAGE_RW        (1ULL << 1)
#define _PAGE_USER      (1ULL << 2)
#define _PAGE_PWT       (1ULL << 3)
#define _PAGE_PCD       (1ULL << 4)
#define _PAGE_ACCESSED  (1ULL << 5)
#define _PAGE_DIRTY     (1ULL << 6)
#define _PAGE_PSE       (1ULL << 7)     /* in a PMD entry: 2 MiB page */
#define _PAGE_GLOBAL    (1ULL << 8)     /* in a leaf entry, with CR4.PGE */
#define _PAGE_NX        (1ULL << 63)    /* with EFER.NXE; reserved otherwise */

/* Physical address bits of an entry: 12..51 (the architectural PAE maximum). */
#define PTE_PFN_MASK    0x000FFFFFFFFFF000ULL
/* A 2 MiB page's address bits: 21..51 (bit 12 is PAT there). */
#define PMD_LARGE_PFN_MASK 0x000FFFFFFFE00000ULL

/*
 * A PDPT entry may hold only P, PWT, PCD and the address: RW, US, A, D, PS,
 * G and NX are reserved in PAE PDPTEs and loading CR3 with any of them set
 * raises #GP (SDM 4.4.1, table 4-8).
 */
#define PGD_ALLOWED_BITS (_PAGE_PRESENT | _PAGE_PWT | _PAGE_PCD | PTE_PFN_MASK)

typedef struct { uint64_t pgprot; } pgprot_t;
#define __pgprot(v)     ((pgprot_t){ (v) })
#define pgprot_val(p)   ((p).pgprot)

/* The halves let set_* order the two 32-bit stores (see __set_entry). */
typedef union { uint64_t pte; struct { uint32_t pte_low, pte_high; }; } pte_t;
typedef union { uint64_t pmd; struct { uint32_t pmd_low, pmd_high; }; } pmd_t;
typedef union { uint64_t pgd; struct { uint32_t pgd_low, pgd_high; }; } pgd_t;

/* Kernel PMD entry pointing at a PTE page: supervisor, writable. */
#define _KERNPG_TABLE   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
/* User PMD entry pointing at a PTE page: writable, user; the PTEs decide the rest. */
#define _PAGE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
/* PGD (PDPT) entry pointing at a PMD page: present is all it may say. */
#define _PAGE_PGD       _PAGE_PRESENT

#define __PAGE_KERNEL_EXEC (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define __PAGE_KERNEL_RX   (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)

#define PAGE_KERNEL_EXEC   __pgprot(__PAGE_KERNEL_EXEC)
#define PAGE_KERNEL        __pgprot(__PAGE_KERNEL_EXEC | _PAGE_NX)
#define PAGE_KERNEL_RX     __pgprot(__PAGE_KERNEL_RX)
#define PAGE_KERNEL_RO     __pgprot(__PAGE_KERNEL_RX | _PAGE_NX)
#define PAGE_KERNEL_LARGE  __pgprot(__PAGE_KERNEL_EXEC | _PAGE_NX | _PAGE_PSE)

/*
 * The entry bits this CPU accepts: _PAGE_NX is cleared without NX (it would
 * be a reserved bit: #PF with RSVD set), _PAGE_GLOBAL without PGE.  Set by
 * pgtable_init_supported_mask() from the CPU features; until then neither.
 */
extern uint64_t __supported_pte_mask;

static inline uint64_t massage_pgprot(pgprot_t prot)
{
	return pgprot_val(prot) & __supported_pte_mask;
}

static inline unsigned pgd_index(unsigned long addr)
{
	return (addr >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1);
}

static inline unsigned pmd_index(unsigned long addr)
{
	return (addr >> PMD_SHIFT) & (PTRS_PER_PMD - 1);
}

static inline unsigned pte_index(unsigned long addr)
{
	return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

static inline pte_t __pte(uint64_t v) { return (pte_t){ .pte = v }; }
static inline pmd_t __pmd(uint64_t v) { return (pmd_t){ .pmd = v }; }
static inline pgd_t __pgd(uint64_t v) { return (pgd_t){ .pgd = v }; }
static inline uint64_t pte_val(pte_t e) { return e.pte; }
static inline uint64_t pmd_val(pmd_t e) { return e.pmd; }
static inline uint64_t pgd_val(pgd_t e) { return e.pgd; }

static inline bool pte_none(pte_t e)    { return pte_val(e) == 0; }
static inline bool pmd_none(pmd_t e)    { return pmd_val(e) == 0; }
static inline bool pgd_none(pgd_t e)    { return pgd_val(e) == 0; }
static inline bool pte_present(pte_t e) { return pte_val(e) & _PAGE_PRESENT; }
static inline bool pmd_present(pmd_t e) { return pmd_val(e) & _PAGE_PRESENT; }
static inline bool pgd_present(pgd_t e) { return pgd_val(e) & _PAGE_PRESENT; }

/* Does this PMD entry map a 2 MiB page (rather than point at a PTE page)? */
static inline bool pmd_large(pmd_t e)
{
	return (pmd_val(e) & (_PAGE_PRESENT | _PAGE_PSE)) == (_PAGE_PRESENT | _PAGE_PSE);
}

/* The flag bits of an entry: everything but the address. */
static inline uint64_t pte_flags(pte_t e) { return pte_val(e) & ~PTE_PFN_MASK; }
static inline uint64_t pmd_flags(pmd_t e)
{
	return pmd_val(e) & ~(pmd_large(e) ? PMD_LARGE_PFN_MASK : PTE_PFN_MASK);
}

static inline pfn_t pte_pfn(pte_t e)
{
	return (pfn_t)((pte_val(e) & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* For a large page: its first frame.  Else: the frame of the PTE page. */
static inline pfn_t pmd_pfn(pmd_t e)
{
	uint64_t mask = pmd_large(e) ? PMD_LARGE_PFN_MASK : PTE_PFN_MASK;
	return (pfn_t)((pmd_val(e) & mask) >> PAGE_SHIFT);
}

static inline pfn_t pgd_pfn(pgd_t e)
{
	return (pfn_t)((pgd_val(e) & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* A leaf entry for frame pfn with protection prot (bits the CPU lacks dropped). */
static inline pte_t pfn_pte(pfn_t pfn, pgprot_t prot)
{
	return __pte(((uint64_t)pfn << PAGE_SHIFT) | massage_pgprot(prot));
}

/* A PMD entry: a 2 MiB page at pfn (prot has _PAGE_PSE; pfn 512-aligned), or a PTE page. */
static inline pmd_t pfn_pmd(pfn_t pfn, pgprot_t prot)
{
	return __pmd(((uint64_t)pfn << PAGE_SHIFT) | massage_pgprot(prot));
}

/* A PGD entry pointing at the PMD page at pfn: only P and the address. */
static inline pgd_t pfn_pgd(pfn_t pfn)
{
	return __pgd(((uint64_t)pfn << PAGE_SHIFT) | _PAGE_PGD);
}

/*
 * How a PAE entry may change (SDM vol. 3A 4.10.4 and 4.8; Linux's
 * pgtable-3level.h does the same):
 *  - set_pte/set_pmd/set_pgd fill an entry that is NOT present, with two
 *    32-bit stores, high half first, so no walker sees a present entry
 *    with a stale high half.  On a present entry another CPU's walk could
 *    see {new high half, old low half}: a frame nobody chose.  So every
 *    set_* checks, and a present entry is a bug (pgtable_rewrite_bug).
 *  - A present entry is cleared (pte_clear, ptep_get_and_clear,
 *    pmd_clear, pgd_clear: low half with the present bit first), flushed,
 *    and only then set again (ptep_clear_flush in mm/mm.h does all three
 *    for a user PTE); or, where it must stay present, changed in one
 *    atomic step: set_pte_atomic (CMPXCHG8B), ptep_set_wrprotect (a
 *    locked AND of the low half).
 */

/*
 * A set_* found its entry present.  The kernel panics with the entry's
 * address and both values (mm/mmdebug.c); the host tests record it.
 */
void pgtable_rewrite_bug(const char *level, const volatile void *entry, uint64_t old,
			 uint64_t new);

/* Store v in a not-present entry: high half, then the low half with the present bit. */
static inline void __set_entry(const char *level, volatile uint32_t *low,
			       volatile uint32_t *high, uint64_t v)
{
	if (unlikely(*low & _PAGE_PRESENT))
		pgtable_rewrite_bug(level, low, ((uint64_t)*high << 32) | *low, v);
	*high = (uint32_t)(v >> 32);
	barrier();              /* x86 keeps stores in program order (SDM 8.2.2) */
	*low = (uint32_t)v;
}

/* Clear an entry: low half (present bit) first, then the high half. */
static inline void __clear_entry(volatile uint32_t *low, volatile uint32_t *high)
{
	*low = 0;
	barrier();
	*high = 0;
}

static inline void set_pte(pte_t *ptep, pte_t e)
{
	__set_entry("pte", &ptep->pte_low, &ptep->pte_high, pte_val(e));
}

static inline void set_pmd(pmd_t *pmdp, pmd_t e)
{
	__set_entry("pmd", &pmdp->pmd_low, &pmdp->pmd_high, pmd_val(e));
}

/*
 * Set a PDPT entry.  The CPU reads PDPT entries only at a CR3 load, so the
 * caller reloads CR3 (flush_tlb_all_nonglobal) before relying on it.
 */
static inline void set_pgd(pgd_t *pgdp, pgd_t e)
{
	__set_entry("pgd", &pgdp->pgd_low, &pgdp->pgd_high, pgd_val(e));
}

static inline void pte_clear(pte_t *ptep)
{
	__clear_entry(&ptep->pte_low, &ptep->pte_high);
}

static inline void pmd_clear(pmd_t *pmdp)
{
	__clear_entry(&pmdp->pmd_low, &pmdp->pmd_high);
}

/* Clear a PDPT entry; as for set_pgd, it counts from the next CR3 load. */
static inline void pgd_clear(pgd_t *pgdp)
{
	__clear_entry(&pgdp->pgd_low, &pgdp->pgd_high);
}

/*
 * Clear a PTE and return what it held, with the accessed and dirty bits
 * the CPU set up to the clear: the low half (present bit) goes in one
 * atomic exchange, after which no walker writes the entry, then the high
 * half.  The caller flushes the TLB.
 */
static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	pte_t old;

	old.pte_low = __atomic_exchange_n(&ptep->pte_low, 0, __ATOMIC_SEQ_CST);
	old.pte_high = ptep->pte_high;
	*(volatile uint32_t *)&ptep->pte_high = 0;
	return old;
}

/*
 * Replace an entry that may be present, in one atomic 64-bit store: no
 * walker sees half of it.  Returns the old entry.  The caller flushes the
 * TLB when the change takes access away.
 */
static inline pte_t set_pte_atomic(pte_t *ptep, pte_t e)
{
	return __pte(xchg64(&ptep->pte, pte_val(e)));
}

/* The same for a kernel PMD entry (mm=per-cpu's window entry under a live stack). */
static inline pmd_t set_pmd_atomic(pmd_t *pmdp, pmd_t e)
{
	return __pmd(xchg64(&pmdp->pmd, pmd_val(e)));
}

static inline pte_t pte_wrprotect(pte_t e) { return __pte(pte_val(e) & ~_PAGE_RW); }
static inline pte_t pte_mkwrite(pte_t e)   { return __pte(pte_val(e) | _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t e)   { return __pte(pte_val(e) | _PAGE_DIRTY); }
static inline bool pte_write(pte_t e)      { return pte_val(e) & _PAGE_RW; }

/*
 * Write-protect a PTE in place.  RW is in the low half, so one locked AND
 * keeps the entry present throughout and keeps an accessed or dirty bit
 * the CPU sets meanwhile (it sets them with locked operations, SDM 4.8).
 * The caller flushes the TLB.
 */
static inline void ptep_set_wrprotect(pte_t *ptep)
{
	__atomic_fetch_and(&ptep->pte_low, ~(uint32_t)_PAGE_RW, __ATOMIC_SEQ_CST);
}

/* Does e use only the bits a PDPT entry allows? */
static inline bool pgd_bits_valid(pgd_t e)
{
	return (pgd_val(e) & ~PGD_ALLOWED_BITS) == 0;
}

/* The PGD entry of addr in the PDPT pgd_base. */
static inline pgd_t *pgd_offset(pgd_t *pgd_base, unsigned long addr)
{
	return pgd_base + pgd_index(addr);
}

/* The PMD entry of addr under a present PGD entry (PMD pages are lowmem). */
static inline pmd_t *pmd_offset(pgd_t *pgd, unsigned long addr)
{
	pmd_t *pmd_page = phys_to_virt(pgd_val(*pgd) & PTE_PFN_MASK);
	return pmd_page + pmd_index(addr);
}

/* The PTE of addr under a present, non-large PMD entry whose PTE page is lowmem. */
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	pte_t *pte_page = phys_to_virt(pmd_val(*pmd) & PTE_PFN_MASK);
	return pte_page + pte_index(addr);
}

enum pg_level {
	PG_LEVEL_NONE,                  /* no PGD or PMD entry covers the address */
	PG_LEVEL_4K,                    /* under a PTE page */
	PG_LEVEL_2M,                    /* inside a 2 MiB page */
};

/*
 * Walk the tables under pgd_base for addr, as the MMU would.  Returns the
 * PTE (which may be none) and level PG_LEVEL_4K when a PTE page covers addr;
 * NULL with PG_LEVEL_2M for a large page (lookup_pmd gives its entry), or
 * NULL with PG_LEVEL_NONE.  Reads only; the caller keeps the tables still.
 */
pte_t *lookup_address(pgd_t *pgd_base, unsigned long addr, enum pg_level *level);

/* The PMD entry of addr under pgd_base, or NULL when its PGD entry is absent. */
pmd_t *lookup_pmd(pgd_t *pgd_base, unsigned long addr);

/* Set __supported_pte_mask from the boot CPU's features (after cpu_init). */
void pgtable_init_supported_mask(void);

#endif
