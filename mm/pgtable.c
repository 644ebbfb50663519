/*
 * Page-table helpers that are not inline: the mask of entry bits the CPU
 * supports, and the walker.
 */
#include "mm/pgtable.h"
#include "arch/i386/cpufeature.h"

/* Neither NX nor global until the CPU is known to have them. */
uint64_t __supported_pte_mask = ~(_PAGE_NX | _PAGE_GLOBAL);

/*
 * NX is a reserved bit without EFER.NXE (a #PF with RSVD), so it stays out
 * of every entry unless the CPU has it (cpu_init turned NXE on then).  G is
 * harmless without CR4.PGE, but is dropped too so that the tables say what
 * the TLB really does.
 */
void pgtable_init_supported_mask(void)
{
	uint64_t mask = ~(_PAGE_NX | _PAGE_GLOBAL);

	mask |= cpu_nx_bit();
	if (boot_cpu.pge)
		mask |= _PAGE_GLOBAL;
	__supported_pte_mask = mask;
}

pmd_t *lookup_pmd(pgd_t *pgd_base, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(pgd_base, addr);

	if (!pgd_present(*pgd))
		return NULL;
	return pmd_offset(pgd, addr);
}

pte_t *lookup_address(pgd_t *pgd_base, unsigned long addr, enum pg_level *level)
{
	pmd_t *pmd = lookup_pmd(pgd_base, addr);

	*level = PG_LEVEL_NONE;
	if (!pmd || !pmd_present(*pmd))
		return NULL;
	if (pmd_large(*pmd)) {
		*level = PG_LEVEL_2M;
		return NULL;
	}
	*level = PG_LEVEL_4K;
	return pte_offset_kernel(pmd, addr);
}
