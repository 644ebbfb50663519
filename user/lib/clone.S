/*
 * long clone_thread(unsigned long flags, void *stack, int *parent_tid,
 *                   struct user_desc *tls, int *child_tid)
 *
 * clone(2) for thread_create (thread.c). The parent returns the new thread's
 * id or -errno like any system call. The child wakes up inside this function
 * but on the new stack, where none of our caller's frames exist, so it must
 * never return: thread_create stored a function and its argument at the top
 * of that stack; the child calls function(argument), then exit(2)s, which
 * ends this thread only.
 */
	.text
	.globl clone_thread
	.type clone_thread, @function
clone_thread:
	push %ebp
	push %edi
	push %esi
	push %ebx
	mov $120, %eax		/* __NR_clone */
	mov 20(%esp), %ebx	/* flags */
	mov 24(%esp), %ecx	/* stack */
	mov 28(%esp), %edx	/* parent_tid */
	mov 32(%esp), %esi	/* tls */
	mov 36(%esp), %edi	/* child_tid */
	int $0x80
	test %eax, %eax
	jz 1f
	pop %ebx		/* parent (or error): an ordinary return */
	pop %esi
	pop %edi
	pop %ebp
	ret
1:	xor %ebp, %ebp		/* child: the outermost frame of its stack */
	pop %eax		/* the function; esp points at its argument */
	call *%eax
	xor %ebx, %ebx
	mov $1, %eax		/* __NR_exit: this thread, not the process */
	int $0x80
	hlt			/* not reached */
	.size clone_thread, . - clone_thread

	.section .note.GNU-stack, "", @progbits
