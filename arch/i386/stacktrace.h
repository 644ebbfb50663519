/*
 * Kernel backtraces by walking the frame-pointer chain.  The kernel is
 * built with -fno-omit-frame-pointer, so each frame starts with
 *
 *   [ebp]     the caller's EBP
 *   [ebp + 4] the return address into the caller
 *
 * The chain ends at EBP 0: boot/multiboot.S clears EBP before kmain, the
 * double-fault task starts with EBP 0, and entry.S ends it at a trap from
 * user mode.
 */
#ifndef ARCH_I386_STACKTRACE_H
#define ARCH_I386_STACKTRACE_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/printk.h"

/*
 * Walk the chain from frame pointer ebp; store up to max return
 * addresses, innermost first.  Stops at EBP 0, or at a frame that is
 * misaligned, not above the previous one, outside the stack the walk
 * started on, or whose return address is outside kernel text.  Returns
 * how many were stored.
 */
int backtrace_walk(uint32_t ebp, uint32_t *pcs, int max);

/*
 * The caller's backtrace: pcs[0] is the return address into the function
 * that called backtrace_capture, pcs[1] into its caller, ...
 */
int backtrace_capture(uint32_t *pcs, int max);

/*
 * Print "Call Trace:" at LOG_EMERG for an interrupted context: eip, an
 * exact instruction address (the faulting one), then the chain from ebp,
 * symbolized.  A function GCC built without a frame (a leaf that needs no
 * stack) or one interrupted in its prologue or epilogue has not pushed
 * EBP, so the chain skips its caller; the return address is then the word
 * at the interrupted esp.  If that word is a kernel text address the chain
 * does not start with, it is printed second, marked "?" as Linux marks
 * entries it cannot vouch for.  esp 0: do not read the stack (it may be
 * unmapped, as after a stack overflow).
 */
void show_backtrace(uint32_t eip, uint32_t ebp, uint32_t esp);

/* Print the caller's backtrace at the given level. */
void dump_stack_lvl(enum log_level level);

/* ksym_format for a return address: names the call site's function. */
void format_return_address(uint32_t ret, char *buf, size_t size);

#endif
