/*
 * The ways into the kernel from the IDT: one small stub per vector, a
 * common path that saves a struct trap_frame (trap_frame.h) and calls
 * trap_dispatch() in C, and the start of the double-fault task.
 */
#include "arch/i386/extable.h"
#include "arch/i386/segment.h"
#include "arch/i386/trap_frame.h"
#include "arch/i386/traps.h"

/*
 * One stub per vector, 0-255; trap_stub_table[v] is the address of stub v.
 * A stub pushes a dummy error code unless the CPU pushes a real one, then
 * its vector, so every frame has the same shape.  The CPU pushes an error
 * code for #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21
 * (SDM vol. 3A 6.13, Table 6-1) and AMD's #VC 29, #SX 30 (APM vol. 2 8.2).
 * A software INT n never pushes one, so kernel code must not INT to those
 * vectors; the only gates INT can reach from ring 3 (3, 4, 0x80; idt.c)
 * take none.
 */
	.section .rodata
	.align 4
	.globl trap_stub_table
trap_stub_table:

	.text
trap_stubs:
vector = 0
	.rept 256
	.text
1:
	.if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || \
	    (vector == 21) || (vector == 29) || (vector == 30)
	/* the CPU pushed the error code */
	.else
	pushl $0                                /* dummy error code */
	.endif
	pushl $vector
	jmp common_trap_entry
	.section .rodata
	.long 1b
vector = vector + 1
	.endr

	.text
/*
 * Save the interrupted context as a struct trap_frame, call
 * trap_dispatch(frame), restore the (possibly modified) frame and IRET.
 * The gate cleared TF (and IF, for interrupt gates) on the way in
 * (SDM vol. 3A 6.12.1, "Flag Usage by Exception- or Interrupt-Handler
 * Procedure").
 */
common_trap_entry:
	cld                                     /* the C ABI wants DF clear */
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	/* %ds and %es: loaded only when they differ (segment.h, __KERNEL_DS_ES). */
	movl $__KERNEL_DS_ES, %eax
	movw %ds, %cx
	cmpw %ax, %cx
	jne 2f
	movw %es, %cx
	cmpw %ax, %cx
	je 3f
2:	movl %eax, %ds
	movl %eax, %es
3:	movl $__KERNEL_PERCPU, %eax             /* this_cpu() reads %fs (percpu.h) */
	movl %eax, %fs
	xorl %eax, %eax                         /* %gs null in the kernel: see trap_return */
	movl %eax, %gs
	movl %esp, %ebx                         /* the frame; EBX survives calls */

	/* PUSHAL's ESP slot gets the interrupted ESP (POPAL ignores it). */
	leal TF_USER_ESP(%ebx), %eax            /* same ring: no ESP was pushed */
	testl $SEGMENT_RPL_MASK, TF_CS(%ebx)
	jz 1f
	movl TF_USER_ESP(%ebx), %eax
	xorl %ebp, %ebp                         /* from user: kernel backtraces end here */
1:	movl %eax, TF_ESP(%ebx)

	/*
	 * A frame record (saved EBP, return address) for the interrupted EIP:
	 * a backtrace taken inside a handler then shows the interrupted
	 * function and its callers.
	 */
	pushl TF_EIP(%ebx)
	pushl %ebp
	movl %esp, %ebp

	pushl %ebx
	/* System calls skip the dispatcher's vector tests: its own C entry. */
	cmpl $IA32_SYSCALL_VECTOR, TF_VECTOR(%ebx)
	je 5f
	call trap_dispatch
	jmp trap_return
5:	call syscall_trap
/*
 * Leave through the frame at EBX.  New tasks enter user mode through here
 * too (switch.S: ret_from_fork, enter_user_mode).  The segment registers
 * get back what the frame holds, loaded afresh from the GDT of the CPU we
 * leave on: %fs is the user's selector, or __KERNEL_PERCPU for a trap
 * from kernel mode.
 *
 * A user selector may no longer be loadable: set_thread_area emptied its
 * TLS slot while it was loaded.  Such a pop faults (#GP or #NP); the
 * exception table sends it to a fixup that pops the null selector
 * instead, as Linux does.  The fault's own frame restores safely, as a
 * kernel-mode frame holds kernel selectors and a null %gs.  That is why
 * entry clears %gs: left holding the previous task's user selector, it
 * would be saved by a kernel-mode interrupt and reloaded after a switch
 * (tls_load) had emptied that slot.
 */
	.globl trap_return
trap_return:
	movl %ebx, %esp
	popal
	/*
	 * A user selector may name a descriptor that is gone (a TLS slot the
	 * program emptied while %gs still held it): loading it faults here, in
	 * kernel mode.  Each pop has a fixup that zeroes the saved selector and
	 * pops again, as Linux does; the program faults later if it uses it.
	 */
10:	popl %gs
11:	popl %fs
	/* We run on __KERNEL_DS_ES: only another %es or %ds is loaded. */
	cmpw $__KERNEL_DS_ES, (%esp)
	je 14f
12:	popl %es
	jmp 15f
14:	addl $4, %esp
15:	cmpw $__KERNEL_DS_ES, (%esp)
	je 16f
13:	popl %ds
	jmp 17f
16:	addl $4, %esp
17:	addl $8, %esp                           /* vector, error code */
	iret

	.section .fixup, "ax"
20:	movl $0, (%esp)
	jmp 10b
21:	movl $0, (%esp)
	jmp 11b
22:	movl $0, (%esp)
	jmp 12b
23:	movl $0, (%esp)
	jmp 13b
	.previous
	EX_ENTRY(10b, 20b)
	EX_ENTRY(11b, 21b)
	EX_ENTRY(12b, 22b)
	EX_ENTRY(13b, 23b)

/*
 * The double-fault task starts here (the EIP of its TSS, tss.c), on its
 * own stack, after the task switch through the #DF task gate (SDM vol. 3A
 * 6.15 "Interrupt 8", 7.3).  The CPU pushed the #DF error code (always 0)
 * onto this stack (SDM 6.12.2): it becomes doublefault_fn's argument.
 */
	.globl doublefault_task_entry
doublefault_task_entry:
	xorl %ebp, %ebp                         /* a fresh stack: backtraces end here */
	call doublefault_fn
2:	hlt                                     /* doublefault_fn does not return */
	jmp 2b
