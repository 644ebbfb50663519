/*
 * Frame bookkeeping at boot: mem_map, the zones, and the boot report.
 */
#include "mm/zone.h"
#include "mm/memblock.h"
#include "kernel/printk.h"

struct page *mem_map;
pfn_t max_pfn;

void free_boot_range(pfn_t start, pfn_t end);   /* page_alloc.c */

static void zones_init(void)
{
	pfn_t lowmem_end = max_pfn < LOWMEM_PFN_LIMIT ? max_pfn : LOWMEM_PFN_LIMIT;

	zones[ZONE_NORMAL].start_pfn = 0;
	zones[ZONE_NORMAL].end_pfn = lowmem_end;
	zones[ZONE_HIGHMEM].start_pfn = LOWMEM_PFN_LIMIT;
	zones[ZONE_HIGHMEM].end_pfn = max_pfn > LOWMEM_PFN_LIMIT ? max_pfn : LOWMEM_PFN_LIMIT;
	for (int z = 0; z < NR_ZONES; z++) {
		spin_lock_init(&zones[z].lock);
		for (int k = 0; k < MAX_ORDER; k++)
			INIT_LIST_HEAD(&zones[z].free_area[k].free_list);
	}
}

void frames_init(void)
{
	const struct range_set *ram = &memblock.ram;

	max_pfn = (pfn_t)(ram->r[ram->nr - 1].end >> PAGE_SHIFT);
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
}
