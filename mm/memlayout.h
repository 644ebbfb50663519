/*
 * The kernel's virtual memory map (i386, PAE, 3G/1G split).
 *
 * The 4 GiB virtual space is split by the four PGD (PDPT) entries, 1 GiB each.
 * Entries 0-2 are user space and point at the mm's three user PMDs; entry 3
 * is the kernel and points at a kernel PMD: 512 entries of 2 MiB each.
 *
 *   0x00000000 +-----------------------------+  PGD 0..2: user (per mm)
 *              |  user space (3 GiB)         |
 *   0xC0000000 +-----------------------------+  PGD 3: kernel PMD
 *              |  direct map of lowmem       |  PMD 0..447, up to 896 MiB,
 *              |  (phys 0 .. 896 MiB)        |  2 MiB global pages, except the
 *              |                             |  first LOW_PTE_PMDS (kernel image
 *              |                             |  at 1 MiB, 4 KiB pages: text RX,
 *              |                             |  rodata RO, data NX)
 *   0xF8000000 +-----------------------------+
 *              |  pkmap: kmap() slots        |  PMD 448, 512 pages
 *   0xF8200000 +-----------------------------+
 *              |  vmalloc area               |  PMD 449..503
 *   0xFF000000 +-----------------------------+
 *              |  fixmap: kmap_atomic slots  |  PMD 504..507, per-CPU slots,
 *              |  per CPU, device MMIO       |  LAPIC / IOAPIC / ACPI pages
 *   0xFF800000 +=============================+
 *              |  UKVA window                |  PMD 508..511: NEVER global,
 *              |  (see mm/ukva/window.h)     |  different per mm or per task
 *              |                             |  depending on mm= mode;
 *              |                             |  unmapped in mm=shared
 *   0xFFFFFFFF +=============================+
 *
 * Every kernel PMD entry outside the window is fixed at boot: the direct map
 * uses large pages, and the PTE pages of pkmap, vmalloc and fixmap are all
 * preallocated. A copy of the kernel PMD made at any time therefore never
 * goes stale (mm/ukva tests walk every copy to prove it).
 *
 * linker.ld.S includes this header (through the preprocessor) for
 * KERNEL_VIRT_BASE and KERNEL_PHYS_LOAD: the part before __ASSEMBLER__ must
 * stay plain #defines.
 */
#ifndef MM_MEMLAYOUT_H
#define MM_MEMLAYOUT_H

#define KERNEL_VIRT_BASE   0xC0000000      /* PAGE_OFFSET: start of the direct map */
#define KERNEL_PHYS_LOAD   0x00100000      /* where the boot loader puts us */

#define MAX_LOWMEM_BYTES   0x38000000      /* 896 MiB: the direct map's reach */
#define DIRECT_MAP_END     (KERNEL_VIRT_BASE + MAX_LOWMEM_BYTES)

#define PKMAP_BASE         0xF8000000
#define PKMAP_PAGES        512

#define VMALLOC_START      0xF8200000
#define VMALLOC_END        0xFF000000

#define FIXMAP_START       0xFF000000
#define FIXMAP_END         0xFF800000

#define UKVA_START         0xFF800000      /* the window: top 4 PMD entries */
#define UKVA_END           0x100000000ULL
#define UKVA_PMD_FIRST     508
#define UKVA_PMD_COUNT     4

#define USER_END           0xC0000000      /* first address user space may not touch */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Virtual address of a lowmem physical address, through the direct map. */
static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)(phys + KERNEL_VIRT_BASE);
}

/* Physical address of a direct-mapped (lowmem) kernel virtual address. */
static inline uint64_t virt_to_phys(const void *virt)
{
	return (uint64_t)((uintptr_t)virt - KERNEL_VIRT_BASE);
}
#endif

#endif
