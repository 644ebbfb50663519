/*
 * ACPI discovery: the RSDP in the BIOS areas, the RSDT or XSDT it points
 * at, and the tables they list.  Tables are never used in place: firmware
 * may put them anywhere below 4 GiB (QEMU with 3 GiB or more puts them
 * near 0xBFFE0000, beyond the direct map), so each one is copied out page
 * by page through kmap_atomic_pfn, checked, and kept in kmalloc memory.
 * The parsing itself is pure and host-tested (acpi_tables.h).
 *
 * Boot option acpi=off ignores ACPI: one CPU, the legacy PIC.
 */
#ifndef ARCH_I386_ACPI_H
#define ARCH_I386_ACPI_H

#include "arch/i386/acpi_tables.h"

/*
 * Find and check the RSDP and RSDT/XSDT, then parse the MADT.  Reports
 * what it found, or why there is nothing to use.  Needs kmalloc and
 * kmap_atomic (after kmap_init); boot CPU, before the others start.
 */
void acpi_init(void);

/* The MADT as parsed by acpi_init, or NULL when there is none usable. */
const struct madt_info *acpi_madt(void);

/*
 * A checked copy of the first table with signature sig ("SRAT"), made on
 * the first call and kept for good (never free it); NULL when ACPI is
 * off, the table is absent, or it fails its checks (reported).  Process
 * context: may allocate.
 */
const struct acpi_table_header *acpi_find_table(const char *sig);

/*
 * Copy len bytes at physical address phys into dst, one page at a time
 * through a kmap_atomic slot (firmware memory need not be lowmem).
 * Returns false, copying nothing, if the range lies past the physical
 * address limit.  Any context.
 */
bool acpi_copy_phys(void *dst, uint64_t phys, size_t len);

#endif
