/*
 * Attack suite: the CPU used against the kernel. Each attack runs in a
 * child, which must die of a signal (or carry on, where the CPU allows
 * it) while the kernel goes on: privileged instructions, every INT n,
 * selectors that name nothing loadable, a kernel or absent ESP at entry,
 * single-stepping through system calls, and unmasked x87 and SSE
 * exceptions left pending across a switch.
 */
#include <stdint.h>

#include "abi.h"
#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "tls.h"

static void expect_killed(int (*fn)(void *), void *arg, const char *what)
{
	long status = child_run(fn, arg);

	if (!WIFSIGNALED(status))
		ktap_diag("%s: status 0x%lx", what, status);
	EXPECT(WIFSIGNALED(status));
}

#define PRIV(name, insn)                                                \
	static int name(void *unused)                                   \
	{                                                               \
		(void)unused;                                           \
		__asm__ volatile(insn ::: "memory");                    \
		return 0;                                               \
	}

PRIV(do_hlt, "hlt")
PRIV(do_cli, "cli")
PRIV(do_in, "inb $0x60, %%al")
PRIV(do_out, "outb %%al, $0xf4")
PRIV(do_lgdt, "lgdt 0")
PRIV(do_lidt, "lidt 0")
PRIV(do_mov_cr3, "movl %%eax, %%cr3")
PRIV(do_wrmsr, "wrmsr")
PRIV(do_invlpg, "invlpg 0")
PRIV(do_ltr, "ltr %%ax")

/* Ring-0 instructions in ring 3: #GP, SIGSEGV; the machine is untouched. */
static void privileged_instructions(void)
{
	int (*const fns[])(void *) = { do_hlt, do_cli, do_in, do_out, do_lgdt, do_lidt,
				       do_mov_cr3, do_wrmsr, do_invlpg, do_ltr };

	for (int i = 0; i < ARRAY_SIZE(fns); i++)
		expect_killed(fns[i], NULL, "privileged");
}

/* INT n for one n, patched into a code buffer. */
static int int_n(void *arg)
{
	static unsigned char code[8] __attribute__((aligned(16)));
	long page = sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (is_err(page))
		return 1;
	code[0] = 0xcd;                         /* int imm8 */
	code[1] = (unsigned char)(uintptr_t)arg;
	code[2] = 0xc3;                         /* ret */
	for (int i = 0; i < 3; i++)
		((unsigned char *)page)[i] = code[i];
	/* A nonsense syscall number if it reaches the syscall gate. */
	__asm__ volatile("call *%0" : : "r"(page), "a"(-1) : "memory", "ecx", "edx");
	return 0;
}

/* Every INT n but the system call: each kills the caller (#GP through a
 * gate user mode may not use, or #BP/#OF as signals), none reaches a
 * kernel handler as if it were hardware. */
static void every_int_n(void)
{
	for (int n = 0; n < 256; n++) {
		if (n == 0x80)
			continue;
		long status = child_run(int_n, (void *)(intptr_t)n);
		if (!WIFSIGNALED(status))
			ktap_diag("int $%#x: status 0x%lx", n, status);
		EXPECT(WIFSIGNALED(status));
	}
}

static int load_selector(void *arg)
{
	uint32_t sel = (uint32_t)(uintptr_t)arg;

	__asm__ volatile("movw %w0, %%ds" : : "r"(sel) : "memory");
	return 0;
}

static int load_ss(void *arg)
{
	uint32_t sel = (uint32_t)(uintptr_t)arg;

	__asm__ volatile("movw %w0, %%ss" : : "r"(sel) : "memory");
	return 0;
}

static int far_jump(void *arg)
{
	struct { uint32_t off; uint16_t sel; } __attribute__((packed)) target = {
		0, (uint16_t)(uintptr_t)arg };

	__asm__ volatile("ljmp *%0" : : "m"(target) : "memory");
	return 0;
}

/* Kernel, empty, LDT and out-of-table selectors in DS, SS and a far jump:
 * #GP or #NP in user mode, the process dies. */
static void bogus_selectors(void)
{
	/* Kernel code and data (RPL 0 and 3), the TSS, the per-CPU segment,
	 * the double-fault TSS, empty TLS slots, LDT ones, past the GDT. */
	const uint32_t sels[] = { 0x60, 0x63, 0x68, 0x6b, 0x80, 0x83, 0xd8, 0xdb, 0xf8,
				  0xfb, 0x33, 0x3b, 0x43, 0x37, 0x7, 0xfff8, 0xfffb, 0x3 };

	for (int i = 0; i < ARRAY_SIZE(sels); i++) {
		void *arg = (void *)(uintptr_t)sels[i];
		long ds = child_run(load_selector, arg);
		/* A selector that is loadable in DS (a user data segment) is fine. */
		EXPECT(ds == 0 || WIFSIGNALED(ds));
		expect_killed(load_ss, arg, "ss");
		expect_killed(far_jump, arg, "ljmp");
	}
}

/* SS on a TLS slot of each kind a user may install (flat, expand-down
 * with a tiny limit, read-only, one changed under it), then a system call:
 * the return to user mode must not fault in the kernel; whatever the stack
 * does then kills the process or not. */
static int ss_on_tls(void *arg)
{
	int kind = (int)(intptr_t)arg;
	struct user_desc d, later;

	tls_desc(&d, (uint32_t)-1, NULL);
	if (kind == 1) {
		d.contents = 1;                 /* expand-down */
		d.limit = 0xfffff;              /* valid offsets: none */
	}
	if (kind == 2)
		d.read_exec_only = 1;           /* loading it in SS is #GP in user mode */
	if (sys_set_thread_area(&d) != 0)
		return 1;
	later = d;
	later.read_exec_only = kind == 3;       /* 3: made read-only by the call */
	later.limit = kind == 4 ? 0 : d.limit;  /* 4: a one-page limit */
	later.limit_in_pages = 1;
	tls_set_under_ss(tls_selector(d.entry_number), &later);
	return 0;
}

static void tls_stack_segments(void)
{
	for (int kind = 0; kind < 5; kind++) {
		long status = child_run(ss_on_tls, (void *)(intptr_t)kind);
		EXPECT(status == 0 || WIFSIGNALED(status));
	}
}

/* A system call with ESP in the kernel, or at 0: the call works (the
 * kernel runs on its own stack), the next push kills the process. */
static int syscall_with_esp(void *arg)
{
	__asm__ volatile("movl %%esp, %%esi\n\t"
			 "movl %0, %%esp\n\t"
			 "movl $20, %%eax\n\t"          /* getpid */
			 "int $0x80\n\t"
			 "pushl %%eax\n\t"
			 "movl %%esi, %%esp"
			 : : "r"(arg) : "eax", "esi", "memory");
	return 0;
}

static void bad_esp_on_entry(void)
{
	const uint32_t esps[] = { 0xc0001000, 0xfffffffc, 0, 0xc0000004 };

	for (int i = 0; i < ARRAY_SIZE(esps); i++)
		expect_killed(syscall_with_esp, (void *)(uintptr_t)esps[i], "esp");
}

/* TF set: the first instruction after POPF traps (#DB, SIGTRAP), also
 * when it is a system call. */
static int single_step(void *arg)
{
	(void)arg;
	__asm__ volatile("pushfl\n\t"
			 "orl $0x100, (%%esp)\n\t"
			 "popfl\n\t"
			 "movl $20, %%eax\n\t"
			 "int $0x80\n\t"
			 "nop"
			 : : : "eax", "memory");
	return 0;
}

static void trap_flag(void)
{
	for (int i = 0; i < 3; i++)
		expect_killed(single_step, NULL, "tf");
}

/* Divide by zero with every x87 exception unmasked, then yield before the
 * next FPU instruction: the exception stays pending across the switch
 * (the kernel's FPU save must not raise it) and is delivered to us. */
static int x87_unmasked(void *unused)
{
	const uint16_t cw = 0x0340;             /* all exceptions unmasked */
	volatile double zero = 0.0, one = 1.0, r;

	(void)unused;
	__asm__ volatile("fldcw %0" : : "m"(cw));
	__asm__ volatile("fldl %1\n\tfdivl %2\n\tfstpl %0" : "=m"(r) : "m"(one), "m"(zero));
	for (int i = 0; i < 3; i++)
		sys_sched_yield();
	__asm__ volatile("fwait");
	return 0;
}

static int sse_unmasked(void *unused)
{
	const uint32_t mxcsr = 0x0000;          /* all SIMD exceptions unmasked */
	volatile float zero = 0.0f, one = 1.0f;

	(void)unused;
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("movss %0, %%xmm0\n\tdivss %1, %%xmm0" : : "m"(one), "m"(zero));
	return 0;
}

/* x87: SIGFPE on every CPU (the APs too: CR0.NE).  SSE: SIGFPE on
 * hardware; QEMU's TCG raises no SIMD exceptions, so there the process
 * may go on, but never SIGILL (CR4.OSFXSR on every CPU). */
static void fpu_exceptions_unmasked(void)
{
	for (int i = 0; i < 3; i++) {
		expect_killed(x87_unmasked, NULL, "x87");
		long status = child_run(sse_unmasked, NULL);
		EXPECT(status == 0 || (WIFSIGNALED(status) && WTERMSIG(status) == SIGFPE));
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(privileged_instructions),
	KTAP_CASE(every_int_n),
	KTAP_CASE(bogus_selectors),
	KTAP_CASE(tls_stack_segments),
	KTAP_CASE(bad_esp_on_entry),
	KTAP_CASE(trap_flag),
	KTAP_CASE(fpu_exceptions_unmasked),
};

int main(void)
{
	return ktap_run("a_cpu", cases, ARRAY_SIZE(cases));
}
