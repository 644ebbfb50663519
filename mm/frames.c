/*
 * Frame bookkeeping at boot: mem_map, the zones, and the boot report.
 */
#include "mm/zone.h"
#include "mm/memblock.h"
#include "mm/memstat.h"
#include "mm/ukva/ukva.h"
#include "kernel/bootparam.h"
#include "mm/pdpt.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"

struct page *mem_map;
pfn_t max_pfn;
pfn_t lowmem_pfn_limit = LOWMEM_PFN_MAX;
bool highmem_carved_for_mode;

/* Requested highmem size (boot option highmem=), or 0 for "what RAM gives". */
static uint64_t highmem_request;

static int set_highmem(const char *v)
{
	unsigned long long n;

	if (!v || parse_size(v, &n) || n == 0)
		return -EINVAL;
	highmem_request = n;
	return 0;
}
BOOT_PARAM("highmem", set_highmem, "a size such as 64M: force that much highmem");

/*
 * Lower the lowmem limit so that the top `bytes` of RAM below 896 MiB
 * become highmem (Linux's highmem=), keeping the limit aligned to the
 * largest buddy block so no block straddles the zones.  Returns whether
 * it did.
 */
static bool carve_highmem(uint64_t ram_end, uint64_t bytes, const char *why)
{
	const uint64_t align = (uint64_t)PAGE_SIZE << (MAX_ORDER - 1);
	uint64_t limit = ram_end > bytes ? (ram_end - bytes) & ~(align - 1) : 0;

	if (limit < (64u << 20)) {
		pr_warn("mem: %s: cannot make %llu MiB of highmem and keep 64 MiB of lowmem; ignored\n",
			why, bytes >> 20);
		return false;
	}
	if (limit >= ((uint64_t)lowmem_pfn_limit << PAGE_SHIFT))
		return false;
	lowmem_pfn_limit = (pfn_t)(limit >> PAGE_SHIFT);
	pr_info("mem: %s: lowmem ends at %llu MiB, the rest is highmem\n", why, limit >> 20);
	return true;
}

/* Settle lowmem_pfn_limit from the options, the mode and the RAM. */
static void choose_lowmem_limit(void)
{
	uint64_t ram_end = memblock.ram.r[memblock.ram.nr - 1].end;
	uint64_t lowmem_ram_end = ram_end < MAX_LOWMEM_BYTES ? ram_end : MAX_LOWMEM_BYTES;

	if (highmem_request)
		carve_highmem(lowmem_ram_end, highmem_request > ram_end - lowmem_ram_end ?
			      highmem_request - (ram_end - lowmem_ram_end) : 0, "highmem=");
	else if (ukva_ops()->min_highmem && ram_end <= MAX_LOWMEM_BYTES) {
		char why[64];
		snprintf(why, sizeof(why), "mm=%s needs frames outside the direct map",
			 ukva_ops()->name);
		highmem_carved_for_mode = carve_highmem(lowmem_ram_end, ukva_ops()->min_highmem, why);
		if (highmem_carved_for_mode)
			pr_info("mem: user pages take lowmem first: that highmem is for the mode\n");
	}
}

void free_boot_range(pfn_t start, pfn_t end);   /* page_alloc.c */

static void zones_init(void)
{
	pfn_t lowmem_end = max_pfn < lowmem_pfn_limit ? max_pfn : lowmem_pfn_limit;

	zones[ZONE_NORMAL].start_pfn = 0;
	zones[ZONE_NORMAL].end_pfn = lowmem_end;
	zones[ZONE_HIGHMEM].start_pfn = lowmem_pfn_limit;
	zones[ZONE_HIGHMEM].end_pfn = max_pfn > lowmem_pfn_limit ? max_pfn : lowmem_pfn_limit;
	for (int z = 0; z < NR_ZONES; z++) {
		spin_lock_init(&zones[z].lock);
		for (int n = 0; n < MAX_NUMNODES; n++)
			for (int k = 0; k < MAX_ORDER; k++)
				INIT_LIST_HEAD(&zones[z].free_area[n][k].free_list);
	}
}

void frames_init(void)
{
	const struct range_set *ram = &memblock.ram;

	max_pfn = (pfn_t)(ram->r[ram->nr - 1].end >> PAGE_SHIFT);
	choose_lowmem_limit();
	uint64_t bytes = (uint64_t)max_pfn * sizeof(struct page);
	mem_map = phys_to_virt(memblock_alloc_low(bytes, PAGE_SIZE, "page descriptors"));

	/* Every frame starts reserved; only free RAM is released below. */
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = &mem_map[pfn];
		*p = (struct page){ .flags = PG_reserved, .zone = pfn_zone(pfn) };
		INIT_LIST_HEAD(&p->list);
	}
	zones_init();
	for (unsigned i = 0; i < memblock.free.nr; i++)
		free_boot_range((pfn_t)(memblock.free.r[i].start >> PAGE_SHIFT),
				(pfn_t)(memblock.free.r[i].end >> PAGE_SHIFT));
	lowmem_stats_boot((unsigned long)(range_set_bytes_in(&memblock.ram, 0,
		(uint64_t)zones[ZONE_NORMAL].end_pfn << PAGE_SHIFT) >> PAGE_SHIFT), (unsigned long)bytes);
	memblock.retired = true;
}

static unsigned long long kib(unsigned long long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

void mem_report(void)
{
	unsigned long long ram_pages = range_set_bytes(&memblock.ram) >> PAGE_SHIFT;
	unsigned long long managed = 0;

	pr_info("mem: %llu MiB of RAM addressable, max_pfn 0x%x%s\n",
		ram_pages >> 8, max_pfn, memblock.ignored_bytes ? " (more ignored, see above)" : "");
	for (int z = 0; z < NR_ZONES; z++) {
		const struct zone *zn = &zones[z];
		unsigned long long ram_in_zone = range_set_bytes_in(&memblock.ram,
			(uint64_t)zn->start_pfn << PAGE_SHIFT, (uint64_t)zn->end_pfn << PAGE_SHIFT);
		pr_info("mem: zone %-7s pfn [0x%07x-0x%07x): RAM %llu KiB, managed %llu KiB, free %llu KiB\n",
			zn->name, zn->start_pfn, zn->end_pfn, ram_in_zone >> 10,
			kib(zn->managed_pages), kib(zn->free_pages));
		managed += zn->managed_pages;
	}
	pr_info("mem: RAM frames %llu = managed %llu + reserved at boot %llu\n",
		ram_pages, managed, ram_pages - managed);
	pr_info("mem: page descriptors: %u x %u bytes = %llu KiB of lowmem\n",
		max_pfn, (unsigned)sizeof(struct page),
		((unsigned long long)max_pfn * sizeof(struct page)) >> 10);
	pr_info("mem: lowmem left after boot: %llu KiB (highmem free: %llu KiB)\n",
		kib(zones[ZONE_NORMAL].free_pages), kib(zones[ZONE_HIGHMEM].free_pages));
	pr_info("mem: PDPTs of per-task PGDs: %s\n", pdpt_from_highmem() ?
		"highmem below 4 GiB, 128 a frame" : "kmalloc-32 (lowmem)");
	lowmem_report("after boot");
}
