/*
 * VM_BUG_ON: the memory manager's consistency checks, always compiled in.
 * A failed check panics: what broke and where, the registers and the call
 * trace, and the machine stops as a failed run.
 */
#ifndef MM_MMDEBUG_H
#define MM_MMDEBUG_H

#include "kernel/compiler.h"

/* panic("BUG: file:line: cond: message") (cond may be NULL). */
__noreturn void mm_bug(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define VM_BUG_ON_MSG(cond, ...)                                                \
	do {                                                                    \
		if (unlikely(cond))                                             \
			mm_bug(__FILE__, __LINE__, #cond, __VA_ARGS__);         \
	} while (0)

#define VM_BUG_ON(cond) VM_BUG_ON_MSG(cond, "consistency check failed")

/* Stop unconditionally: a state the kernel cannot go on from. */
#define VM_BUG(...)     mm_bug(__FILE__, __LINE__, NULL, __VA_ARGS__)

#endif
