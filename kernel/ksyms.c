/*
 * Symbol lookup over the table scripts/gen-ksyms.py generates into .ksyms:
 * a count, then (address, name offset) pairs sorted by address, then names.
 */
#include "kernel/ksyms.h"
#include "kernel/vsprintf.h"

struct ksym_entry {
	uint32_t addr;
	uint32_t name_offset;
};

extern const uint32_t __ksyms_start[];
extern const char __text_start[], __text_end[];

static const struct ksym_entry *entries(void)
{
	return (const void *)&__ksyms_start[1];
}

unsigned ksym_count(void)
{
	return __ksyms_start[0];
}

int ksym_index(uint32_t addr)
{
	uint32_t count = ksym_count();
	const struct ksym_entry *e = entries();

	if (count == 0 || addr < (uint32_t)__text_start || addr >= (uint32_t)__text_end)
		return -1;
	/* Binary search for the last entry at or below addr. */
	uint32_t lo = 0, hi = count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return e[lo].addr > addr ? -1 : (int)lo;
}

uint32_t ksym_addr(unsigned i)
{
	return entries()[i].addr;
}

const char *ksym_name(unsigned i)
{
	return (const char *)&entries()[ksym_count()] + entries()[i].name_offset;
}

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	int i = ksym_index(addr);

	if (i < 0)
		return NULL;
	*offset = addr - ksym_addr(i);
	return ksym_name(i);
}

void ksym_format(uint32_t addr, char *buf, size_t size)
{
	uint32_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		snprintf(buf, size, "%s+0x%x", name, off);
	else
		snprintf(buf, size, "0x%08x", addr);
}
