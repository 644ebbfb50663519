/*
 * Parsing the multiboot memory map (Multiboot 0.6.96, section 3.3: the
 * mmap_* fields, each entry preceded by its own size).  Entries may overlap
 * or be unsorted; the range set sorts and merges them.
 */
#include "mm/memmap.h"
#include "mm/memblock.h"
#include "mm/memlayout.h"
#include "mm/page.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "arch/i386/cpufeature.h"
#include "kernel/panic.h"

struct boot_module boot_modules[MAX_BOOT_MODULES];
unsigned nr_boot_modules;

extern char __kernel_start[], __kernel_end[];

static const char *mmap_type_name(uint32_t type)
{
	switch (type) {
	case MULTIBOOT_MEMORY_AVAILABLE:     return "usable";
	case MULTIBOOT_MEMORY_RESERVED:      return "reserved";
	case MULTIBOOT_MEMORY_ACPI_RECLAIM:  return "ACPI data";
	case MULTIBOOT_MEMORY_NVS:           return "ACPI NVS";
	case MULTIBOOT_MEMORY_BADRAM:        return "bad RAM";
	default:                             return "unknown";
	}
}

/* Add a RAM range, keeping only what lies below the physical limit. */
static void add_ram(uint64_t start, uint64_t end)
{
	if (end > memblock.limit) {
		uint64_t cut = start > memblock.limit ? start : memblock.limit;
		memblock.ignored_bytes += end - cut;
		end = cut;
	}
	if (start < end && !range_set_add(&memblock.ram, start, end)) {
		panic("mem: more than %u RAM ranges in the memory map", RANGE_SET_MAX);
	}
}

static void read_mmap(const struct multiboot_info *mbi)
{
	uint32_t addr = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;

	pr_info("mem: firmware memory map:\n");
	while (addr + sizeof(uint32_t) <= end) {
		const struct multiboot_mmap_entry *e = phys_to_virt(addr);
		if (e->len)
			pr_info("mem:   [0x%09llx-0x%09llx] %s\n",
				e->addr, e->addr + e->len - 1, mmap_type_name(e->type));
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			add_ram(e->addr, e->addr + e->len);
		addr += e->size + sizeof(e->size);
	}
}

/* Without a map, the loader's two counters describe low and upper memory. */
static void read_mem_counters(const struct multiboot_info *mbi)
{
	pr_warn("mem: no memory map from the boot loader; using mem_lower/mem_upper\n");
	add_ram(0, (uint64_t)mbi->mem_lower << 10);
	add_ram(1 << 20, (1 << 20) + ((uint64_t)mbi->mem_upper << 10));
}

static void reserve_modules(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MODS))
		return;
	const struct multiboot_module *m = phys_to_virt(mbi->mods_addr);
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		if (i >= MAX_BOOT_MODULES) {
			pr_warn("mem: boot module %u ignored: at most %u\n", i, MAX_BOOT_MODULES);
			continue;
		}
		struct boot_module *b = &boot_modules[nr_boot_modules++];
		b->start = m[i].mod_start;
		b->end = m[i].mod_end;
		if (m[i].cmdline) {
			const char *s = phys_to_virt(m[i].cmdline);
			size_t n = strnlen(s, sizeof(b->cmdline) - 1);
			memcpy(b->cmdline, s, n);
			b->cmdline[n] = '\0';
		}
		memblock_reserve(b->start, b->end, "boot module");
		pr_info("mem: boot module %u at [0x%llx-0x%llx) '%s'\n", i, b->start, b->end, b->cmdline);
	}
}

void memmap_init(const struct multiboot_info *mbi)
{
	memblock.limit = 1ULL << boot_cpu.phys_limit_bits;
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		read_mmap(mbi);
	else if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		read_mem_counters(mbi);
	if (memblock.ignored_bytes)
		pr_warn("mem: ignoring %llu MiB of RAM at or above %llu GiB: beyond the"
			" %u-bit physical limit (PAE: 36, or less if MAXPHYADDR is)\n", memblock.ignored_bytes >> 20,
			memblock.limit >> 30, boot_cpu.phys_limit_bits);

	range_set_align_inward(&memblock.ram, PAGE_SIZE);
	if (range_set_bytes_in(&memblock.ram, 1 << 20, MAX_LOWMEM_BYTES) < (8 << 20)) {
		panic("mem: less than 8 MiB of RAM above 1 MiB: cannot boot");
	}
	memblock.free = memblock.ram;
	memblock_reserve(0, 1 << 20, "BIOS area and first MiB");
	memblock_reserve(virt_to_phys(__kernel_start), virt_to_phys(__kernel_end), "kernel image");
	reserve_modules(mbi);
}
