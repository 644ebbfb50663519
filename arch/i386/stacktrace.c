/*
 * Frame-pointer backtraces (the frame layout is drawn in stacktrace.h).
 * The walk reads only inside one known stack, so a corrupt chain ends the
 * trace instead of faulting in the middle of an oops.
 */
#include <stdbool.h>
#include "arch/i386/stacktrace.h"
#include "arch/i386/gdt.h"
#include "kernel/compiler.h"
#include "kernel/ksyms.h"
#include "kernel/vsprintf.h"
#include "mm/memlayout.h"

#define BACKTRACE_MAX           32
/* No kernel stack is larger: bounds a walk on a stack not known here. */
#define KERNEL_STACK_MAX        (64 * 1024)

extern char boot_stack_bottom[], boot_stack_top[];     /* boot/multiboot.S */
extern const char __text_start[], __text_end[];        /* linker.ld.S */

/* Is addr inside the kernel image's code? */
static bool kernel_text_address(uint32_t addr)
{
	return addr >= (uint32_t)__text_start && addr < (uint32_t)__text_end;
}

/*
 * The bounds [*lo, *hi) of the kernel stack holding addr: the boot stack,
 * this CPU's double-fault stack, or else (task stacks are not known here
 * yet) the KERNEL_STACK_MAX bytes from addr up.
 */
static void stack_bounds(uint32_t addr, uint32_t *lo, uint32_t *hi)
{
	const struct cpu_descriptors *cd = this_cpu_descriptors();
	uint32_t df_lo = (uint32_t)cd->doublefault_stack;
	uint32_t df_hi = df_lo + sizeof(cd->doublefault_stack);

	if (addr >= (uint32_t)boot_stack_bottom && addr < (uint32_t)boot_stack_top) {
		*lo = (uint32_t)boot_stack_bottom;
		*hi = (uint32_t)boot_stack_top;
	} else if (addr >= df_lo && addr < df_hi) {
		*lo = df_lo;
		*hi = df_hi;
	} else {
		*lo = addr;
		*hi = addr > UINT32_MAX - KERNEL_STACK_MAX ? UINT32_MAX : addr + KERNEL_STACK_MAX;
	}
}

int backtrace_walk(uint32_t ebp, uint32_t *pcs, int max)
{
	uint32_t lo, hi;
	int n = 0;

	if (ebp < KERNEL_VIRT_BASE)
		return 0;
	stack_bounds(ebp, &lo, &hi);
	while (n < max && ebp != 0) {
		if (!IS_ALIGNED(ebp, 4) || ebp < lo || ebp > hi - 8)
			break;
		const uint32_t *frame = (const uint32_t *)ebp;
		if (!kernel_text_address(frame[1]))
			break;
		pcs[n++] = frame[1];
		if (frame[0] <= ebp)            /* the end (0), or a loop */
			break;
		ebp = frame[0];
	}
	return n;
}

__attribute__((noinline)) int backtrace_capture(uint32_t *pcs, int max)
{
	return backtrace_walk((uint32_t)__builtin_frame_address(0), pcs, max);
}

/*
 * A return address may be the first byte of the next function (after a
 * call to a noreturn function), so look up ret - 1 and add the 1 back.
 */
void format_return_address(uint32_t ret, char *buf, size_t size)
{
	uint32_t off;
	const char *name = ksym_lookup(ret - 1, &off);

	if (name)
		snprintf(buf, size, "%s+0x%x", name, off + 1);
	else
		snprintf(buf, size, "0x%08x", ret);
}

/* Print the walk from ebp, one " [<address>] function+offset" line each. */
static void print_chain(enum log_level level, uint32_t ebp)
{
	uint32_t pcs[BACKTRACE_MAX];
	char sym[96];
	int n = backtrace_walk(ebp, pcs, BACKTRACE_MAX);

	for (int i = 0; i < n; i++) {
		format_return_address(pcs[i], sym, sizeof(sym));
		printk(level, " [<%08x>] %s\n", pcs[i], sym);
	}
	if (n == BACKTRACE_MAX)
		printk(level, " ... (more frames)\n");
}

/* The word at the top of the stack at esp, if it may be a return address; else 0. */
static uint32_t frameless_return_address(uint32_t esp, uint32_t ebp)
{
	uint32_t lo, hi, first;

	if (esp < KERNEL_VIRT_BASE || !IS_ALIGNED(esp, 4))
		return 0;
	stack_bounds(esp, &lo, &hi);
	if (esp > hi - 4)
		return 0;
	uint32_t word = *(const uint32_t *)esp;
	if (!kernel_text_address(word))
		return 0;
	if (backtrace_walk(ebp, &first, 1) == 1 && first == word)
		return 0;
	return word;
}

void show_backtrace(uint32_t eip, uint32_t ebp, uint32_t esp)
{
	char sym[96];
	uint32_t ret = esp ? frameless_return_address(esp, ebp) : 0;

	ksym_format(eip, sym, sizeof(sym));
	pr_emerg("Call Trace:\n");
	pr_emerg(" [<%08x>] %s\n", eip, sym);
	if (ret) {
		format_return_address(ret, sym, sizeof(sym));
		pr_emerg(" [<%08x>] ? %s\n", ret, sym);
	}
	print_chain(LOG_EMERG, ebp);
}

__attribute__((noinline)) void dump_stack_lvl(enum log_level level)
{
	printk(level, "Call Trace:\n");
	print_chain(level, (uint32_t)__builtin_frame_address(0));
}
