/*
 * panic, WARN, and the bracket around every fatal report.
 */
#include <stdarg.h>
#include <stdint.h>
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "arch/i386/cpu.h"
#include "arch/i386/power.h"
#include "arch/i386/stacktrace.h"
#include "arch/i386/traps.h"

#define X86_CALL_REL32          0xE8    /* opcode of call rel32, 5 bytes */

/*
 * The first panic's caller registers, written by panic_entry.S (which
 * owns bit 0 of panic_regs_taken).  Both become per-CPU with SMP.
 */
struct trap_frame panic_regs;
uint32_t panic_regs_taken;

unsigned int warn_count;

static int oops_in_progress;

/* Entered from panic_entry.S by a jump, with panic's arguments. */
__noreturn void do_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void oops_begin(void)
{
	local_irq_disable();
	console_panic_mode();
	if (__atomic_exchange_n(&oops_in_progress, 1, __ATOMIC_ACQ_REL)) {
		static const char msg[] = "\nfault or panic while reporting one: halting\n";
		console_write(msg, sizeof(msg) - 1);
		oops_end();
	}
}

void oops_end(void)
{
	machine_exit(false);
}

__noreturn void do_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	oops_begin();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/*
	 * Point EIP at the call to panic, so it names the caller even when
	 * that call is the caller's last instruction.
	 */
	if (*(const uint8_t *)(panic_regs.eip - 5) == X86_CALL_REL32)
		panic_regs.eip -= 5;
	pr_emerg("Kernel panic: %s\n", msg);
	show_regs(&panic_regs);
	dump_stack_lvl(LOG_EMERG);
	pr_emerg("---[ end Kernel panic: %s ]---\n", msg);
	oops_end();
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&warn_count, 1, __ATOMIC_RELAXED);
	pr_warn("WARNING: %s:%d: %s\n", file, line, cond);
	dump_stack_lvl(LOG_WARNING);
}
