/*
 * Defining system calls.  Arguments arrive in EBX, ECX, EDX, ESI, EDI, EBP
 * (Linux i386); a handler returns a value or a negative errno in EAX.
 *
 *     SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
 *     {
 *             ...
 *     }
 *
 * defines sys_write(), of the one type the table holds, which converts
 * the raw registers to the declared types and calls the body.  User
 * pointers are declared uintptr_t: they are numbers to be checked and
 * passed to the uaccess helpers, never dereferenced.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stddef.h>
#include <stdint.h>
#include "arch/i386/trap_frame.h"

#define SYSCALL_ARGS uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t
typedef long (*syscall_fn)(SYSCALL_ARGS);

#define __SC_DEFINE(name, params, args)                                        \
	static long __do_sys_##name params;                                     \
	long sys_##name(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,     \
			uint32_t a4, uint32_t a5)                               \
	{                                                                       \
		return __do_sys_##name args;                                    \
	}                                                                       \
	static long __do_sys_##name params

#define SYSCALL_DEFINE0(name) __SC_DEFINE(name, (void), ())
#define SYSCALL_DEFINE1(name, t0, p0) __SC_DEFINE(name, (t0 p0), ((t0)a0))
#define SYSCALL_DEFINE2(name, t0, p0, t1, p1) \
	__SC_DEFINE(name, (t0 p0, t1 p1), ((t0)a0, (t1)a1))
#define SYSCALL_DEFINE3(name, t0, p0, t1, p1, t2, p2) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2), ((t0)a0, (t1)a1, (t2)a2))
#define SYSCALL_DEFINE4(name, t0, p0, t1, p1, t2, p2, t3, p3) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3), ((t0)a0, (t1)a1, (t2)a2, (t3)a3))
#define SYSCALL_DEFINE5(name, t0, p0, t1, p1, t2, p2, t3, p3, t4, p4) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3, t4 p4), \
		    ((t0)a0, (t1)a1, (t2)a2, (t3)a3, (t4)a4))
#define SYSCALL_DEFINE6(name, t0, p0, t1, p1, t2, p2, t3, p3, t4, p4, t5, p5) \
	__SC_DEFINE(name, (t0 p0, t1 p1, t2 p2, t3 p3, t4 p4, t5 p5), \
		    ((t0)a0, (t1)a1, (t2)a2, (t3)a3, (t4)a4, (t5)a5))

/* The user registers of the current task's system call (or trap). */
struct trap_frame *current_user_frame(void);

/* int $0x80 lands here (from the trap dispatcher). */
void syscall_dispatch(struct trap_frame *frame);

#endif
