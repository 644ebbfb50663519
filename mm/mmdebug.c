/*
 * The memory manager's failed checks: each one is a panic(), so the report
 * carries the registers and the call trace of the code that broke the rule.
 */
#include <stdarg.h>
#include "mm/mmdebug.h"
#include "mm/pgtable.h"
#include "kernel/panic.h"
#include "kernel/vsprintf.h"

void mm_bug(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cond)
		panic("BUG: %s:%d: %s: %s", file, line, cond, msg);
	panic("BUG: %s:%d: %s", file, line, msg);
}

void pgtable_rewrite_bug(const char *level, const volatile void *entry, uint64_t old,
			 uint64_t new)
{
	VM_BUG("set_%s on a present entry at %p: 0x%016llx -> 0x%016llx "
	       "(clear and flush first, or update it atomically)",
	       level, (const void *)entry, (unsigned long long)old, (unsigned long long)new);
}
