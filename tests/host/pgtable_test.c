/*
 * Host tests of mm/pgtable.h and mm/pgtable.c: index arithmetic, entry
 * encoding and decoding, the supported-bits mask, and the walker over
 * tables built in host memory.  The walker reaches tables through
 * phys_to_virt, so the tables here hold "physical" addresses made with
 * virt_to_phys from host pointers: the same arithmetic in reverse.
 */
/* host-cflags: -m32 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../mm/pgtable.c"

/* What mm/pgtable.c needs from arch/i386/cpufeature.c. */
struct cpu_features boot_cpu;

unsigned long long cpu_nx_bit(void)
{
	return boot_cpu.nx ? 1ULL << 63 : 0;
}

/* What set_* reports in the kernel by panicking: recorded here. */
static unsigned rewrites;
static uint64_t rewrite_old, rewrite_new;
static const volatile void *rewrite_entry;

void pgtable_rewrite_bug(const char *level, const volatile void *entry, uint64_t old, uint64_t new)
{
	CHECK(level != NULL);
	rewrites++;
	rewrite_entry = entry;
	rewrite_old = old;
	rewrite_new = new;
}

static void all_bits_supported(void)
{
	__supported_pte_mask = ~0ULL;
}

static void indexes_split_the_address(void)
{
	CHECK_EQ(pgd_index(0x00000000), 0);
	CHECK_EQ(pgd_index(0xBFFFFFFF), 2);
	CHECK_EQ(pgd_index(KERNEL_VIRT_BASE), KERNEL_PGD_INDEX);
	CHECK_EQ(pmd_index(KERNEL_VIRT_BASE), 0);
	CHECK_EQ(pmd_index(PKMAP_BASE), 448);
	CHECK_EQ(pmd_index(VMALLOC_START), 449);
	CHECK_EQ(pmd_index(FIXMAP_START), 504);
	CHECK_EQ(pmd_index(UKVA_START), UKVA_PMD_FIRST);
	CHECK_EQ(pmd_index(0xFFFFFFFF), 511);
	CHECK_EQ(pte_index(0xC0123456), 0x123);
	CHECK_EQ(pte_index(0xFFFFF000), 511);
	/* The three indexes and the offset rebuild the address. */
	unsigned long a = 0xDEADBEEF;
	CHECK_EQ(((unsigned long)pgd_index(a) << PGDIR_SHIFT) | (pmd_index(a) << PMD_SHIFT) |
		 (pte_index(a) << PAGE_SHIFT) | (a & 0xFFF), a);
}

static void pte_encodes_and_decodes(void)
{
	all_bits_supported();
	pfn_t last = 0xFFFFFF;                  /* the last frame below 64 GiB */
	pte_t e = pfn_pte(last, PAGE_KERNEL);

	CHECK_EQ(pte_pfn(e), last);
	CHECK_EQ(pte_flags(e), pgprot_val(PAGE_KERNEL));
	CHECK_EQ(pte_val(e), 0xFFFFFF000ULL | pgprot_val(PAGE_KERNEL));
	CHECK_EQ(e.pte_high, 0x8000000F);       /* NX and phys bits 32-35 */
	CHECK_EQ(e.pte_low, 0xFFFFF000 | (uint32_t)__PAGE_KERNEL_EXEC);
	CHECK(pte_present(e) && !pte_none(e));
	CHECK(pte_none(__pte(0)) && !pte_present(__pte(0)));
	CHECK(!pte_present(__pte(0xFFFFF000)));          /* an address alone is not present */
}

static void protections_say_what_they_mean(void)
{
	CHECK(pgprot_val(PAGE_KERNEL) & _PAGE_RW);
	CHECK(pgprot_val(PAGE_KERNEL) & _PAGE_NX);
	CHECK(!(pgprot_val(PAGE_KERNEL_RO) & _PAGE_RW));
	CHECK(pgprot_val(PAGE_KERNEL_RO) & _PAGE_NX);
	CHECK(!(pgprot_val(PAGE_KERNEL_RX) & (_PAGE_RW | _PAGE_NX)));
	CHECK(!(pgprot_val(PAGE_KERNEL_EXEC) & _PAGE_NX));
	CHECK(pgprot_val(PAGE_KERNEL_LARGE) & _PAGE_PSE);
	static const pgprot_t all[] = { PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_RX,
					PAGE_KERNEL_EXEC, PAGE_KERNEL_LARGE };
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CHECK(pgprot_val(all[i]) & _PAGE_GLOBAL);
		CHECK(!(pgprot_val(all[i]) & _PAGE_USER));
	}
	CHECK(!(_KERNPG_TABLE & (_PAGE_USER | _PAGE_PSE | _PAGE_NX | _PAGE_GLOBAL)));
}

static void unsupported_bits_are_dropped(void)
{
	boot_cpu = (struct cpu_features){ .nx = false, .pge = false };
	pgtable_init_supported_mask();
	CHECK_EQ(pte_flags(pfn_pte(5, PAGE_KERNEL)) & (_PAGE_NX | _PAGE_GLOBAL), 0);
	CHECK(pte_flags(pfn_pte(5, PAGE_KERNEL)) & _PAGE_RW);

	boot_cpu = (struct cpu_features){ .nx = true, .pge = false };
	pgtable_init_supported_mask();
	CHECK_EQ(pte_flags(pfn_pte(5, PAGE_KERNEL)) & (_PAGE_NX | _PAGE_GLOBAL), _PAGE_NX);

	boot_cpu = (struct cpu_features){ .nx = true, .pge = true };
	pgtable_init_supported_mask();
	CHECK_EQ(pte_flags(pfn_pte(5, PAGE_KERNEL)), pgprot_val(PAGE_KERNEL));
	all_bits_supported();
}

static void pmd_large_and_table(void)
{
	all_bits_supported();
	pmd_t large = pfn_pmd(0x3FE00, PAGE_KERNEL_LARGE);
	pmd_t table = pfn_pmd(0x12345, __pgprot(_KERNPG_TABLE));

	CHECK(pmd_large(large) && !pmd_large(table));
	CHECK_EQ(pmd_pfn(large), 0x3FE00);
	CHECK_EQ(pmd_pfn(table), 0x12345);
	CHECK_EQ(pmd_flags(table), _KERNPG_TABLE);
	/* Bit 12 of a large entry is PAT, not address. */
	pmd_t pat = __pmd(pmd_val(large) | (1ULL << 12));
	CHECK_EQ(pmd_pfn(pat), 0x3FE00);
	CHECK(pmd_flags(pat) & (1ULL << 12));
	/* PSE without present is not a large page: not a mapping at all. */
	CHECK(!pmd_large(__pmd(_PAGE_PSE)));
}

static void pgd_entries_carry_only_allowed_bits(void)
{
	pgd_t g = pfn_pgd(0x1234);

	CHECK(pgd_present(g));
	CHECK_EQ(pgd_pfn(g), 0x1234);
	CHECK(pgd_bits_valid(g));
	CHECK(pgd_bits_valid(__pgd(pgd_val(g) | _PAGE_PWT | _PAGE_PCD)));
	static const uint64_t reserved[] = { _PAGE_RW, _PAGE_USER, _PAGE_ACCESSED, _PAGE_DIRTY,
					     _PAGE_PSE, _PAGE_GLOBAL, _PAGE_NX };
	for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		CHECK(!pgd_bits_valid(__pgd(pgd_val(g) | reserved[i])));
}

static void set_and_clear_write_both_halves(void)
{
	pte_t slot = __pte(0);
	pmd_t pslot = __pmd(0);
	pgd_t gslot = __pgd(0);

	all_bits_supported();
	set_pte(&slot, pfn_pte(0xABCDEF, PAGE_KERNEL));
	CHECK_EQ(pte_val(slot), pte_val(pfn_pte(0xABCDEF, PAGE_KERNEL)));
	pte_clear(&slot);
	CHECK(pte_none(slot));
	set_pmd(&pslot, pfn_pmd(0x200, PAGE_KERNEL_LARGE));
	CHECK(pmd_large(pslot));
	pmd_clear(&pslot);
	CHECK(pmd_none(pslot));
	set_pgd(&gslot, pfn_pgd(7));
	CHECK_EQ(pgd_val(gslot), (7ULL << PAGE_SHIFT) | _PAGE_PRESENT);
}

static void set_on_a_present_entry_is_reported(void)
{
	pte_t slot = __pte(0);
	pgd_t gslot = __pgd(0);
	unsigned before = rewrites;

	all_bits_supported();
	set_pte(&slot, pfn_pte(0x1234, PAGE_KERNEL));
	CHECK_EQ(rewrites, before);
	set_pte(&slot, pfn_pte(0x5678, PAGE_KERNEL));           /* the bug */
	CHECK_EQ(rewrites, before + 1);
	CHECK(rewrite_entry == &slot);
	CHECK_EQ(rewrite_old, pte_val(pfn_pte(0x1234, PAGE_KERNEL)));
	CHECK_EQ(rewrite_new, pte_val(pfn_pte(0x5678, PAGE_KERNEL)));
	pte_clear(&slot);
	set_pte(&slot, pfn_pte(0x9, PAGE_KERNEL));               /* cleared first: fine */
	/* A not-present entry that holds bits (PROT_NONE's) may be set over. */
	slot = __pte(1ULL << 9);
	set_pte(&slot, pfn_pte(0x9, PAGE_KERNEL));
	set_pgd(&gslot, pfn_pgd(3));
	pgd_clear(&gslot);
	CHECK(pgd_none(gslot));
	set_pgd(&gslot, pfn_pgd(4));
	CHECK_EQ(rewrites, before + 1);
}

static void present_entries_change_atomically(void)
{
	const uint64_t frame = 0x123456ULL << PAGE_SHIFT;       /* above 4 GiB: a high half */
	pte_t slot = __pte(frame | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX);
	unsigned before = rewrites;

	ptep_set_wrprotect(&slot);
	CHECK_EQ(pte_val(slot), frame | _PAGE_PRESENT | _PAGE_USER | _PAGE_NX);
	CHECK(!pte_write(slot));
	CHECK(pte_write(pte_mkwrite(slot)));
	CHECK_EQ(pte_val(pte_wrprotect(pte_mkwrite(slot))), pte_val(slot));
	CHECK_EQ(pte_val(pte_mkdirty(slot)) & _PAGE_DIRTY, _PAGE_DIRTY);

	pte_t new = __pte((0x654321ULL << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW);
	pte_t old = set_pte_atomic(&slot, new);
	CHECK_EQ(pte_val(old), frame | _PAGE_PRESENT | _PAGE_USER | _PAGE_NX);
	CHECK_EQ(pte_val(slot), pte_val(new));

	slot = __pte(pte_val(new) | _PAGE_ACCESSED | _PAGE_DIRTY);
	old = ptep_get_and_clear(&slot);
	CHECK_EQ(pte_val(old), pte_val(new) | _PAGE_ACCESSED | _PAGE_DIRTY);
	CHECK(pte_none(slot));
	CHECK_EQ(rewrites, before);                              /* none of these is a set_* */
}

/* A zeroed, page-aligned host page standing in for a page-table page. */
static void *table_page(void)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	memset(p, 0, PAGE_SIZE);
	return p;
}

static void walker_follows_host_tables(void)
{
	pgd_t *pgd = aligned_alloc(32, 32);
	pmd_t *pmd = table_page();
	pte_t *pte = table_page();
	unsigned long va4k = 0xF8203000, va2m = 0xC0400000 + 0x1234;
	enum pg_level level;

	all_bits_supported();
	memset(pgd, 0, 32);
	CHECK(lookup_address(pgd, va4k, &level) == NULL);
	CHECK_EQ(level, PG_LEVEL_NONE);

	pgd[3] = __pgd(virt_to_phys(pmd) | _PAGE_PRESENT);
	CHECK(lookup_address(pgd, va4k, &level) == NULL);       /* PMD entry none */
	CHECK_EQ(level, PG_LEVEL_NONE);
	CHECK(lookup_pmd(pgd, va4k) == &pmd[pmd_index(va4k)]);
	CHECK(lookup_pmd(pgd, 0x1000) == NULL);                  /* PGD 0 absent */

	pmd[pmd_index(va4k)] = __pmd(virt_to_phys(pte) | _KERNPG_TABLE);
	pte_t *e = lookup_address(pgd, va4k, &level);
	CHECK_EQ(level, PG_LEVEL_4K);
	CHECK(e == &pte[pte_index(va4k)]);
	CHECK(pte_none(*e));
	set_pte(e, pfn_pte(0x42, PAGE_KERNEL));
	CHECK_EQ(pte_pfn(*lookup_address(pgd, va4k, &level)), 0x42);

	pmd[pmd_index(va2m)] = pfn_pmd(0x400, PAGE_KERNEL_LARGE);
	CHECK(lookup_address(pgd, va2m, &level) == NULL);
	CHECK_EQ(level, PG_LEVEL_2M);
	CHECK_EQ(pmd_pfn(*lookup_pmd(pgd, va2m)) + pte_index(va2m), 0x401);
	free(pte);
	free(pmd);
	free(pgd);
}

TEST_MAIN(
	TEST(indexes_split_the_address),
	TEST(pte_encodes_and_decodes),
	TEST(protections_say_what_they_mean),
	TEST(unsupported_bits_are_dropped),
	TEST(pmd_large_and_table),
	TEST(pgd_entries_carry_only_allowed_bits),
	TEST(set_and_clear_write_both_halves),
	TEST(set_on_a_present_entry_is_reported),
	TEST(present_entries_change_atomically),
	TEST(walker_follows_host_tables))
