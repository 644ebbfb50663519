/*
 * Defining system calls.  Arguments arrive in EBX, ECX, EDX, ESI, EDI, EBP
 * (Linux i386); a handler returns a value or a negative errno in EAX.
 *
 *     SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
 *     {
 *             ...
 *     }
 *
 * defines sys_write(), of the one type the table holds: it takes the
 * trap frame, reads only the registers the call has, converts them to the
 * declared types and calls the body (as Linux's pt_regs wrappers do: a
 * call with no arguments copies none).  User pointers are declared
 * uintptr_t: they are numbers to be checked and passed to the uaccess
 * helpers, never dereferenced.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stddef.h>
#include <stdint.h>
#include "arch/i386/trap_frame.h"

typedef long (*syscall_fn)(const struct trap_frame *regs);

/* The system call's arguments, in Linux i386's order. */
#define __SC_ARG0 regs->ebx
#define __SC_ARG1 regs->ecx
#define __SC_ARG2 regs->edx
#define __SC_ARG3 regs->esi
#define __SC_ARG4 regs->edi
#define __SC_ARG5 regs->ebp

#define __SC_DEFINE(name, params, args)                                        \
	static long __do_sys_##name params;                                     \
	long sys_##name(const struct trap_frame *regs)                          \
	{                                                                       \
		(void)regs;                                                     \
		return __do_sys_##name args;                                    \
	}                                                                       \
	static long __do_sys_##name params

#define SYSCALL_DEFINE0(name) __SC_DEFINE(name, (void), ())
#define SYSCALL_DEFINE1(name, t0, p0) __SC_DEFINE(name, (t0 p0), ((t0)__SC_ARG0))
#define SYSCALL_DEFINE2(name, t0, p0, t1, p1) \
	__SC_DEFINE(name, (t0 p0, t1 p1), ((t0)__SC_ARG0, (t1)__SC_ARG1))
#define SYSCALL_DEFINE3(name, t0, p0, t1, p1, t2, p2) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2), \
		    ((t0)__SC_ARG0, (t1)__SC_ARG1, (t2)__SC_ARG2))
#define SYSCALL_DEFINE4(name, t0, p0, t1, p1, t2, p2, t3, p3) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3), \
		    ((t0)__SC_ARG0, (t1)__SC_ARG1, (t2)__SC_ARG2, (t3)__SC_ARG3))
#define SYSCALL_DEFINE5(name, t0, p0, t1, p1, t2, p2, t3, p3, t4, p4) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3, t4 p4), \
		    ((t0)__SC_ARG0, (t1)__SC_ARG1, (t2)__SC_ARG2, (t3)__SC_ARG3, \
		     (t4)__SC_ARG4))
#define SYSCALL_DEFINE6(name, t0, p0, t1, p1, t2, p2, t3, p3, t4, p4, t5, p5) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3, t4 p4, t5 p5), \
		    ((t0)__SC_ARG0, (t1)__SC_ARG1, (t2)__SC_ARG2, (t3)__SC_ARG3, \
		     (t4)__SC_ARG4, (t5)__SC_ARG5))

/* The user registers of the current task's system call (or trap). */
struct trap_frame *current_user_frame(void);

/* int $0x80 lands here (from entry.S): the call, then the way out. */
void syscall_trap(struct trap_frame *frame);

#endif
