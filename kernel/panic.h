/*
 * Fatal errors: panic(), BUG_ON(), WARN_ON(), and the oops bracket the
 * exception path shares with them.  A panic or oops prints its report at
 * LOG_EMERG and ends the machine with the "fail" status (machine_exit).
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>
#include "kernel/compiler.h"

/*
 * Print "Kernel panic: <message>", the caller's registers, CR0-CR4 and a
 * symbolized backtrace, then stop the machine.  Safe to call with any lock
 * held, the console's included, and from inside a panic (the second one
 * reports itself in one line and stops).  Entered through
 * arch/i386/panic_entry.S, which snapshots the caller's registers.
 */
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Panic with file, line and the condition's text if cond is true. */
#define BUG_ON(cond)                                                            \
	do {                                                                    \
		if (unlikely(cond))                                             \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);   \
	} while (0)

/*
 * If cond is true, print a warning with a backtrace at LOG_WARNING and go
 * on.  Evaluates to cond, so it can guard a bail-out: if (WARN_ON(x)) return;
 */
#define WARN_ON(cond)                                                           \
	({                                                                      \
		bool __warned = !!(cond);                                       \
		if (unlikely(__warned))                                         \
			warn_slowpath(__FILE__, __LINE__, #cond);               \
		unlikely(__warned);                                             \
	})

void warn_slowpath(const char *file, int line, const char *cond);

/* WARN_ONs that fired since boot (Linux's /sys/kernel/warn_count). */
extern unsigned int warn_count;

/*
 * Start a fatal report: interrupts off, console in panic mode.  A fault
 * or panic during a report calls this again; that second call prints one
 * line and stops the machine, so a broken report cannot recurse.
 */
void oops_begin(void);

/* End a fatal report: drain the console, exit with the fail status. */
__noreturn void oops_end(void);

#endif
