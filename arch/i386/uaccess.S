/*
 * Copies between kernel and user memory that survive a fault.  Each
 * instruction that touches user memory has an __ex_table entry naming
 * where to continue if it faults; the page-fault handler finds it
 * (arch/i386/extable.c) once demand paging has declined the address.
 */
#include "arch/i386/extable.h"
#include "kernel/errno.h"

	.text
/*
 * size_t __copy_user(void *dst, const void *src, size_t n)
 * Returns the number of bytes NOT copied (0 on success).
 */
	.globl __copy_user
__copy_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
1:	rep movsb
2:	movl %ecx, %eax                 /* ECX counts what is left, even after a fault */
	popl %edi
	popl %esi
	ret
	EX_ENTRY(1b, 2b)

/*
 * long __strncpy_from_user(char *dst, const char *src, long max)
 * Copies up to and including a NUL, at most max bytes.  Returns the
 * string's length without the NUL, max if no NUL came within max bytes,
 * or -EFAULT.
 */
	.globl __strncpy_from_user
__strncpy_from_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	xorl %edx, %edx                 /* bytes copied */
3:	cmpl %ecx, %edx
	je 5f
4:	movb (%esi,%edx), %al
	movb %al, (%edi,%edx)
	testb %al, %al
	jz 5f
	incl %edx
	jmp 3b
5:	movl %edx, %eax
	popl %edi
	popl %esi
	ret
6:	movl $-EFAULT, %eax
	popl %edi
	popl %esi
	ret
	EX_ENTRY(4b, 6b)
