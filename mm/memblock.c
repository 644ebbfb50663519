#include "mm/memblock.h"
#include "mm/memlayout.h"
#include "mm/page.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

struct memblock memblock;

void memblock_reserve(uint64_t start, uint64_t end, const char *what)
{
	start &= ~(uint64_t)(PAGE_SIZE - 1);
	end = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	pr_debug("mem: reserve [0x%09llx-0x%09llx) %s\n", start, end, what);
	if (memblock.retired) {
		panic("mem: memblock_reserve(%s) after the buddy allocator took over", what);
	}
	if (!range_set_remove(&memblock.free, start, end)) {
		panic("mem: too many holes in the memory map reserving %s", what);
	}
}

uint64_t memblock_alloc_low(uint64_t size, uint64_t align, const char *what)
{
	size = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t start = range_set_find_top_down(&memblock.free, size, align,
						  (uint64_t)lowmem_pfn_limit << PAGE_SHIFT);

	if (start == UINT64_MAX) {
		panic("mem: cannot fit %llu KiB of %s in lowmem (%llu KiB of lowmem free):"
		      " this machine has more RAM than its lowmem can describe",
		      size >> 10, what,
		      range_set_bytes_in(&memblock.free, 0, (uint64_t)lowmem_pfn_limit << PAGE_SHIFT) >> 10);
	}
	memblock_reserve(start, start + size, what);
	return start;
}

bool memblock_is_ram(uint64_t start, uint64_t end)
{
	return range_set_contains(&memblock.ram, start, end);
}
