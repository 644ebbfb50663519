/*
 * VM_BUG_ON: the memory manager's consistency checks, always compiled in.
 * A failed check panics: what broke and where, the registers and the call
 * trace, and the machine stops as a failed run.
 */
#ifndef MM_MMDEBUG_H
#define MM_MMDEBUG_H

#include <stdint.h>
#include "kernel/compiler.h"
#include "mm/memlayout.h"

/* panic("BUG: file:line: cond: message") (cond may be NULL). */
__noreturn void mm_bug(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define VM_BUG_ON_MSG(cond, ...)                                                \
	do {                                                                    \
		if (unlikely(cond))                                             \
			mm_bug(__FILE__, __LINE__, #cond, __VA_ARGS__);         \
	} while (0)

#define VM_BUG_ON(cond) VM_BUG_ON_MSG(cond, "consistency check failed")

/*
 * What another task, CPU or interrupt reaches (a wait queue and its
 * entries, a timer, a cross-call's argument, a task on a run queue) must
 * not live in a UKVA window: a window address names different memory in
 * every address space, and a kernel stack in a window has no other
 * address (docs/design.md, "What may live on a kernel stack").
 */
#define VM_BUG_ON_WINDOW_ADDR(p, what)                                          \
	VM_BUG_ON_MSG(is_window_address((uintptr_t)(p)), "%s at window address %p", what, (void *)(p))

/* Stop unconditionally: a state the kernel cannot go on from. */
#define VM_BUG(...)     mm_bug(__FILE__, __LINE__, NULL, __VA_ARGS__)

#endif
