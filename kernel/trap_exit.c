/*
 * What happens on the way out of every trap, interrupt and system call
 * (called by the trap dispatcher with interrupts off):
 *
 *  - back to user mode: a thread whose process is dying exits here (this
 *    is how exit_group and fatal faults reach threads running elsewhere),
 *    and a pending reschedule happens;
 *  - back to kernel code that had interrupts on: kernel preemption.
 */
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/printk.h"
#include "kernel/uaccess.h"
#include "arch/i386/trap_frame.h"
#include "arch/i386/traps.h"
#include "arch/i386/cpu.h"
#include "arch/i386/tls.h"


/* CLONE_CHILD_SETTID, in the child, once: as on Linux a bad address is ignored. */
static void set_child_tid(struct task *t)
{
	uintptr_t addr = t->set_child_tid;

	t->set_child_tid = 0;
	local_irq_enable();                     /* the write may fault */
	(void)put_user_u32((uint32_t)t->tid, addr);
	local_irq_disable();
}

void trap_exit_work(struct trap_frame *f)
{
	if (f->cs & SEGMENT_RPL_MASK) {
		if (current->set_child_tid)
			set_child_tid(current);
		for (;;) {
			if (fatal_signal_pending()) {
				local_irq_enable();
				do_exit(current->group->exit_status);
			}
			if (!this_cpu()->need_resched)
				break;
			schedule();
			local_irq_disable();
		}
		/*
		 * IRET would fault in the kernel on this SS: the process dies
		 * instead.  __USER_DS, nearly always there, needs no look.
		 */
		if (f->user_ss != __USER_DS && !tls_user_ss_ok(current, f->user_ss)) {
			pr_info("%s[%d]: unusable SS 0x%x on return to user mode: killed by signal %d\n",
				current->comm, current->tgid, f->user_ss, SIGSEGV);
			kill_current(SIGSEGV);
		}
	} else if (f->eflags & EFLAGS_IF) {
		preempt_schedule_irq();
	}
}
