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
#include "arch/i386/trap_frame.h"
#include "arch/i386/cpu.h"

void trap_exit_work(struct trap_frame *f);

void trap_exit_work(struct trap_frame *f)
{
	if (f->cs & SEGMENT_RPL_MASK) {
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
	} else if (f->eflags & EFLAGS_IF) {
		preempt_schedule_irq();
	}
}
