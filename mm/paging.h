/*
 * The kernel's own page tables: the PGD every kernel thread runs on, the
 * global kernel PMD (PGD entry 3), and single-page mappings in the kernel
 * ranges whose PTE pages are preallocated (pkmap, vmalloc, fixmap).
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "mm/pgtable.h"

/* The kernel's PDPT: user entries 0-2 empty, entry 3 = swapper_pmd. */
extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

/* The kernel's PGD as CR3 wants it: kernel threads and exiting tasks run on it. */
static inline uint32_t kernel_pgd_phys(void)
{
	return (uint32_t)virt_to_phys(swapper_pg_dir);
}
/* The global kernel PMD, 512 entries for 0xC0000000..4 GiB. */
extern pmd_t *swapper_pmd;

/* Kernel PMD indices of the ranges (see mm/memlayout.h). */
#define DIRECT_MAP_PMD_COUNT    (MAX_LOWMEM_BYTES >> PMD_SHIFT)         /* 448 */
#define PREALLOC_PMD_FIRST      DIRECT_MAP_PMD_COUNT                    /* pkmap */
#define PREALLOC_PMD_END        UKVA_PMD_FIRST                          /* 508 */

/*
 * Build the final kernel tables from page-allocator frames and switch to
 * them: direct map of lowmem, kernel image with per-section permissions,
 * PTE pages for pkmap/vmalloc/fixmap, no identity map.  Needs cpu_init
 * (NX, PGE) and the page allocator.  Boot CPU, once.
 */
void paging_init(void);

/* Direct-map PMD entries in use: lowmem rounded up to 2 MiB (<= 448). */
unsigned direct_map_pmds(void);

/*
 * Map the frame pfn at vaddr with prot.  vaddr is a page in pkmap, vmalloc
 * or fixmap and must be unmapped now (checked).  No TLB flush is needed for
 * an entry that was not present (SDM 4.10.2.3).  Caller serializes use of
 * that address.
 */
void map_kernel_page(unsigned long vaddr, pfn_t pfn, pgprot_t prot);

/* Remove the mapping at vaddr (pkmap/vmalloc/fixmap) and flush its TLB entry. */
void unmap_kernel_page(unsigned long vaddr);

/* The kernel PTE of vaddr in swapper_pg_dir, or NULL when no PTE page covers it. */
pte_t *virt_to_kpte(unsigned long vaddr);

/* Bytes of lowmem the kernel's PMD and PTE pages take (the PGD is in .bss). */
unsigned long kernel_pgtable_bytes(void);

#endif
