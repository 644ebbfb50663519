/*
 * _start: the first instruction of every program. The kernel enters here
 * with no return address and esp pointing at argc, laid out as Linux does:
 *
 *   esp ->  argc
 *           argv[0] ... argv[argc - 1], NULL
 *           envp[0] ... NULL
 *           auxv: (key, value) pairs ending with AT_NULL
 *
 * We hand that pointer to start_main (start.c), which never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp		/* the outermost frame, for debuggers */
	mov %esp, %eax
	and $-16, %esp		/* 16-byte alignment at calls (i386 ABI) */
	sub $12, %esp
	push %eax
	call start_main
	hlt			/* not reached: faults if it ever is */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
