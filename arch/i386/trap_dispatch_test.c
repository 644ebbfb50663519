/*
 * trap_dispatch() for the vectors that return: IRQs (handlers, spurious
 * IRQ 7/15, masking), the syscall gate, unexpected vectors; the saved
 * trap frame; and the tables that name exceptions and their signals.
 */
#include "kernel/ktest.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "arch/i386/irq.h"
#include "arch/i386/pic.h"
#include "arch/i386/traps.h"

/* COM2/COM4: nothing drives it under QEMU or Bochs as configured here. */
#define TEST_IRQ                3
#define TEST_IRQ_VECTOR         (IRQ0_VECTOR + TEST_IRQ)
#define UNWIRED_VECTOR          0x50

static struct trap_frame seen_frame;
static unsigned int seen_irq, seen_calls;

static void record_irq(unsigned int irq, struct trap_frame *regs)
{
	seen_irq = irq;
	seen_frame = *regs;
	seen_calls++;
}

/* Drop console messages below LOG_ERR; returns the level to restore. */
static int quiet_console(void)
{
	int old = console_loglevel;

	console_loglevel = LOG_ERR;
	return old;
}

static void irq_register_unmasks_and_dispatches(struct ktest *t)
{
	seen_calls = 0;
	KTEST_EXPECT(t, irq_masked(TEST_IRQ));
	KTEST_ASSERT(t, irq_register(TEST_IRQ, record_irq) == 0);
	int again = irq_register(TEST_IRQ, record_irq);
	bool unmasked = !irq_masked(TEST_IRQ);
	unsigned int before = irq_stats.count[TEST_IRQ];
	__asm__ volatile("int %0" : : "i"(TEST_IRQ_VECTOR) : "memory");
	unsigned int after = irq_stats.count[TEST_IRQ];
	irq_unregister(TEST_IRQ);

	KTEST_EXPECT_EQ(t, again, -EBUSY);
	KTEST_EXPECT(t, unmasked);
	KTEST_EXPECT(t, irq_masked(TEST_IRQ));
	KTEST_EXPECT_EQ(t, seen_calls, 1);
	KTEST_EXPECT_EQ(t, seen_irq, TEST_IRQ);
	KTEST_EXPECT_EQ(t, after, before + 1);
}

static void irq_register_refuses_bad_lines(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, irq_register(PIC_CASCADE_IRQ, record_irq), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(NR_IRQS, record_irq), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_register(TEST_IRQ, NULL), -EINVAL);
	if (irq_get_chip() == &i8259_chip)      /* the I/O APIC has no cascade */
		KTEST_EXPECT(t, !irq_masked(PIC_CASCADE_IRQ));
}

/* A software INT 39 / 47 looks exactly like a spurious IRQ 7 / 15: no ISR bit. */
static void spurious_irq_7_and_15_are_dropped(struct ktest *t)
{
	if (irq_get_chip() != &i8259_chip)
		ktest_skip(t, "APIC mode: the 8259s are masked");
	unsigned int before = irq_stats.spurious;
	unsigned int handled7 = irq_stats.count[7], handled15 = irq_stats.count[15];

	__asm__ volatile("int %0" : : "i"(IRQ0_VECTOR + 7) : "memory");
	__asm__ volatile("int %0" : : "i"(IRQ0_VECTOR + 15) : "memory");
	KTEST_EXPECT_EQ(t, irq_stats.spurious, before + 2);
	KTEST_EXPECT_EQ(t, irq_stats.count[7], handled7);
	KTEST_EXPECT_EQ(t, irq_stats.count[15], handled15);
}

/*
 * The frame a handler sees is the interrupted context: registers as they
 * were at the INT, ESP just before it, the vector, a zero error code.
 */
static void trap_frame_holds_interrupted_context(struct ktest *t)
{
	uint32_t esp_before, ebx = 0x11111111, esi = 0x22222222, edi = 0x33333333;

	KTEST_ASSERT(t, irq_register(TEST_IRQ, record_irq) == 0);
	__asm__ volatile("movl %%esp, %0\n\t"
			 "int %4"
			 : "=&r"(esp_before), "+b"(ebx), "+S"(esi), "+D"(edi)
			 : "i"(TEST_IRQ_VECTOR) : "memory");
	irq_unregister(TEST_IRQ);

	KTEST_EXPECT_EQ(t, seen_frame.vector, TEST_IRQ_VECTOR);
	KTEST_EXPECT_EQ(t, seen_frame.error_code, 0);
	KTEST_EXPECT_EQ(t, seen_frame.ebx, 0x11111111);
	KTEST_EXPECT_EQ(t, seen_frame.esi, 0x22222222);
	KTEST_EXPECT_EQ(t, seen_frame.edi, 0x33333333);
	KTEST_EXPECT_EQ(t, seen_frame.esp, esp_before);
	KTEST_EXPECT_EQ(t, seen_frame.cs, __KERNEL_CS);
	KTEST_EXPECT_EQ(t, seen_frame.ds, __KERNEL_DS_ES);
	KTEST_EXPECT(t, !user_mode(&seen_frame));
	uint32_t off;
	const char *fn = ksym_lookup(seen_frame.eip, &off);
	KTEST_EXPECT(t, fn && strcmp(fn, "trap_frame_holds_interrupted_context") == 0);
	/* ... and the registers come back unchanged. */
	KTEST_EXPECT_EQ(t, ebx, 0x11111111);
	KTEST_EXPECT_EQ(t, esi, 0x22222222);
	KTEST_EXPECT_EQ(t, edi, 0x33333333);
}

static void syscall_gate_answers_enosys(struct ktest *t)
{
	uint32_t eax = 0xFFFF;                  /* no such syscall */

	__asm__ volatile("int %1" : "+a"(eax) : "i"(IA32_SYSCALL_VECTOR) : "memory");
	KTEST_EXPECT_EQ(t, eax, (uint32_t)-ENOSYS);
}

static void unexpected_vector_is_counted(struct ktest *t)
{
	unsigned int before = unexpected_vector_count;
	int level = quiet_console();

	__asm__ volatile("int %0" : : "i"(UNWIRED_VECTOR) : "memory");
	console_loglevel = level;
	KTEST_EXPECT_EQ(t, unexpected_vector_count, before + 1);
}

static void exceptions_map_to_linux_signals(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_DE), SIGFPE);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_DB), SIGTRAP);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_BP), SIGTRAP);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_UD), SIGILL);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_GP), SIGSEGV);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_PF), SIGSEGV);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_MF), SIGFPE);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_XF), SIGFPE);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_AC), SIGBUS);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_NMI), 0);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_DF), 0);
	KTEST_EXPECT_EQ(t, exception_signal(X86_TRAP_MC), 0);
	KTEST_EXPECT(t, strcmp(exception_name(X86_TRAP_PF), "page fault") == 0);
	KTEST_EXPECT(t, strcmp(exception_name(15), "reserved") == 0);
}

static void error_codes_are_decoded(struct ktest *t)
{
	char buf[80];

	format_error_code(X86_TRAP_PF, X86_PF_WRITE, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "not-present write kernel") == 0);
	format_error_code(X86_TRAP_PF, X86_PF_PROT | X86_PF_INSTR | X86_PF_USER, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "protection instruction-fetch user") == 0);
	format_error_code(X86_TRAP_PF, X86_PF_RSVD | X86_PF_PROT, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "protection read kernel reserved-bit") == 0);
	format_error_code(X86_TRAP_GP, 0x1238, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "GDT entry 583") == 0);
	format_error_code(X86_TRAP_GP, IA32_SYSCALL_VECTOR * 8 | X86_EC_IDT, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "IDT vector 128") == 0);
	format_error_code(X86_TRAP_GP, 0, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "no selector") == 0);
}

KTEST_SUITE(trap_dispatch,
	KTEST_CASE(irq_register_unmasks_and_dispatches),
	KTEST_CASE(irq_register_refuses_bad_lines),
	KTEST_CASE(spurious_irq_7_and_15_are_dropped),
	KTEST_CASE(trap_frame_holds_interrupted_context),
	KTEST_CASE(syscall_gate_answers_enosys),
	KTEST_CASE(unexpected_vector_is_counted),
	KTEST_CASE(exceptions_map_to_linux_signals),
	KTEST_CASE(error_codes_are_decoded));
