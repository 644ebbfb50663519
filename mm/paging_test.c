/*
 * Tests of the kernel page tables: the walker against the mappings, the
 * kernel image permissions as the MMU enforces them (a fault is caught and
 * checked), and the invariant that fixes every non-window kernel PMD entry
 * at boot.
 */
#include "kernel/ktest.h"
#include "kernel/sections.h"
#include "kernel/string.h"
#include "arch/i386/fault_catch.h"
#include "arch/i386/tlb.h"
#include "mm/paging.h"
#include "numa/ktext.h"
#include "numa/numa.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "arch/i386/cpu.h"

/* Page-fault error code bits (SDM 4.7). */
#define PF_PROT         0x01            /* 0: not present */
#define PF_WRITE        0x02
#define PF_USER         0x04
#define PF_INSTR        0x10            /* instruction fetch (NX) */

#define TEST_VADDR_VMALLOC      (VMALLOC_START + 17 * PAGE_SIZE)

static const uint32_t rodata_word __used = 0x600dc0de;
static uint8_t data_ret_insn[16] __used = { 0xC3 };     /* "ret", in .data */

static bool nx_enabled(void)
{
	return __supported_pte_mask & _PAGE_NX;
}

static bool pge_enabled(void)
{
	return __supported_pte_mask & _PAGE_GLOBAL;
}

/* noinline: each keeps the faulting access inside a known function. */
static __attribute__((noinline)) void write_word(void *addr)
{
	*(volatile uint32_t *)addr = 0xbad0bad0;
}

static __attribute__((noinline)) void read_word(void *addr)
{
	(void)*(volatile uint32_t *)addr;
}

static __attribute__((noinline)) void call_addr(void *addr)
{
	((void (*)(void))addr)();
}

/* Run fn(addr), expect a page fault at addr with (error & mask) == want. */
static void expect_fault(struct ktest *t, void (*fn)(void *), void *addr,
			 uint32_t mask, uint32_t want)
{
	struct fault_info f;

	if (!catch_fault(fn, addr, &f)) {
		ktest_fail(t, __FILE__, __LINE__, "no fault at %p", addr);
		return;
	}
	KTEST_EXPECT_EQ(t, f.vector, 14);
	KTEST_EXPECT_EQ(t, f.cr2, (uint32_t)addr);
	KTEST_EXPECT_EQ(t, f.error_code & mask, want);
}

static void kernel_pgd_layout(struct ktest *t)
{
	for (unsigned i = 0; i < KERNEL_PGD_INDEX; i++)
		KTEST_EXPECT(t, pgd_none(swapper_pg_dir[i]));
	pgd_t k = swapper_pg_dir[KERNEL_PGD_INDEX];
	KTEST_EXPECT(t, pgd_present(k));
	/* QEMU's walker sets A in PDPT entries; a CPU keeps them in registers and does not. */
	KTEST_EXPECT(t, pgd_bits_valid(__pgd(pgd_val(k) & ~_PAGE_ACCESSED)));
	KTEST_EXPECT_EQ(t, (uint64_t)pgd_pfn(k) << PAGE_SHIFT, virt_to_phys(swapper_pmd));
	/* A kernel thread runs on its node's kernel PGD: swapper's without text replicas. */
	preempt_disable();
	KTEST_EXPECT_EQ(t, read_cr3_pgd(), kernel_pgd_phys_node(numa_node_id()));
	preempt_enable_no_resched();
	KTEST_EXPECT(t, IS_ALIGNED((unsigned long)swapper_pg_dir, 32));
}

/* Every entry outside the window is present for good or absent for good. */
static void kernel_pmd_fixed_at_boot(struct ktest *t)
{
	unsigned direct = direct_map_pmds();

	KTEST_ASSERT(t, direct > 0 && direct <= DIRECT_MAP_PMD_COUNT);
	for (unsigned i = 0; i < direct; i++)
		KTEST_EXPECT(t, pmd_present(swapper_pmd[i]));
	for (unsigned i = direct; i < DIRECT_MAP_PMD_COUNT; i++)
		KTEST_EXPECT(t, pmd_none(swapper_pmd[i]));      /* no RAM to map there */
	for (unsigned i = PREALLOC_PMD_FIRST; i < PREALLOC_PMD_END; i++) {
		pmd_t e = swapper_pmd[i];
		if (i >= MM_STACKS_PMD_FIRST && i < MM_STACKS_PMD_FIRST + MM_STACKS_PMD_COUNT) {
			KTEST_EXPECT(t, pmd_none(e));   /* per mm, in per-mm windows only */
			continue;
		}
		KTEST_EXPECT(t, pmd_present(e) && !pmd_large(e));
		KTEST_EXPECT_EQ(t, pmd_flags(e), _KERNPG_TABLE);
		KTEST_EXPECT(t, pmd_pfn(e) < lowmem_pfn_limit);
		KTEST_EXPECT(t, pfn_to_page(pmd_pfn(e))->flags & PG_pgtable);
	}
	for (unsigned i = UKVA_PMD_FIRST; i < PTRS_PER_PMD; i++)
		KTEST_EXPECT(t, pmd_none(swapper_pmd[i]));      /* the next issue fills them */
	ktest_diag(t, "direct map %u entries, preallocated %u-%u, window %u-%u empty",
		   direct, PREALLOC_PMD_FIRST, PREALLOC_PMD_END - 1, UKVA_PMD_FIRST, PTRS_PER_PMD - 1);
}

/*
 * Check the bits of a kernel leaf entry: RW as asked, supervisor, global
 * (except text and rodata when they are replicated: numa/ktext.h), NX as asked.
 */
static void expect_kernel_bits(struct ktest *t, uint64_t flags, bool rw, bool nx)
{
	bool replica = !rw && ktext_replicated;

	KTEST_EXPECT(t, flags & _PAGE_PRESENT);
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_RW), rw);
	KTEST_EXPECT(t, !(flags & _PAGE_USER));
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_GLOBAL), pge_enabled() && !replica);
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_NX), nx && nx_enabled());
}

/* The direct map: large global NX pages at the right frames, or a PTE page. */
static void direct_map_entries(struct ktest *t)
{
	unsigned large = 0;

	for (unsigned i = 0; i < direct_map_pmds(); i++) {
		pmd_t e = swapper_pmd[i];
		if (!pmd_large(e)) {
			KTEST_EXPECT_EQ(t, pmd_flags(e), _KERNPG_TABLE);
			continue;
		}
		large++;
		KTEST_EXPECT_EQ(t, pmd_pfn(e), i * PTRS_PER_PTE);
		expect_kernel_bits(t, pmd_flags(e), true, true);
	}
	KTEST_EXPECT(t, large > 0 || direct_map_pmds() <= 2);
	ktest_diag(t, "%u large pages, global %s, NX %s", large,
		   pge_enabled() ? "yes" : "no (no PGE)", nx_enabled() ? "yes" : "no (no NX)");
}

/* Check the 4 KiB mapping of one image page: identity pfn, RW and NX as asked. */
static void expect_image_page(struct ktest *t, unsigned long va, bool rw, bool nx)
{
	enum pg_level level;
	pte_t *pte = lookup_address(swapper_pg_dir, va, &level);

	KTEST_ASSERT(t, level == PG_LEVEL_4K && pte && pte_present(*pte));
	KTEST_EXPECT_EQ(t, pte_pfn(*pte), virt_to_phys((void *)va) >> PAGE_SHIFT);
	expect_kernel_bits(t, pte_flags(*pte), rw, nx);
}

static void kernel_image_permissions(struct ktest *t)
{
	for (unsigned long va = (unsigned long)__text_start; va < (unsigned long)__text_end; va += PAGE_SIZE)
		expect_image_page(t, va, false, false);        /* RX */
	for (unsigned long va = (unsigned long)__rodata_start; va < (unsigned long)__rodata_end; va += PAGE_SIZE)
		expect_image_page(t, va, false, true);         /* RO */
	for (unsigned long va = (unsigned long)__data_start; va < (unsigned long)__bss_end; va += PAGE_SIZE)
		expect_image_page(t, va, true, true);          /* RW */
	KTEST_EXPECT(t, read_cr0() & CR0_WP);   /* else supervisor writes ignore RO */
}

/* Walking any lowmem address gives back its own frame. */
static void direct_map_walk_matches(struct ktest *t)
{
	pfn_t end = zone_end_pfn(ZONE_NORMAL);
	pfn_t samples[] = { 0, 1, 0x100, 0x1ff, 0x200, 0x201, end / 3, end / 2 + 7, end - 1 };

	for (unsigned i = 0; i < ARRAY_SIZE(samples); i++) {
		pfn_t pfn = samples[i];
		unsigned long va = KERNEL_VIRT_BASE + ((unsigned long)pfn << PAGE_SHIFT) + 0x123;
		enum pg_level level;
		pte_t *pte = lookup_address(swapper_pg_dir, va, &level);
		if (level == PG_LEVEL_4K) {
			KTEST_ASSERT(t, pte && pte_present(*pte));
			KTEST_EXPECT_EQ(t, pte_pfn(*pte), pfn);
		} else {
			KTEST_ASSERT(t, level == PG_LEVEL_2M);
			pmd_t *pmd = lookup_pmd(swapper_pg_dir, va);
			KTEST_EXPECT_EQ(t, pmd_pfn(*pmd) + pte_index(va), pfn);
		}
	}
	/* Nothing below the kernel: the identity map is gone. */
	enum pg_level level;
	KTEST_EXPECT(t, lookup_address(swapper_pg_dir, 0x10, &level) == NULL);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_NONE);
	KTEST_EXPECT(t, lookup_address(swapper_pg_dir, KERNEL_PHYS_LOAD, &level) == NULL);
}

/* map_kernel_page, walk, use, unmap, walk = none, use = fault. */
static void walker_agrees_with_map_and_unmap(struct ktest *t)
{
	static const unsigned long vaddrs[] = {
		TEST_VADDR_VMALLOC, VMALLOC_END - PAGE_SIZE, FIXMAP_END - PAGE_SIZE,
	};
	struct page *page = alloc_page(GFP_HIGHMEM | __GFP_ZERO);
	KTEST_ASSERT(t, page);
	/* kmap, not kmap_atomic: unmapping a kernel page may wait for other CPUs. */
	uint32_t *check = kmap(page);

	for (unsigned i = 0; i < ARRAY_SIZE(vaddrs); i++) {
		unsigned long va = vaddrs[i];
		enum pg_level level;
		map_kernel_page(va, page_to_pfn(page), PAGE_KERNEL);
		pte_t *pte = lookup_address(swapper_pg_dir, va, &level);
		KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
		KTEST_EXPECT(t, pte == virt_to_kpte(va));
		KTEST_EXPECT_EQ(t, pte_pfn(*pte), page_to_pfn(page));
		KTEST_EXPECT_EQ(t, pte_flags(*pte), massage_pgprot(PAGE_KERNEL));
		expect_kernel_bits(t, pte_flags(*pte), true, true);
		*(volatile uint32_t *)va = 0x5a5a0000 + i;      /* the MMU agrees */
		KTEST_EXPECT_EQ(t, check[0], 0x5a5a0000 + i);
		unmap_kernel_page(va);
		pte = lookup_address(swapper_pg_dir, va, &level);
		KTEST_EXPECT(t, level == PG_LEVEL_4K && pte_none(*pte));
		expect_fault(t, read_word, (void *)va, PF_PROT | PF_WRITE | PF_USER, 0);
	}
	kunmap(page);
	free_page(page);
}

static void null_page_faults(struct ktest *t)
{
	expect_fault(t, write_word, (void *)0x10, PF_PROT | PF_WRITE | PF_USER, PF_WRITE);
	expect_fault(t, read_word, (void *)0x0, PF_PROT | PF_WRITE | PF_USER, 0);
}

static void rodata_and_text_are_read_only(struct ktest *t)
{
	expect_fault(t, write_word, (void *)&rodata_word, PF_PROT | PF_WRITE, PF_PROT | PF_WRITE);
	expect_fault(t, write_word, (void *)read_word, PF_PROT | PF_WRITE, PF_PROT | PF_WRITE);
	KTEST_EXPECT_EQ(t, rodata_word, 0x600dc0de);
}

static void data_is_not_executable(struct ktest *t)
{
	if (!nx_enabled())
		ktest_skip(t, "CPU has no NX (try -cpu with nx, or qemu-system-x86_64)");
	expect_fault(t, call_addr, data_ret_insn, PF_PROT | PF_INSTR, PF_PROT | PF_INSTR);

	/* A frame of the direct map (large page or not) is data too. */
	struct page *page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT(t, page);
	uint8_t *p = page_address(page);
	p[0] = 0xC3;
	expect_fault(t, call_addr, p, PF_PROT | PF_INSTR, PF_PROT | PF_INSTR);
	free_page(page);
}

KTEST_SUITE(paging,
	KTEST_CASE(kernel_pgd_layout),
	KTEST_CASE(kernel_pmd_fixed_at_boot),
	KTEST_CASE(direct_map_entries),
	KTEST_CASE(kernel_image_permissions),
	KTEST_CASE(direct_map_walk_matches),
	KTEST_CASE(walker_agrees_with_map_and_unmap),
	KTEST_CASE(null_page_faults),
	KTEST_CASE(rodata_and_text_are_read_only),
	KTEST_CASE(data_is_not_executable));
