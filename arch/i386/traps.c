/*
 * The C side of the IDT: trap_dispatch() routes every vector; exceptions
 * go to the page-fault hook, a fault catch, a user signal, or an oops.
 */
#include "arch/i386/traps.h"
#include "arch/i386/apic.h"
#include "arch/i386/cpu.h"
#include "arch/i386/extable.h"
#include "arch/i386/fault_catch.h"
#include "arch/i386/fpu.h"
#include "kernel/sample.h"
#include "arch/i386/irq.h"
#include "arch/i386/stacktrace.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/vsprintf.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"


unsigned int unexpected_vector_count;

/*
 * Names and signals as Linux has them (arch/x86/kernel/traps.c).  #NM in
 * user mode means CR0.EM or TS was left set with no FPU state to switch
 * to; Linux without a coprocessor sends SIGFPE.  Vectors with signal 0
 * are never the user's doing and are fatal in either mode.
 */
static const struct exception_info {
	const char *mnemonic;
	const char *name;
	int signal;
} exceptions[NR_EXCEPTION_VECTORS] = {
	[X86_TRAP_DE]     = { "#DE", "divide error", SIGFPE },
	[X86_TRAP_DB]     = { "#DB", "debug", SIGTRAP },
	[X86_TRAP_NMI]    = { "NMI", "non-maskable interrupt", 0 },
	[X86_TRAP_BP]     = { "#BP", "int3", SIGTRAP },
	[X86_TRAP_OF]     = { "#OF", "overflow", SIGSEGV },
	[X86_TRAP_BR]     = { "#BR", "bounds", SIGSEGV },
	[X86_TRAP_UD]     = { "#UD", "invalid opcode", SIGILL },
	[X86_TRAP_NM]     = { "#NM", "device not available", SIGFPE },
	[X86_TRAP_DF]     = { "#DF", "double fault", 0 },
	[X86_TRAP_OLD_MF] = { "#MF", "coprocessor segment overrun", SIGFPE },
	[X86_TRAP_TS]     = { "#TS", "invalid TSS", SIGSEGV },
	[X86_TRAP_NP]     = { "#NP", "segment not present", SIGBUS },
	[X86_TRAP_SS]     = { "#SS", "stack segment", SIGBUS },
	[X86_TRAP_GP]     = { "#GP", "general protection", SIGSEGV },
	[X86_TRAP_PF]     = { "#PF", "page fault", SIGSEGV },
	[X86_TRAP_MF]     = { "#MF", "coprocessor error", SIGFPE },
	[X86_TRAP_AC]     = { "#AC", "alignment check", SIGBUS },
	[X86_TRAP_MC]     = { "#MC", "machine check", 0 },
	[X86_TRAP_XF]     = { "#XM", "SIMD exception", SIGFPE },
	[X86_TRAP_VE]     = { "#VE", "virtualization exception", 0 },
	[X86_TRAP_CP]     = { "#CP", "control protection", SIGSEGV },
};

const char *exception_name(uint32_t vector)
{
	if (vector < NR_EXCEPTION_VECTORS && exceptions[vector].name)
		return exceptions[vector].name;
	return "reserved";
}

int exception_signal(uint32_t vector)
{
	return vector < NR_EXCEPTION_VECTORS ? exceptions[vector].signal : 0;
}

/* "#PF" for 14, ...: the SDM's short name. */
static const char *exception_mnemonic(uint32_t vector)
{
	if (vector < NR_EXCEPTION_VECTORS && exceptions[vector].mnemonic)
		return exceptions[vector].mnemonic;
	return "#??";
}

char *format_error_code(uint32_t vector, uint32_t ec, char *buf, size_t size)
{
	switch (vector) {
	case X86_TRAP_PF:
		snprintf(buf, size, "%s %s %s%s%s%s",
			 ec & X86_PF_PROT ? "protection" : "not-present",
			 ec & X86_PF_INSTR ? "instruction-fetch" : ec & X86_PF_WRITE ? "write" : "read",
			 ec & X86_PF_USER ? "user" : "kernel",
			 ec & X86_PF_RSVD ? " reserved-bit" : "",
			 ec & X86_PF_PK ? " protection-key" : "",
			 ec & X86_PF_SHSTK ? " shadow-stack" : "");
		break;
	case X86_TRAP_TS:
	case X86_TRAP_NP:
	case X86_TRAP_SS:
	case X86_TRAP_GP:
		if (ec == 0) {
			snprintf(buf, size, "no selector");
			break;
		}
		snprintf(buf, size, "%s %s %u%s",
			 ec & X86_EC_IDT ? "IDT" : ec & X86_EC_TI ? "LDT" : "GDT",
			 ec & X86_EC_IDT ? "vector" : "entry",
			 (ec & 0xFFFF) >> 3, ec & X86_EC_EXT ? ", external event" : "");
		break;
	default:
		snprintf(buf, size, "-");
		break;
	}
	return buf;
}

void show_regs(const struct trap_frame *f)
{
	char sym[96];

	ksym_format(f->eip, sym, sizeof(sym));
	pr_emerg("EIP: %04x:%08x %s EFLAGS: %08x%s\n", f->cs, f->eip, sym, f->eflags,
		 user_mode(f) ? " (user mode)" : "");
	pr_emerg("EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", f->eax, f->ebx, f->ecx, f->edx);
	pr_emerg("ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", f->esi, f->edi, f->ebp, f->esp);
	pr_emerg("DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x\n",
		 f->ds, f->es, f->fs, f->gs, trap_frame_ss(f));
	pr_emerg("CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* The first line of a report: which exception, its error code decoded. */
static void report_exception(const char *what, const struct trap_frame *f, uint32_t cr2)
{
	char ec[80];

	pr_emerg("%s: %s (%s), vector %u, error 0x%04x [%s]\n", what,
		 exception_name(f->vector), exception_mnemonic(f->vector), f->vector,
		 f->error_code, format_error_code(f->vector, f->error_code, ec, sizeof(ec)));
	if (f->vector == X86_TRAP_PF)
		pr_emerg("BUG: unable to handle page fault for address %08x\n", cr2);
}

/* An exception nothing handles: report it and stop the machine. */
static __noreturn void die(const struct trap_frame *f, uint32_t cr2)
{
	oops_begin();
	report_exception("Oops", f, cr2);
	show_regs(f);
	if (!user_mode(f))
		show_backtrace(f->eip, f->ebp, f->esp);
	pr_emerg("---[ end trace ]---\n");
	oops_end();
}

int format_user_fault(char *buf, size_t size, const struct trap_frame *f, uint32_t cr2,
		      int signal)
{
	return snprintf(buf, size,
			"%s[%d]: %s at ip 0x%08x sp 0x%08x error %u cr2 0x%08x: killed by signal %d",
			current->comm, current->tgid, exception_name(f->vector), f->eip,
			f->user_esp, f->error_code, f->vector == X86_TRAP_PF ? cr2 : 0, signal);
}

/*
 * A fault in user mode that nothing resolved: one line in the log, as
 * Linux's show_unhandled_signals prints, and the process dies of signal.
 * cr2 is the one read at entry: with interrupts back on since, CR2 may
 * hold the address of a later fault (another task's, a window page's).
 */
void user_fault(struct trap_frame *f, uint32_t cr2, int signal)
{
	char line[160];

	format_user_fault(line, sizeof(line), f, cr2, signal);
	pr_info("%s\n", line);
	kill_current(signal);
}

/*
 * An NMI: nothing raises one on purpose yet (no watchdog), so like Linux
 * for an NMI of unknown reason, report it and carry on.
 */
static void unknown_nmi(const struct trap_frame *f)
{
	char sym[96];

	/* Whatever this CPU was printing, the picture must get out. */
	console_panic_mode();
	ksym_format(f->eip, sym, sizeof(sym));
	pr_warn("NMI of unknown reason on CPU %u at %s\n", this_cpu()->id, sym);
	sched_show_state();
}

/*
 * A kernel-mode #GP, #NP or #SS at an instruction with an exception-table
 * entry (a segment pop of the trap exit): continue at its fixup.
 */
static bool fixup_segment_fault(struct trap_frame *f)
{
	if (f->vector != X86_TRAP_GP && f->vector != X86_TRAP_NP && f->vector != X86_TRAP_SS)
		return false;
	uint32_t fixup = search_exception_table(f->eip);
	if (fixup)
		f->eip = fixup;
	return fixup != 0;
}

/*
 * Exceptions 0-31.  A page fault goes to the mm hook first.  In kernel
 * mode a segment fault with a fixup takes it, then an armed fault catch
 * gets the exception (not NMI or #MC, which are not caused by the code
 * running); in user mode it becomes a signal.  Anything left is an oops.
 * #DF never comes here: it is a task gate.
 */
static void handle_exception(struct trap_frame *f)
{
	uint32_t cr2 = 0;

	if (f->vector == X86_TRAP_PF) {
		cr2 = read_cr2();               /* before anything can fault again */
		if (do_page_fault(f, cr2))
			return;
	}
	if (f->vector == X86_TRAP_NMI) {
		if (!sample_nmi(f))
			unknown_nmi(f);
		return;
	}
	if (f->vector == X86_TRAP_NM && user_mode(f) && fpu_first_use())
		return;                 /* retry the instruction with the task's state */
	if (user_mode(f)) {
		int signal = exception_signal(f->vector);
		if (signal) {
			user_fault(f, cr2, signal);
			return;
		}
	} else if (fixup_segment_fault(f)) {
		return;
	} else if (f->vector != X86_TRAP_MC) {
		/* An instruction allowed to fault (a segment reload on the way out). */
		uint32_t fixup = search_exception_table(f->eip);
		if (fixup) {
			f->eip = fixup;
			return;
		}
		fault_catch_dispatch(f->vector, f->error_code, cr2, f->eip);
	}
	die(f, cr2);
}

/* A vector nothing is wired to (a stray INT n, a misrouted interrupt). */
static void unexpected_vector(const struct trap_frame *f)
{
	char sym[96];

	unexpected_vector_count++;
	ksym_format(f->eip, sym, sizeof(sym));
	pr_warn("unexpected interrupt vector %u at %s\n", f->vector, sym);
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector < NR_EXCEPTION_VECTORS)
		handle_exception(f);
	else if (f->vector - IRQ0_VECTOR < NR_IRQS)
		do_irq(f);
	else if (f->vector < FIRST_SYSTEM_VECTOR || !do_apic_vector(f))
		unexpected_vector(f);
	/*
	 * An NMI (the profiler's samples) may come anywhere, and further NMIs
	 * stay blocked until its IRET (SDM vol. 3A 6.7.1): no switch or exit
	 * on its way out; the next trap does the work.
	 */
	if (f->vector == X86_TRAP_NMI)
		return;
	local_irq_disable();
	trap_exit_work(f);
}
