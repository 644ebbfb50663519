/*
 * panic(fmt, ...): snapshot the caller's registers into panic_regs (a
 * struct trap_frame, kernel/panic.c), then jump, not call, to do_panic
 * with the stack untouched, so do_panic receives panic's arguments and
 * return address as they were.  Only the first panic writes the snapshot
 * (bit 0 of panic_regs_taken): a recursive one keeps the original.
 *
 * The snapshot: every general register and segment register as the
 * caller had them, EFLAGS, EIP = the return address (do_panic moves it
 * back onto the call), ESP = the caller's ESP after the call returns.
 */
#include "arch/i386/trap_frame.h"

#define R(field)        panic_regs + TF_##field

	.text
	.globl panic
panic:
	pushfl
	lock btsl $0, panic_regs_taken
	jc 1f
	movl %eax, R(EAX)
	movl %ebx, R(EBX)
	movl %ecx, R(ECX)
	movl %edx, R(EDX)
	movl %esi, R(ESI)
	movl %edi, R(EDI)
	movl %ebp, R(EBP)
	leal 8(%esp), %eax                      /* past our EFLAGS and the return address */
	movl %eax, R(ESP)
	movl 4(%esp), %eax
	movl %eax, R(EIP)
	movl (%esp), %eax
	movl %eax, R(EFLAGS)
	movw %cs, R(CS)
	movw %ds, R(DS)
	movw %es, R(ES)
	movw %fs, R(FS)
	movw %gs, R(GS)
	movl R(EAX), %eax
1:	popfl
	jmp do_panic
