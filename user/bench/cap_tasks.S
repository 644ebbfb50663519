/*
 * The tasks of the capacity benchmark (capacity.c): a thread and a process
 * that cost the kernel what a task costs and nothing more.  Neither ever
 * touches user memory after it is created: no stack (a thread's stack
 * pointer points at memory no one writes; a forked child keeps its
 * parent's, read-only after fork), no page copied on write.  So what they
 * consume is kernel memory only, and on a lazily backed 64 GiB guest the
 * host backs little of it.
 *
 * long cap_clone_thread(unsigned long flags, void *stack)
 *	clone(2); the parent gets the tid or -errno.  The thread sleeps in
 *	FUTEX_WAIT_PRIVATE on cap_release while it is 0, then exits.
 * long cap_fork(void)
 *	fork(2); the parent gets the pid or -errno.  The child closes
 *	cap_hold[1] (so that the parent's close is the last), blocks reading
 *	cap_hold[0], and exits with status 0 at end of file (1 otherwise).
 */
#define NR_exit		1
#define NR_fork		2
#define NR_read		3
#define NR_close	6
#define NR_clone	120
#define NR_futex	240
#define FUTEX_WAIT_PRIVATE 128

	.text
	.globl cap_clone_thread
	.type cap_clone_thread, @function
cap_clone_thread:
	push %ebx
	push %esi
	push %edi
	mov $NR_clone, %eax
	mov 16(%esp), %ebx	/* flags */
	mov 20(%esp), %ecx	/* stack */
	xor %edx, %edx		/* no parent_tid, tls, child_tid */
	xor %esi, %esi
	xor %edi, %edi
	int $0x80
	test %eax, %eax
	jz 1f
	pop %edi
	pop %esi
	pop %ebx
	ret
1:	mov $NR_futex, %eax	/* the thread: registers only from here on */
	mov $cap_release, %ebx
	mov $FUTEX_WAIT_PRIVATE, %ecx
	xor %edx, %edx		/* while cap_release == 0 */
	xor %esi, %esi		/* no timeout */
	int $0x80
	cmpl $0, cap_release
	je 1b
	mov $NR_exit, %eax
	xor %ebx, %ebx
	int $0x80
	hlt
	.size cap_clone_thread, . - cap_clone_thread

	.globl cap_fork
	.type cap_fork, @function
cap_fork:
	push %ebx
	mov $NR_fork, %eax
	int $0x80
	test %eax, %eax
	jz 1f
	pop %ebx
	ret
1:	mov $NR_close, %eax	/* the child: registers only from here on */
	mov cap_hold+4, %ebx
	int $0x80
2:	mov $NR_read, %eax
	mov cap_hold, %ebx
	mov $cap_byte, %ecx
	mov $1, %edx
	int $0x80
	test %eax, %eax
	jg 2b			/* never: nobody writes to the pipe */
	setnz %bl		/* 0 at end of file, 1 on an error */
	movzbl %bl, %ebx
	mov $NR_exit, %eax
	int $0x80
	hlt
	.size cap_fork, . - cap_fork

	.section .note.GNU-stack, "", @progbits
