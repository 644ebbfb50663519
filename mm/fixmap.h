/*
 * Fixmap: compile-time virtual pages at the top of the kernel's shared range
 * (FIXMAP_START..FIXMAP_END, kernel PMD entries 504-507), whose PTE pages
 * paging_init preallocates.  Index i is the page at FIXMAP_START + i pages.
 *
 * Only the kmap_atomic slots are defined so far: KM_TYPE_NR per CPU, used
 * as a stack.  Device pages (local APIC, I/O APIC, ACPI tables) get their
 * own indices after them when their drivers arrive.
 */
#ifndef MM_FIXMAP_H
#define MM_FIXMAP_H

#include "mm/memlayout.h"
#include "mm/page.h"
#include "kernel/smp.h"

#define KM_TYPE_NR      16              /* kmap_atomic nesting depth per CPU */

enum fixed_addresses {
	FIX_KMAP_BEGIN,
	FIX_KMAP_END = FIX_KMAP_BEGIN + KM_TYPE_NR * NR_CPUS - 1,
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

#endif
