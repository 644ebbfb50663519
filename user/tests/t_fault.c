/*
 * A process killed by its own fault: each fault runs in a forked child and
 * the parent checks the wait status for the signal Linux reports (SIGSEGV
 * 11, SIGILL 4, SIGFPE 8, SIGTRAP 5). The parent, and its other children,
 * go on unharmed.
 */
#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "ukva.h"

/* Each of these faults on purpose; the return is reached only if the fault
 * did not happen. Addresses pass through volatile pointers so that GCC,
 * seeing a NULL dereference, cannot replace it with a trap of its own. */

static volatile int *volatile null_ptr = 0;
/* Kernel space starts at 0xC0000000 on our kernel (on the host, a 32-bit
 * process has that address but nothing is mapped there). */
static volatile int *volatile kernel_ptr = (volatile int *)0xc0000000;

/* Loads from address 0. */
static int read_null(void *arg)
{
	(void)arg;
	return *null_ptr;
}

/* Stores to address 0. */
static int write_null(void *arg)
{
	(void)arg;
	*null_ptr = 1;
	return 0;
}

/* Loads from the first kernel address. */
static int read_kernel(void *arg)
{
	(void)arg;
	return *kernel_ptr;
}

/* Stores to the first kernel address. */
static int write_kernel(void *arg)
{
	(void)arg;
	*kernel_ptr = 1;
	return 0;
}

/*
 * Addresses of the kernel's UKVA window (docs/memory-map.md): the linear
 * PTE map, the window's own page, the per-task kernel stack and private
 * area.  They hold kernel data in the per-mm and per-task modes and must
 * be as closed to user mode as the rest of the kernel.  On x86-64 Linux a
 * 32-bit process may have its stack up there, so this is checked on our
 * kernel only.
 */
static const unsigned window_addrs[] = { 0xff800000, 0xffbffff8, 0xffe00000, 0xffe09ff0,
					 0xffe10000, 0xfffff000 };

/* Loads from the window address at index (uintptr_t)arg. */
static int read_window(void *arg)
{
	return *(volatile int *)window_addrs[(unsigned)(unsigned long)arg];
}

/* Stores to the window address at index (uintptr_t)arg. */
static int write_window(void *arg)
{
	*(volatile int *)window_addrs[(unsigned)(unsigned long)arg] = 1;
	return 0;
}

/* Program text is mapped read-only. */
static int write_text(void *arg)
{
	(void)arg;
	*(volatile unsigned char *)(void *)write_text = 0xc3;
	return 0;
}

/* Jumps to address 0: an instruction fetch fault. */
static int call_null(void *arg)
{
	int (*volatile fn)(void *) = 0;

	return fn(arg);
}

/* ud2: the instruction defined to be invalid. */
static int invalid_opcode(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
	return 0;
}

/* Divides by zero (volatile, so the division happens at run time). */
static int divide_by_zero(void *arg)
{
	volatile unsigned zero = 0;

	(void)arg;
	return (int)(100 / zero);
}

/* INT_MIN / -1 overflows idiv, which raises the same #DE as a zero
 * divisor. */
static int divide_overflow(void *arg)
{
	volatile int min = -2147483647 - 1, minus_one = -1;

	(void)arg;
	return min / minus_one;
}

/* hlt is privileged: #GP in user mode. */
static int privileged_instruction(void *arg)
{
	(void)arg;
	__asm__ volatile("hlt");
	return 0;
}

/* I/O ports are closed to user mode (IOPL 0, no I/O bitmap): #GP. */
static int port_io(void *arg)
{
	(void)arg;
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
	return 0;
}

/* A software interrupt through a gate user mode may not use (vector 0x20,
 * a hardware interrupt on most kernels): #GP, never a fake interrupt. */
static int kernel_vector(void *arg)
{
	(void)arg;
	__asm__ volatile("int $0x20");
	return 0;
}

/* int3, the breakpoint instruction, may be used from user mode: SIGTRAP. */
static int breakpoint(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
	return 0;
}

/* Bad memory accesses: SIGSEGV. */
static void memory_faults(void)
{
	EXPECT_SIGNAL(child_run(read_null, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(write_null, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(read_kernel, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(write_kernel, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(write_text, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(call_null, NULL), SIGSEGV);
}

/* The UKVA window, in every mode: SIGSEGV, read or write. */
static void window_faults(void)
{
	struct ukva_meminfo mi;

	if (sys_ukva_meminfo(&mi) != 0) {
		ktap_skip("not on the ukva kernel: these may be stack addresses here");
		return;
	}
	for (unsigned i = 0; i < sizeof(window_addrs) / sizeof(window_addrs[0]); i++) {
		EXPECT_SIGNAL(child_run(read_window, (void *)(unsigned long)i), SIGSEGV);
		EXPECT_SIGNAL(child_run(write_window, (void *)(unsigned long)i), SIGSEGV);
	}
}

/* An invalid opcode: SIGILL. */
static void illegal_instruction(void)
{
	EXPECT_SIGNAL(child_run(invalid_opcode, NULL), SIGILL);
}

/* Division errors: SIGFPE. */
static void divide_errors(void)
{
	EXPECT_SIGNAL(child_run(divide_by_zero, NULL), SIGFPE);
	EXPECT_SIGNAL(child_run(divide_overflow, NULL), SIGFPE);
}

/* Privileged instructions, port I/O and kernel-only interrupt vectors are
 * general protection faults: SIGSEGV. */
static void protection_faults(void)
{
	EXPECT_SIGNAL(child_run(privileged_instruction, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(port_io, NULL), SIGSEGV);
	EXPECT_SIGNAL(child_run(kernel_vector, NULL), SIGSEGV);
}

/* A breakpoint: SIGTRAP. */
static void breakpoint_trap(void)
{
	EXPECT_SIGNAL(child_run(breakpoint, NULL), SIGTRAP);
}

/* Child side of siblings_go_on: waits for the parent's word, then works. */
static int healthy(void *fds)
{
	char c;

	sys_close(((int *)fds)[1]);
	if (sys_read(((int *)fds)[0], &c, 1) != 1)
		return 1;
	return c == 'g' ? 7 : 2;
}

/* While one child dies of a fault, its siblings (alive before and after
 * the fault) and the parent carry on: the healthy ones exit normally. */
static void siblings_go_on(void)
{
	int fds[2];
	long before, faulty, after;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	before = child_start(healthy, fds);
	faulty = child_start(write_null, NULL);
	after = child_start(healthy, fds);
	EXPECT_SIGNAL(child_wait(faulty), SIGSEGV);
	EXPECT_EQ(sys_write(fds[1], "gg", 2), 2);
	EXPECT_EXIT(child_wait(before), 7);
	EXPECT_EXIT(child_wait(after), 7);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(memory_faults),
	KTAP_CASE(window_faults),
	KTAP_CASE(illegal_instruction),
	KTAP_CASE(divide_errors),
	KTAP_CASE(protection_faults),
	KTAP_CASE(breakpoint_trap),
	KTAP_CASE(siblings_go_on),
};

int main(void)
{
	return ktap_run("t_fault", cases, ARRAY_SIZE(cases));
}
