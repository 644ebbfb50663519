/*
 * Non-local jumps inside the kernel: a test case that fails an assertion or
 * takes a fault is abandoned by jumping back to where it started.  Only the
 * callee-saved registers, ESP, EIP and EFLAGS are kept: the interrupt flag
 * comes back as it was at setjmp time, whatever the jumper had.
 */
#ifndef ARCH_I386_SETJMP_H
#define ARCH_I386_SETJMP_H

#include <stdint.h>

typedef struct {
	uint32_t ebx, esi, edi, ebp, esp, eip, eflags;
} jmp_buf[1];

/* Returns 0 when called, and val (never 0) when longjmp comes back to it. */
int setjmp(jmp_buf env) __attribute__((returns_twice));
__attribute__((noreturn)) void longjmp(jmp_buf env, int val);

#endif
