/*
 * struct task *switch_to(struct task *prev, struct task *next,
 *                        const struct ukva_switch *sw)
 *
 * Save prev's callee-saved registers on its kernel stack, load CR3 if
 * sw->cr3 != 0, and continue on next's kernel stack.  sw lives on prev's
 * stack, so it is read first.  CR3 is written between
 * saving ESP and loading it because in the per-task mode every task's
 * kernel stack sits at the same virtual address in its own window: the
 * write itself is what switches stacks, so nothing may touch the stack
 * between the write and the load of next's ESP.
 *
 * Returns, in next's context, the task it switched away from (EAX is not
 * saved, so the value set here survives the switch): the scheduler needs
 * it to finish the switch on behalf of prev.
 */
#include "arch/i386/trap_frame.h"
#include "arch/i386/switch.h"

	.text
	.globl switch_to
switch_to:
	movl 4(%esp), %eax              /* prev */
	movl 8(%esp), %edx              /* next */
	movl 12(%esp), %ecx             /* sw */
	movl UKVA_SWITCH_CR3(%ecx), %ecx /* the CR3 to load, or 0 */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, TASK_THREAD_ESP(%eax)
	testl %ecx, %ecx
	jz 1f
	movl %ecx, %cr3
1:	movl TASK_THREAD_ESP(%edx), %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

/*
 * A new kernel thread's first return from switch_to lands here, EAX holding
 * the task switched away from.  Finish that switch, then run the thread.
 */
	.globl ret_from_kthread
ret_from_kthread:
	pushl %eax
	call schedule_tail
	addl $4, %esp
	call kthread_main               /* never returns */
	ud2

/*
 * A new user task (fork, clone) starts here: its kernel stack holds a copy
 * of the parent's trap frame right above this return address.  Finish the
 * switch, then leave through the ordinary trap exit.
 */
	.globl ret_from_fork
ret_from_fork:
	pushl %eax
	call schedule_tail
	addl $4, %esp
	movl %esp, %ebx                 /* the frame, where trap_return wants it */
	jmp trap_return

/*
 * void enter_user_mode(const struct trap_frame *frame)
 * Copy frame to the top of the current kernel stack, where an entry from
 * user mode would have left it, and return to user mode through it.  Only
 * the frames of our callers live there, and we never return to them.
 */
	.globl enter_user_mode
enter_user_mode:
	movl 4(%esp), %esi
	call current_kernel_stack_top
	subl $TF_SIZE, %eax
	movl %eax, %edi
	movl %eax, %ebx
	movl $(TF_SIZE / 4), %ecx
	cld
	rep movsl
	movl %ebx, %esp
	jmp trap_return
