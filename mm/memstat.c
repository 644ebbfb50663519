/* Lowmem by category (see memstat.h): the charged counters and the derived ones. */
#include "mm/memstat.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"

#define LOWMEM_STAT_NAME(id, name) name,
static const char *const stat_names[] = { LOWMEM_STATS(LOWMEM_STAT_NAME) };
#undef LOWMEM_STAT_NAME

static long charged[NR_LOWMEM_STATS];   /* bytes, for the charged categories */
static long kmalloc_bytes_total;        /* slab and large-block pages, in bytes */
static long kmalloc_bytes_charged;      /* of those, objects charged to a category */
static unsigned long lowmem_ram_pages;
static unsigned long memmap_bytes;

static bool is_charged(enum lowmem_stat cat)
{
	return cat == LOWMEM_KSTACK || cat == LOWMEM_TASK || cat == LOWMEM_PGTABLE ||
	       cat == LOWMEM_WINDOW;
}

void lowmem_charge(enum lowmem_stat cat, long bytes)
{
	if (is_charged(cat))
		__atomic_add_fetch(&charged[cat], bytes, __ATOMIC_RELAXED);
}

void lowmem_charge_kmalloc(enum lowmem_stat cat, size_t size, int sign)
{
	long bytes = (long)kmalloc_size(size) * sign;

	lowmem_charge(cat, bytes);
	__atomic_add_fetch(&kmalloc_bytes_charged, bytes, __ATOMIC_RELAXED);
}

void lowmem_charge_kmalloc_pages(long pages)
{
	__atomic_add_fetch(&kmalloc_bytes_total, pages * (long)PAGE_SIZE, __ATOMIC_RELAXED);
}

void lowmem_stats_boot(unsigned long ram_pages, unsigned long descriptor_bytes)
{
	lowmem_ram_pages = ram_pages;
	memmap_bytes = ALIGN_UP(descriptor_bytes, PAGE_SIZE);
}

static uint32_t clamp(long v)
{
	return v < 0 ? 0 : (uint32_t)v;
}

void lowmem_stats_read(struct lowmem_stats *s)
{
	unsigned long managed = zone_managed_pages(ZONE_NORMAL);
	long in_use = (long)(lowmem_ram_pages - zone_free_pages(ZONE_NORMAL)) * PAGE_SIZE;
	long rest = in_use;

	*s = (struct lowmem_stats){ 0 };
	s->bytes[LOWMEM_IN_USE] = clamp(in_use);
	s->bytes[LOWMEM_MEMMAP] = (uint32_t)memmap_bytes;
	s->bytes[LOWMEM_BOOT] = clamp((long)(lowmem_ram_pages - managed) * PAGE_SIZE - (long)memmap_bytes);
	for (int c = 0; c < NR_LOWMEM_STATS; c++)
		if (is_charged(c))
			s->bytes[c] = clamp(__atomic_load_n(&charged[c], __ATOMIC_RELAXED));
	s->bytes[LOWMEM_KMALLOC] = clamp(__atomic_load_n(&kmalloc_bytes_total, __ATOMIC_RELAXED) -
					 __atomic_load_n(&kmalloc_bytes_charged, __ATOMIC_RELAXED));
	for (int c = LOWMEM_MEMMAP; c < LOWMEM_OTHER; c++)
		rest -= s->bytes[c];
	s->bytes[LOWMEM_OTHER] = clamp(rest);
}

const char *lowmem_stat_name(enum lowmem_stat c)
{
	return (unsigned)c < NR_LOWMEM_STATS ? stat_names[c] : "?";
}

void lowmem_report(const char *when)
{
	struct lowmem_stats s;
	char line[320];
	int n;

	lowmem_stats_read(&s);
	n = snprintf(line, sizeof(line), "mem: lowmem %s, KiB:", when);
	for (int c = 0; c < NR_LOWMEM_STATS && n < (int)sizeof(line); c++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%u", stat_names[c], s.bytes[c] >> 10);
	pr_info("%s free=%lu\n", line, zone_free_pages(ZONE_NORMAL) * (PAGE_SIZE / 1024));
}
