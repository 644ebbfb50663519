/*
 * FPU state (SDM vol. 1 chapters 8 and 10.5; vol. 3A 2.5 for CR0.MP/EM/
 * TS/NE and CR4.OSFXSR/OSXMMEXCPT).  FXSAVE where CPUID says FXSR,
 * FNSAVE on older CPUs.
 */
#include <stdbool.h>
#include "arch/i386/fpu.h"
#include "arch/i386/cpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/counters.h"
#include "kernel/task.h"

#define CPUID1_EDX_FPU          (1u << 0)
#define CPUID1_EDX_FXSR         (1u << 24)
#define CPUID1_EDX_SSE          (1u << 25)

static bool have_fxsr;
static struct fpu_state reset_state;

void fpu_cpu_init(void)
{
	uint32_t edx = cpuid(1).edx;

	/* A real FPU, reporting errors as #MF; no emulation, no lazy switching. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	have_fxsr = edx & CPUID1_EDX_FXSR;
	if (have_fxsr)
		write_cr4(read_cr4() | CR4_OSFXSR | ((edx & CPUID1_EDX_SSE) ? CR4_OSXMMEXCPT : 0));
	__asm__ volatile("fninit");
}

void fpu_init(void)
{
	uint32_t edx = cpuid(1).edx;

	fpu_cpu_init();
	fpu_save(&reset_state);
	pr_info("fpu: x87%s%s, saved with %s\n", (edx & CPUID1_EDX_FPU) ? "" : " (absent?)",
		(edx & CPUID1_EDX_SSE) ? " + SSE" : "", have_fxsr ? "FXSAVE" : "FNSAVE");
}

void fpu_init_state(struct fpu_state *s)
{
	memcpy(s, &reset_state, sizeof(*s));
}

void fpu_save(struct fpu_state *s)
{
	if (have_fxsr)
		__asm__ volatile("fxsave %0" : "=m"(*s));
	else
		__asm__ volatile("fnsave %0; fwait" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
	if (have_fxsr)
		__asm__ volatile("fxrstor %0" : : "m"(*s));
	else
		__asm__ volatile("frstor %0" : : "m"(*s));
}

/* Per CPU: does CR0.TS trap FPU use, do the registers hold some task's state. */
static bool ts_set[NR_CPUS];
static bool regs_dirty[NR_CPUS];

static void set_ts(unsigned cpu, bool on)
{
	if (ts_set[cpu] == on)
		return;
	ts_set[cpu] = on;
	if (on)
		write_cr0(read_cr0() | CR0_TS);
	else
		__asm__ volatile("clts");
}

/* Load s into this CPU's registers (TS cleared first: FXRSTOR would trap). */
static void load_state(unsigned cpu, const struct fpu_state *s, bool dirty)
{
	set_ts(cpu, false);
	fpu_restore(s);
	regs_dirty[cpu] = dirty;
	count_event_cpu(CNT_FPU_SWITCH);
}

/* A user task without state runs next: clean registers, first use traps. */
static void prepare_no_state(unsigned cpu)
{
	if (regs_dirty[cpu])
		load_state(cpu, &reset_state, false);
	set_ts(cpu, true);
}

void fpu_switch_out(struct task *prev)
{
	if (prev->fpu_used) {
		fpu_save(task_fpu(prev));
		count_event_cpu(CNT_FPU_SWITCH);
	}
}

void fpu_switch_in(struct task *next)
{
	unsigned cpu = this_cpu()->id;

	/*
	 * A task with state gets it back even without an mm (exiting: it
	 * saves it again at its last switch, which needs TS clear).
	 */
	if (next->fpu_used)
		load_state(cpu, task_fpu(next), true);
	else if (next->mm)
		prepare_no_state(cpu);
	/* else a kernel thread: it never touches the registers */
}

bool fpu_first_use(void)
{
	uint32_t flags = local_irq_save();
	struct task *t = current;
	bool was_used = t->fpu_used;

	if (!was_used) {
		t->fpu_used = true;
		load_state(this_cpu()->id, task_fpu(t), true);
	}
	local_irq_restore(flags);
	return !was_used;
}

void fpu_exec_reset(void)
{
	uint32_t flags = local_irq_save();

	current->fpu_used = false;
	fpu_init_state(task_fpu(current));
	prepare_no_state(this_cpu()->id);
	local_irq_restore(flags);
}

void fpu_copy(struct task *c, struct task *t)
{
	uint32_t flags = local_irq_save();

	c->fpu_used = t->fpu_used;
	if (t->fpu_used)
		fpu_save(task_fpu(t));  /* TS is clear while a task with state runs */
	local_irq_restore(flags);
	task_init_fpu(c, task_fpu(t));  /* c's stack may be mapped in c's window only */
}
