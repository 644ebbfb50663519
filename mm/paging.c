/*
 * The final kernel page tables, built once at boot (replacing the early
 * tables of boot/multiboot.S, which also identity-mapped the first GiB).
 *
 *   kernel PMD entry   maps                       how
 *   0 .. L-1           direct map of lowmem       2 MiB global pages, NX;
 *                                                 the 2 MiB regions holding the
 *                                                 kernel image use a PTE page:
 *                                                 text RX, rodata RO+NX, rest RW+NX
 *   L .. 447           beyond lowmem              absent, forever
 *   448                pkmap (kmap slots)         preallocated PTE page
 *   449 .. 503         vmalloc                    preallocated PTE pages
 *   504 .. 507         fixmap (kmap_atomic, MMIO) preallocated PTE pages
 *   508 .. 511         UKVA window                empty here: per mm / per task
 *
 * (L = lowmem rounded up to 2 MiB, 448 when lowmem is the full 896 MiB.)
 *
 * THE INVARIANT: every kernel PMD entry outside the UKVA window is fixed at
 * boot and never changes afterwards.  Large pages and PTE pages are set here
 * once; later mappings in pkmap, vmalloc and fixmap only change PTEs inside
 * the preallocated PTE pages, which every copy of the kernel PMD shares.  So
 * a copy of the kernel PMD (per mm or per task, see mm/ukva) made at any
 * time can never go stale, and no code ever has to find and update copies.
 * The price is the preallocated PTE pages (kernel_pgtable_bytes()).  The
 * one exception, NUMA text replicas (numa/ktext.h), points the image's
 * entries of a copy at a node's copy of the image PTE page, itself fixed at
 * boot; the global entries are never repointed.
 *
 * THE TEXT RULE: text and rodata are mapped read-only here (CR0.WP is set)
 * and are never written after boot.  With replicas, each node has its own
 * copy: whatever must patch text must patch every replica
 * (ktext_replica_pfn()), never the image alone.  The numa suite proves a write
 * faults on every node's replica.
 */
#include "mm/paging.h"
#include "mm/page_alloc.h"
#include "mm/mmdebug.h"
#include "arch/i386/tlb.h"
#include "mm/tlbflush.h"
#include "kernel/printk.h"
#include "kernel/sections.h"

_Static_assert(PKMAP_BASE == KERNEL_VIRT_BASE + MAX_LOWMEM_BYTES, "pkmap follows the direct map");
_Static_assert(PKMAP_PAGES == PTRS_PER_PTE, "pkmap is exactly one PTE page");
_Static_assert(VMALLOC_START == PKMAP_BASE + PMD_SIZE, "vmalloc follows pkmap");
_Static_assert(FIXMAP_START == VMALLOC_END && FIXMAP_END == UKVA_START,
	       "fixmap lies between vmalloc and the window");
_Static_assert(((UKVA_START - KERNEL_VIRT_BASE) >> PMD_SHIFT) == UKVA_PMD_FIRST,
	       "the window starts at kernel PMD entry UKVA_PMD_FIRST");

/* 32-byte aligned (SDM 4.4.1) and in .bss, hence below 4 GiB as CR3 needs. */
pgd_t swapper_pg_dir[PTRS_PER_PGD] __attribute__((aligned(32)));
pmd_t *swapper_pmd;

static unsigned nr_direct_pmds;         /* L in the table above */

/* PTE pages allocated here, by the range they serve: the boot-time cost. */
static struct {
	unsigned image, pkmap, vmalloc, fixmap;
} pte_pages;

/* The kernel image's sections that are not plain RW+NX data. */
static const struct image_section {
	const char *start, *end;
	pgprot_t prot;
} image_sections[] = {
	{ __text_start,   __text_end,   PAGE_KERNEL_RX },
	{ __rodata_start, __rodata_end, PAGE_KERNEL_RO },
};

/* The frame of a direct-mapped kernel address. */
static pfn_t virt_to_pfn(const void *v)
{
	return (pfn_t)(virt_to_phys(v) >> PAGE_SHIFT);
}

/* A zeroed lowmem frame for a kernel page-table page; boot fails without one. */
static void *alloc_pgtable_page(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	VM_BUG_ON_MSG(!page, "out of lowmem building the kernel page tables");
	page->flags |= PG_pgtable;
	return page_address(page);
}

/* Protection of the direct-map page at vaddr: by kernel image section. */
static pgprot_t direct_map_prot(unsigned long vaddr)
{
	for (unsigned i = 0; i < ARRAY_SIZE(image_sections); i++) {
		const struct image_section *s = &image_sections[i];
		unsigned long end = ALIGN_UP((unsigned long)s->end, PAGE_SIZE);
		if (vaddr >= (unsigned long)s->start && vaddr < end)
			return s->prot;
	}
	return PAGE_KERNEL;
}

/*
 * Fill direct-map PMD entry i with a PTE page: per-section protections, and
 * no mapping past the end of lowmem (a partial last 2 MiB region).
 */
static void map_direct_region_4k(unsigned i, pfn_t lowmem_end)
{
	pte_t *pte = alloc_pgtable_page();
	pfn_t pfn0 = (pfn_t)i * PTRS_PER_PTE;

	for (unsigned j = 0; j < PTRS_PER_PTE && pfn0 + j < lowmem_end; j++) {
		unsigned long vaddr = KERNEL_VIRT_BASE + ((pfn0 + j) << PAGE_SHIFT);
		set_pte(&pte[j], pfn_pte(pfn0 + j, direct_map_prot(vaddr)));
	}
	set_pmd(&swapper_pmd[i], pfn_pmd(virt_to_pfn(pte), __pgprot(_KERNPG_TABLE)));
	pte_pages.image++;
}

/* Does 2 MiB direct-map region i hold part of the kernel image? */
static bool region_holds_image(unsigned i)
{
	unsigned long start = KERNEL_VIRT_BASE + (unsigned long)i * PMD_SIZE;
	unsigned long end = start + PMD_SIZE;

	return (unsigned long)__kernel_start < end && (unsigned long)__kernel_end > start;
}

/* Map lowmem [0, lowmem_end) at KERNEL_VIRT_BASE. */
static void map_direct(pfn_t lowmem_end)
{
	nr_direct_pmds = DIV_ROUND_UP(lowmem_end, PTRS_PER_PTE);
	for (unsigned i = 0; i < nr_direct_pmds; i++) {
		bool partial = (pfn_t)(i + 1) * PTRS_PER_PTE > lowmem_end;
		if (region_holds_image(i) || partial)
			map_direct_region_4k(i, lowmem_end);
		else
			set_pmd(&swapper_pmd[i], pfn_pmd((pfn_t)i * PTRS_PER_PTE, PAGE_KERNEL_LARGE));
	}
}

/* Give kernel PMD entries [first, end) empty PTE pages; returns how many. */
static unsigned prealloc_pte_pages(unsigned long start, unsigned long end)
{
	unsigned n = 0;

	for (unsigned long a = start; a < end; a += PMD_SIZE, n++) {
		pte_t *pte = alloc_pgtable_page();
		set_pmd(&swapper_pmd[pmd_index(a)],
			pfn_pmd(virt_to_pfn(pte), __pgprot(_KERNPG_TABLE)));
	}
	return n;
}

/* The image layout must let whole pages carry one protection each. */
static void check_image_layout(void)
{
	VM_BUG_ON(!IS_ALIGNED((unsigned long)__text_start, PAGE_SIZE));
	VM_BUG_ON(!IS_ALIGNED((unsigned long)__rodata_start, PAGE_SIZE));
	VM_BUG_ON(!IS_ALIGNED((unsigned long)__data_start, PAGE_SIZE));
	VM_BUG_ON(ALIGN_UP((unsigned long)__text_end, PAGE_SIZE) > (unsigned long)__rodata_start);
	VM_BUG_ON(ALIGN_UP((unsigned long)__rodata_end, PAGE_SIZE) > (unsigned long)__data_start);
}

unsigned long kernel_pgtable_bytes(void)
{
	unsigned pages = 1 + pte_pages.image + pte_pages.pkmap + pte_pages.vmalloc +
			 pte_pages.fixmap;
	return (unsigned long)pages * PAGE_SIZE;
}

unsigned direct_map_pmds(void)
{
	return nr_direct_pmds;
}

/* Report what the tables map and what they cost. */
static void report(pfn_t lowmem_end)
{
	pr_info("paging: direct map 0x%08x-0x%08lx (%u MiB, %u PMD entries), no identity map\n",
		KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + ((unsigned long)lowmem_end << PAGE_SHIFT),
		lowmem_end >> (20 - PAGE_SHIFT), nr_direct_pmds);
	pr_info("paging: image: text %p-%p RX, rodata %p-%p RO, data+bss %p-%p RW, NX %s\n",
		__text_start, __text_end, __rodata_start, __rodata_end, __data_start,
		__bss_end, (__supported_pte_mask & _PAGE_NX) ? "on" : "unavailable (no NX)");
	pr_info("paging: kernel tables: PGD 32 B (.bss) + PMD 1 page + PTE pages "
		"(image %u, pkmap %u, vmalloc %u, fixmap %u) = %lu bytes of lowmem\n",
		pte_pages.image, pte_pages.pkmap, pte_pages.vmalloc, pte_pages.fixmap,
		kernel_pgtable_bytes());
}

void paging_init(void)
{
	pfn_t lowmem_end = zone_end_pfn(ZONE_NORMAL);

	pgtable_init_supported_mask();
	check_image_layout();
	swapper_pmd = alloc_pgtable_page();
	map_direct(lowmem_end);
	pte_pages.pkmap = prealloc_pte_pages(PKMAP_BASE, VMALLOC_START);
	pte_pages.vmalloc = prealloc_pte_pages(VMALLOC_START, VMALLOC_END);
	pte_pages.fixmap = prealloc_pte_pages(FIXMAP_START, FIXMAP_END);

	/* User entries 0-2 stay empty: user PMDs come with processes. */
	set_pgd(&swapper_pg_dir[KERNEL_PGD_INDEX], pfn_pgd(virt_to_pfn(swapper_pmd)));
	VM_BUG_ON(!pgd_bits_valid(swapper_pg_dir[KERNEL_PGD_INDEX]));

	/* The CR3 load reads the new PDPT; the PGE toggle drops every old entry. */
	load_cr3((uint32_t)virt_to_phys(swapper_pg_dir));
	flush_tlb_all();
	report(lowmem_end);
}

/* Is vaddr in a range whose PTE pages paging_init preallocated? */
static bool in_prealloc_range(unsigned long vaddr)
{
	return vaddr >= PKMAP_BASE && vaddr < FIXMAP_END;
}

pte_t *virt_to_kpte(unsigned long vaddr)
{
	enum pg_level level;
	pte_t *pte = lookup_address(swapper_pg_dir, vaddr, &level);

	return level == PG_LEVEL_4K ? pte : NULL;
}

void map_kernel_page(unsigned long vaddr, pfn_t pfn, pgprot_t prot)
{
	VM_BUG_ON_MSG(!in_prealloc_range(vaddr), "vaddr 0x%08lx", vaddr);
	pte_t *pte = virt_to_kpte(vaddr);
	VM_BUG_ON_MSG(!pte_none(*pte), "0x%08lx already maps pfn 0x%x", vaddr, pte_pfn(*pte));
	set_pte(pte, pfn_pte(pfn, prot));
}

void unmap_kernel_page(unsigned long vaddr)
{
	VM_BUG_ON_MSG(!in_prealloc_range(vaddr), "vaddr 0x%08lx", vaddr);
	pte_clear(virt_to_kpte(vaddr));
	flush_tlb_kernel_range(vaddr, vaddr + PAGE_SIZE);      /* global: on every CPU */
}
