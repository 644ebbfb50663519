/*
 * Catching CPU exceptions raised by kernel code on purpose: tests that poke
 * an unmapped address, and the test framework's guard around every case.
 * The exception entry code calls fault_catch_dispatch() before treating a
 * kernel-mode fault as fatal.
 */
#ifndef ARCH_I386_FAULT_CATCH_H
#define ARCH_I386_FAULT_CATCH_H

#include <stdbool.h>
#include <stdint.h>

struct fault_info {
	uint32_t vector;
	uint32_t error_code;
	uint32_t cr2;                   /* faulting address, for page faults */
	uint32_t eip;
};

/*
 * Run fn(arg).  If it raises an exception on this CPU, unwind back here and
 * return true with *info describing the exception; else return false.
 * Nests: the innermost catch gets the fault.
 */
bool catch_fault(void (*fn)(void *), void *arg, struct fault_info *info);

/*
 * Called from exception entry for a fault in kernel mode.  If a catch is
 * armed, jumps to it and does not return; otherwise returns.
 */
void fault_catch_dispatch(uint32_t vector, uint32_t error_code, uint32_t cr2, uint32_t eip);

struct fault_catch;

/*
 * Disarm every catch on this CPU, so that a fault is fatal as it would be
 * outside any catch: for tests of the oops path, which run inside the test
 * framework's catch.  Returns what fault_catch_resume() re-arms.
 */
struct fault_catch *fault_catch_suspend(void);
void fault_catch_resume(struct fault_catch *saved);

#endif
