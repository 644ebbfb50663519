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

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	uint32_t count = __ksyms_start[0];
	const struct ksym_entry *e = (const void *)&__ksyms_start[1];
	const char *names = (const char *)&e[count];

	if (count == 0 || addr < (uint32_t)__text_start || addr >= (uint32_t)__text_end)
		return NULL;
	/* Binary search for the last entry at or below addr. */
	uint32_t lo = 0, hi = count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (e[lo].addr > addr)
		return NULL;
	*offset = addr - e[lo].addr;
	return names + e[lo].name_offset;
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
