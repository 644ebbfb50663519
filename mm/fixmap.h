/*
 * Fixmap: compile-time virtual pages at the top of the kernel's shared range
 * (FIXMAP_START..FIXMAP_END, kernel PMD entries 504-507), whose PTE pages
 * paging_init preallocates.  Index i is the page at FIXMAP_START + i pages.
 *
 * The kmap_atomic slots come first: KM_TYPE_NR per CPU, used as a stack.
 * Then device pages, mapped once at boot and never unmapped: the local
 * APIC (one page at the same physical address for every CPU: each CPU
 * reaches its own APIC there) and the I/O APICs.  ACPI tables need no
 * index: they are copied out through kmap_atomic slots.
 */
#ifndef MM_FIXMAP_H
#define MM_FIXMAP_H

#include "mm/memlayout.h"
#include "mm/page.h"
#include "mm/paging.h"
#include "kernel/smp.h"

#define KM_TYPE_NR      16              /* kmap_atomic nesting depth per CPU */
#define FIX_IO_APICS    8               /* = MADT_MAX_IOAPICS (arch/i386/acpi_tables.h) */

enum fixed_addresses {
	FIX_KMAP_BEGIN,
	FIX_KMAP_END = FIX_KMAP_BEGIN + KM_TYPE_NR * NR_CPUS - 1,
	FIX_APIC_BASE,                  /* local APIC registers */
	FIX_IO_APIC_BASE_0,             /* I/O APIC registers, one page each */
	FIX_IO_APIC_BASE_END = FIX_IO_APIC_BASE_0 + FIX_IO_APICS - 1,
	__end_of_fixed_addresses
};

_Static_assert(__end_of_fixed_addresses <= (FIXMAP_END - FIXMAP_START) / PAGE_SIZE,
	       "fixmap indices overflow the fixmap range");

static inline unsigned long fix_to_virt(unsigned idx)
{
	return FIXMAP_START + (unsigned long)idx * PAGE_SIZE;
}

static inline unsigned virt_to_fix(unsigned long vaddr)
{
	return (unsigned)((vaddr - FIXMAP_START) >> PAGE_SHIFT);
}

/*
 * Map the device page holding phys at fixmap index idx, uncached (PCD and
 * PWT select PAT entry 3, UC at power-on, which the kernel never changes:
 * SDM vol. 3A 11.12.3), as memory-mapped registers need.  Returns the virtual address of phys.
 * Boot CPU, before the others start: the entry is then never changed.
 */
static inline void *set_fixmap_nocache(unsigned idx, uint64_t phys)
{
	map_kernel_page(fix_to_virt(idx), (pfn_t)(phys >> PAGE_SHIFT),
			__pgprot(pgprot_val(PAGE_KERNEL) | _PAGE_PCD | _PAGE_PWT));
	return (void *)(fix_to_virt(idx) + (unsigned long)(phys & (PAGE_SIZE - 1)));
}

#endif
