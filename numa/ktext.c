/*
 * Kernel text replicas (ktext.h).
 *
 * Granularity.  A node's replica could be mapped two ways: 2 MiB pages
 * (one PMD entry per region, a full 2 MiB of node memory each, and a
 * repoint flushes with one INVLPG per PMD), or 4 KiB pages through a
 * per-node copy of the region's PTE page (the replicated pages plus one
 * page per region, and a repoint of a loaded PMD needs one INVLPG per
 * page, since INVLPG drops one page's TLB entry).  2 MiB pages are
 * possible only when text and rodata fill their regions alone; here the
 * image's first region also holds the first MiB and data+bss, which must
 * not be replicated.  ktext_init computes both costs and takes the
 * cheaper possible one, and says so.
 */
#include "numa/ktext.h"
#include "numa/numa.h"
#include "arch/i386/cpu.h"
#include "arch/i386/tlb.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sections.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/mmdebug.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "mm/ukva/ukva.h"
#include "kernel/sched.h"
#include "kernel/task.h"

bool ktext_replicated;

static enum { KTEXTREPL_AUTO, KTEXTREPL_ON, KTEXTREPL_OFF } ktextrepl_opt;

static unsigned long text_start, text_end;      /* [__text_start, rodata's last page) */
static unsigned first_pmd, nr_pmds, nr_pages;
static unsigned image_nid;                      /* the node holding the loaded image */

/* Per node: its replica's frames (NULL: it uses the image's), its PMD entries, its kernel PGD. */
static pfn_t *replica_pfns[MAX_NUMNODES];
static pmd_t text_pmds[MAX_NUMNODES][KTEXT_MAX_PMDS];
static pgd_t node_pg_dir[MAX_NUMNODES][PTRS_PER_PGD] __attribute__((aligned(32)));
static bool node_has_pgd[MAX_NUMNODES];

static int set_ktextrepl(const char *v)
{
	if (v && strcmp(v, "on") == 0)
		ktextrepl_opt = KTEXTREPL_ON;
	else if (v && strcmp(v, "off") == 0)
		ktextrepl_opt = KTEXTREPL_OFF;
	else
		return -EINVAL;
	return 0;
}
BOOT_PARAM("ktextrepl", set_ktextrepl, "on or off: kernel text replicas per NUMA node");

unsigned ktext_first_pmd(void) { return first_pmd; }
unsigned ktext_nr_pmds(void) { return nr_pmds; }
unsigned ktext_nr_pages(void) { return nr_pages; }
unsigned long ktext_start(void) { return text_start; }
unsigned long ktext_end(void) { return text_end; }

unsigned ktext_image_node(void)
{
	return image_nid;
}

pmd_t ktext_pmd(unsigned nid, unsigned k)
{
	return text_pmds[nid][k];
}

/*
 * Live PMD entries are replaced in one 64-bit store (set_pmd_atomic,
 * mm/pgtable.h: LOCK CMPXCHG8B): a CPU walking the copy (per-mm: another
 * thread of the mm) must see the old entry or the new, never one half of
 * each.  Clearing it first, as set_pmd would need, would fault that CPU on
 * kernel text.
 */
bool ktext_repoint(pmd_t *kpmd, unsigned nid)
{
	bool changed = false;

	for (unsigned k = 0; k < nr_pmds; k++) {
		if (pmd_val(kpmd[first_pmd + k]) != pmd_val(text_pmds[nid][k])) {
			set_pmd_atomic(&kpmd[first_pmd + k], text_pmds[nid][k]);
			changed = true;
		}
	}
	return changed;
}

int ktext_pmd_node(const pmd_t *kpmd)
{
	for (unsigned n = 0; n < nr_nodes; n++) {
		unsigned k = 0;
		while (k < nr_pmds && pmd_val(kpmd[first_pmd + k]) == pmd_val(text_pmds[n][k]))
			k++;
		if (k == nr_pmds)
			return (int)n;
	}
	return -1;
}

unsigned ktext_flush_local(void)
{
	for (unsigned long a = text_start; a < text_end; a += PAGE_SIZE)
		flush_tlb_one(a);
	return nr_pages;
}

uint32_t kernel_pgd_phys_node(unsigned nid)
{
	return node_has_pgd[nid] ? (uint32_t)virt_to_phys(node_pg_dir[nid]) : kernel_pgd_phys();
}

pfn_t ktext_replica_pfn(unsigned nid, unsigned long vaddr)
{
	pfn_t pfn = (pfn_t)(virt_to_phys((void *)vaddr) >> PAGE_SHIFT);

	if (!replica_pfns[nid] || vaddr < text_start || vaddr >= text_end)
		return pfn;
	return replica_pfns[nid][(vaddr - text_start) >> PAGE_SHIFT];
}

/* Text and rodata PTEs lose G: address spaces on one CPU may map them differently. */
static void make_text_nonglobal(void)
{
	for (unsigned long a = text_start; a < text_end; a += PAGE_SIZE) {
		pte_t *pte = virt_to_kpte(a);
		set_pte_atomic(pte, __pte(pte_val(*pte) & ~_PAGE_GLOBAL));     /* stays present */
	}
	flush_tlb_all();
}

/*
 * A frame of node nid, highmem first, else its lowmem (a node may have no
 * highmem, and highmem falls back to other nodes before lowmem); NULL if
 * the node has none left.
 */
static struct page *node_page(unsigned nid)
{
	static const gfp_t tries[] = { GFP_HIGHMEM, GFP_KERNEL };

	for (unsigned i = 0; i < ARRAY_SIZE(tries); i++) {
		struct page *p = alloc_pages_node(nid, tries[i], 0);
		if (p && page_to_nid(p) == nid)
			return p;
		if (p)
			free_page(p);
	}
	return NULL;
}

/* Give back what build_replica allocated for nid. */
static void free_replica(unsigned nid, unsigned nr_done)
{
	for (unsigned i = 0; i < nr_done; i++)
		free_page(pfn_to_page(replica_pfns[nid][i]));
	kfree(replica_pfns[nid]);
	replica_pfns[nid] = NULL;
}

/* Copy text+rodata into frames of node nid; false (nothing kept) when it has too few. */
static bool copy_image(unsigned nid)
{
	replica_pfns[nid] = kmalloc(nr_pages * sizeof(pfn_t), GFP_KERNEL);
	if (!replica_pfns[nid])
		return false;
	for (unsigned i = 0; i < nr_pages; i++) {
		struct page *p = node_page(nid);
		if (!p) {
			free_replica(nid, i);
			return false;
		}
		uint32_t flags = local_irq_save();
		void *dst = kmap_atomic(p);
		memcpy(dst, (const void *)(text_start + i * PAGE_SIZE), PAGE_SIZE);
		kunmap_atomic(dst);
		local_irq_restore(flags);
		replica_pfns[nid][i] = page_to_pfn(p);
	}
	return true;
}

/*
 * Node nid's PTE page for region k: the global one with the text and
 * rodata entries pointing at nid's frames.  False when memory is short.
 */
static bool build_pte_page(unsigned nid, unsigned k)
{
	struct page *p = node_page(nid);
	const pte_t *global = page_address(pfn_to_page(pmd_pfn(swapper_pmd[first_pmd + k])));
	unsigned long region = KERNEL_VIRT_BASE + (unsigned long)(first_pmd + k) * PMD_SIZE;

	if (!p)
		return false;
	p->flags |= PG_pgtable;
	uint32_t flags = local_irq_save();
	pte_t *pte = kmap_atomic(p);
	for (unsigned i = 0; i < PTRS_PER_PTE; i++) {
		unsigned long va = region + i * PAGE_SIZE;
		pte[i] = global[i];
		if (va >= text_start && va < text_end)
			pte[i] = pfn_pte(ktext_replica_pfn(nid, va), __pgprot(pte_flags(global[i])));
	}
	kunmap_atomic(pte);
	local_irq_restore(flags);
	text_pmds[nid][k] = pfn_pmd(page_to_pfn(p), __pgprot(_KERNPG_TABLE));
	return true;
}

/*
 * Node nid's kernel PGD (for kernel threads): swapper's with nid's text.
 * Its PMD is in lowmem, of any node: the tick reads it without kmap.
 */
static bool build_node_pgd(unsigned nid)
{
	struct page *p = alloc_pages_node(nid, GFP_KERNEL, 0);

	if (!p)
		return false;
	p->flags |= PG_pgtable;
	pmd_t *pmd = page_address(p);
	memcpy(pmd, swapper_pmd, PAGE_SIZE);
	ktext_repoint(pmd, nid);
	set_pgd(&node_pg_dir[nid][KERNEL_PGD_INDEX], pfn_pgd(page_to_pfn(p)));
	node_has_pgd[nid] = true;
	return true;
}

/* Everything node nid needs; on failure it keeps using the image's node (reported). */
static void build_replica(unsigned nid)
{
	if (copy_image(nid)) {
		unsigned k = 0;
		while (k < nr_pmds && build_pte_page(nid, k))
			k++;
		if (k == nr_pmds && build_node_pgd(nid))
			return;
		/* A few pages short: the frames stay allocated, the node stays on the image. */
	}
	pr_warn("ktext: node %u: not enough memory for a replica; it runs node %u's text\n",
		nid, image_nid);
	for (unsigned k = 0; k < nr_pmds; k++)
		text_pmds[nid][k] = text_pmds[image_nid][k];
}

/* Pick 4 KiB or 2 MiB mappings by per-node cost (see the top of the file). */
static void report_granularity(void)
{
	unsigned long cost_4k = (nr_pages + nr_pmds) * (PAGE_SIZE / 1024);
	unsigned long cost_2m = nr_pmds * (PMD_SIZE / 1024);
	bool large_possible = IS_ALIGNED(text_start, PMD_SIZE) && IS_ALIGNED(text_end, PMD_SIZE);

	if (large_possible && cost_2m < cost_4k)
		pr_warn("ktext: 2 MiB pages would be cheaper but are not implemented\n");
	pr_info("ktext: granularity 4 KiB: %u pages + %u PTE page%s = %lu KiB per node "
		"(2 MiB pages: %lu KiB, %s)\n", nr_pages, nr_pmds, nr_pmds == 1 ? "" : "s",
		cost_4k, cost_2m, large_possible ? "possible" :
		"impossible: text shares its 2 MiB region with data and the first MiB");
}

/* Replicate or not, and why not. */
static const char *why_not_replicated(void)
{
	if (ktextrepl_opt == KTEXTREPL_OFF)
		return "off (ktextrepl=off)";
	if (nr_nodes == 1)
		return "off: one node";
	if (ukva_mode == UKVA_SHARED)
		return "off: mm=shared has one kernel PMD, so node 0's text for all";
	return NULL;
}

void ktext_init(void)
{
	text_start = (unsigned long)__text_start;
	text_end = ALIGN_UP((unsigned long)__rodata_end, PAGE_SIZE);
	first_pmd = pmd_index(text_start);
	nr_pmds = pmd_index(text_end - 1) - first_pmd + 1;
	nr_pages = (text_end - text_start) >> PAGE_SHIFT;
	VM_BUG_ON(nr_pmds > KTEXT_MAX_PMDS);
	image_nid = pfn_to_nid((pfn_t)(virt_to_phys(__text_start) >> PAGE_SHIFT));
	for (unsigned n = 0; n < MAX_NUMNODES; n++)
		for (unsigned k = 0; k < nr_pmds; k++)
			text_pmds[n][k] = swapper_pmd[first_pmd + k];

	const char *why = why_not_replicated();
	if (why) {
		pr_info("ktext: text replication %s\n", why);
		return;
	}
	uint64_t t0 = rdtsc();
	make_text_nonglobal();
	for (unsigned n = 0; n < nr_nodes; n++)
		if (n != image_nid)
			build_replica(n);
	uint64_t cycles = rdtsc() - t0;
	ktext_replicated = true;
	activate_mm(NULL);                      /* the boot CPU onto its node's kernel PGD */
	report_granularity();
	pr_info("ktext: %u replicas of text+rodata [%p-%p), node %u uses the image; "
		"copied in %llu cycles (%llu us); text PTEs not global\n", nr_nodes - 1,
		(void *)text_start, (void *)text_end, image_nid, cycles,
		tsc_khz() ? cycles * 1000 / tsc_khz() : 0);
	pr_info("ktext: memory per replicated node: %u KiB (%u text+rodata pages, %u PTE "
		"page%s, 1 kernel-thread PMD)\n", (nr_pages + nr_pmds + 1) * (PAGE_SIZE / 1024),
		nr_pages, nr_pmds, nr_pmds == 1 ? "" : "s");
}
