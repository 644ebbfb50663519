/*
 * PAE page-directory-pointer tables ("PGDs", 4 entries, 32 bytes) that
 * need not be in lowmem: mm=per-task gives every task one.
 *
 * CR3 holds a 32-bit physical address, so a PDPT must lie below 4 GiB,
 * 32-byte aligned (SDM vol. 3A 4.4.1); the CPU reads it by physical
 * address, so it need not be in the direct map.  They are carved 128 to a
 * frame from highmem below 4 GiB and written through kmap_atomic; where
 * no such frame is free (a machine whose highmem is all above 4 GiB or
 * used up), or with the boot option pdpt=lowmem, they are kmalloc-32
 * objects in lowmem, as the mms' own PGDs are.
 */
#ifndef MM_PDPT_H
#define MM_PDPT_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/pgtable.h"

#define PDPT_BYTES              (PTRS_PER_PGD * sizeof(pgd_t))          /* 32 */

/* A zeroed PDPT: its physical address (what CR3 takes), or 0 when memory is short. */
uint32_t pdpt_alloc(void);
/* Free the PDPT at phys (from pdpt_alloc); no CPU may have it in CR3. */
void pdpt_free(uint32_t phys);
/* Is the PDPT at phys in lowmem (the fallback)? */
bool pdpt_is_lowmem(uint32_t phys);
/*
 * The PDPT at phys, mapped for this CPU (kmap_atomic: interrupts off)
 * until pdpt_unmap.  A write to a loaded PDPT counts only from the next
 * CR3 write: the CPU caches the four entries at every load (SDM 4.4.1).
 */
pgd_t *pdpt_map(uint32_t phys);
void pdpt_unmap(pgd_t *pgd);
/* Do PDPTs come from highmem here (some below 4 GiB, and no pdpt=lowmem)? */
bool pdpt_from_highmem(void);
/* Frames holding highmem PDPTs now (for the boot and memory reports). */
unsigned long pdpt_pool_pages(void);

#endif
