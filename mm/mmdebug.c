/*
 * The memory manager's failed-check report.  Stops through machine_exit
 * until kernel/panic.h exists; then it becomes a call to panic().
 */
#include <stdarg.h>
#include "mm/mmdebug.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "arch/i386/power.h"

void mm_bug(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("BUG: %s:%d: %s: %s\n", file, line, cond, msg);
	machine_exit(false);
}
