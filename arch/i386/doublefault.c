/*
 * The double-fault report.  A fault while the CPU delivers another one,
 * typically a push onto a kernel stack that ran into an unmapped page,
 * raises #DF (SDM vol. 3A 6.15 "Interrupt 8", Table 6-5); its gate is a
 * task gate, so the CPU saves the broken context in this CPU's main TSS
 * and starts the double-fault task on a stack of its own (tss.c, entry.S).
 * There is no way back: report the saved context and stop.
 */
#include <stdint.h>
#include "arch/i386/gdt.h"
#include "arch/i386/stacktrace.h"
#include "arch/i386/trap_frame.h"
#include "arch/i386/traps.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

/* Called by doublefault_task_entry (entry.S); error_code is always 0. */
__noreturn void doublefault_fn(uint32_t error_code);

/* The context the task switch saved into the main TSS, as a trap frame. */
static struct trap_frame saved_context(const struct tss_struct *t, uint32_t error_code)
{
	return (struct trap_frame){
		.eax = t->eax, .ebx = t->ebx, .ecx = t->ecx, .edx = t->edx,
		.esi = t->esi, .edi = t->edi, .ebp = t->ebp, .esp = t->esp,
		.ds = t->ds, .es = t->es, .fs = t->fs, .gs = t->gs,
		.vector = X86_TRAP_DF, .error_code = error_code,
		.eip = t->eip, .cs = t->cs, .eflags = t->eflags,
		.user_esp = t->esp, .user_ss = t->ss,
	};
}

__noreturn void doublefault_fn(uint32_t error_code)
{
	struct cpu_descriptors *cd = this_cpu_descriptors();
	struct trap_frame f = saved_context(&cd->tss, error_code);

	oops_begin();
	pr_emerg("Oops: double fault (#DF), error 0x%04x: a fault while delivering a fault\n",
		 error_code);
	pr_emerg("double fault: context saved by the task switch from TSS %04x\n",
		 cd->doublefault_tss.back_link);
	show_regs(&f);
	show_backtrace(f.eip, f.ebp, 0);        /* ESP may be in an unmapped page */
	pr_emerg("---[ end trace ]---\n");
	oops_end();
}
