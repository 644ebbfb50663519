/*
 * The one place where user code enters the kernel. Linux i386 convention:
 * eax = system call number, arguments in ebx, ecx, edx, esi, edi, ebp;
 * the result (or -errno) comes back in eax; every other register is kept.
 */

/* long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
 *                  long a6): returns the kernel's eax.
 * ebx, esi, edi and ebp belong to our caller (cdecl), so they are saved. */
	.text
	.globl raw_syscall
	.type raw_syscall, @function
raw_syscall:
	push %ebp
	push %edi
	push %esi
	push %ebx
	mov 20(%esp), %eax	/* 4 saved registers + return address = 20 */
	mov 24(%esp), %ebx
	mov 28(%esp), %ecx
	mov 32(%esp), %edx
	mov 36(%esp), %esi
	mov 40(%esp), %edi
	mov 44(%esp), %ebp
	int $0x80
	pop %ebx
	pop %esi
	pop %edi
	pop %ebp
	ret
	.size raw_syscall, . - raw_syscall

	.section .note.GNU-stack, "", @progbits
