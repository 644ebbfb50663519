/*
 * struct task *switch_to(struct task *prev, struct task *next,
 *                        const struct ukva_switch *sw)
 *
 * Save prev's callee-saved registers on its kernel stack, do what sw says
 * the address space needs, and continue on next's kernel stack.  sw lives
 * on prev's stack, so it is read first.  CR3 is written between saving
 * ESP and loading it because in the per-task mode every task's kernel
 * stack sits at the same virtual address in its own window: the write
 * itself is what switches stacks, so nothing may touch the stack between
 * the write and the load of next's ESP.
 *
 * In mm=per-cpu the stacks switch by rewriting one kernel PMD entry (the
 * window's, in this CPU's copy) instead, and sw->pmd says which: that is
 * done on a small direct-mapped per-CPU stack (sw->switch_stack), as the
 * rewrite unmaps prev's stack and the TLB may still hold its pages until
 * the INVLPGs.
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
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, TASK_THREAD_ESP(%eax)
	movl UKVA_SWITCH_PMD(%ecx), %ebx
	testl %ebx, %ebx
	jnz switch_window
	movl UKVA_SWITCH_CR3(%ecx), %ecx /* the CR3 to load, or 0 */
	testl %ecx, %ecx
	jz 1f
	movl %ecx, %cr3
1:	movl TASK_THREAD_ESP(%edx), %esp
switch_pop:
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

/*
 * mm=per-cpu: ebx points at the window's kernel PMD entry, which maps
 * prev's stack now and next's after the rewrite, at the same address.
 */
switch_window:
	movl UKVA_SWITCH_STACK(%ecx), %esp      /* direct-mapped: survives the rewrite */
	pushl %eax                              /* prev, to return */
	pushl %edx                              /* next */
	pushl UKVA_SWITCH_CR3(%ecx)
	movl UKVA_SWITCH_FLUSH(%ecx), %esi
	movl UKVA_SWITCH_FLUSH+4(%ecx), %edi
	movl UKVA_SWITCH_PMD_VAL(%ecx), %eax
	movl UKVA_SWITCH_PMD_VAL+4(%ecx), %edx
	/*
	 * A present PAE entry changes as mm/pgtable.h says: the low half
	 * (present bit) cleared first, then the high half, then the low one,
	 * so no page walk sees half of each (SDM vol. 3A 4.10.4).
	 */
	movl $0, (%ebx)
	movl %edx, 4(%ebx)
	movl %eax, (%ebx)
	popl %ecx
	testl %ecx, %ecx
	jz 2f
	movl %ecx, %cr3                         /* drops every window entry from the TLB */
	jmp 4f
	/*
	 * Same PGD: drop prev's window pages one by one.  INVLPG also empties
	 * the paging-structure caches, whatever the address (SDM 4.10.4.1),
	 * so the old PMD entry cannot be used again; the flush always has a
	 * bit (the stack).
	 */
2:	bsfl %esi, %ecx
	jz 3f
	btrl %ecx, %esi
	shll $12, %ecx
	invlpg UKVA_SWITCH_FLUSH_BASE(%ecx)
	jmp 2b
3:	bsfl %edi, %ecx
	jz 4f
	btrl %ecx, %edi
	shll $12, %ecx
	invlpg UKVA_SWITCH_FLUSH_BASE + 32 * 4096(%ecx)
	jmp 3b
4:	popl %edx                               /* next */
	popl %eax                               /* prev */
	movl TASK_THREAD_ESP(%edx), %esp
	jmp switch_pop

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
