/*
 * Backtraces name the functions of a known call chain, in order, end at
 * the bottom of the boot stack, and run through a trap frame into the
 * interrupted function.
 */
#include "kernel/ktest.h"
#include "kernel/compiler.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "arch/i386/irq.h"
#include "arch/i386/stacktrace.h"

#define TEST_IRQ        3
#define MAX_FRAMES      64

/* noipa: no inlining or cloning, so each is a frame with its own name. */
#define __noipa         __attribute__((noipa))

struct trace {
	uint32_t pcs[MAX_FRAMES];
	int n;
};

/* The function a return address returns into. */
static const char *caller_name(uint32_t ret)
{
	uint32_t off;
	const char *name = ksym_lookup(ret - 1, &off);

	return name ? name : "?";
}

/* Index of the first frame in fn at or after from, or -1. */
static int find_frame(const struct trace *tr, int from, const char *fn)
{
	for (int i = from; i < tr->n; i++)
		if (strcmp(caller_name(tr->pcs[i]), fn) == 0)
			return i;
	return -1;
}

/* The barrier()s keep each call out of tail position: no sibling calls. */
static __noipa void chain_c(struct trace *tr)
{
	tr->n = backtrace_capture(tr->pcs, MAX_FRAMES);
	barrier();
}

static __noipa void chain_b(struct trace *tr)
{
	chain_c(tr);
	barrier();
}

static __noipa void chain_a(struct trace *tr)
{
	chain_b(tr);
	barrier();
}

static void backtrace_names_call_chain_in_order(struct ktest *t)
{
	static struct trace tr;

	chain_a(&tr);
	KTEST_ASSERT(t, tr.n >= 4);
	KTEST_EXPECT(t, strcmp(caller_name(tr.pcs[0]), "chain_c") == 0);
	KTEST_EXPECT(t, strcmp(caller_name(tr.pcs[1]), "chain_b") == 0);
	KTEST_EXPECT(t, strcmp(caller_name(tr.pcs[2]), "chain_a") == 0);
	KTEST_EXPECT(t, strcmp(caller_name(tr.pcs[3]), "backtrace_names_call_chain_in_order") == 0);
}

/* boot/multiboot.S calls kmain with EBP 0: the walk must stop there. */
static void backtrace_ends_at_boot(struct ktest *t)
{
	static struct trace tr;

	tr.n = backtrace_capture(tr.pcs, MAX_FRAMES);
	KTEST_ASSERT(t, tr.n > 0 && tr.n < MAX_FRAMES);
	int kmain = find_frame(&tr, 0, "kmain");
	KTEST_EXPECT(t, kmain >= 0);
	KTEST_EXPECT(t, kmain >= tr.n - 2);     /* nothing above kmain but the entry */
}

static void backtrace_stops_at_bad_frame_pointer(struct ktest *t)
{
	uint32_t pcs[4];
	uint32_t misaligned = (uint32_t)__builtin_frame_address(0) + 1;

	KTEST_EXPECT_EQ(t, backtrace_walk(0, pcs, 4), 0);
	KTEST_EXPECT_EQ(t, backtrace_walk(0x1000, pcs, 4), 0);  /* user space */
	KTEST_EXPECT_EQ(t, backtrace_walk(misaligned, pcs, 4), 0);
}

static struct trace irq_trace;

static __noipa void capture_in_irq(unsigned int irq, struct trap_frame *regs)
{
	irq_trace.n = backtrace_capture(irq_trace.pcs, MAX_FRAMES);
	barrier();
}

/* The stack variable gives it a frame: GCC builds frameless leaves. */
static __noipa void interrupted_function(void)
{
	volatile uint32_t on_stack = 0;

	__asm__ volatile("int %1" : "+m"(on_stack) : "i"(IRQ0_VECTOR + TEST_IRQ));
}

/* entry.S leaves a frame record for the interrupted EIP: the walk crosses it. */
static void backtrace_crosses_trap_frame(struct ktest *t)
{
	KTEST_ASSERT(t, irq_register(TEST_IRQ, capture_in_irq) == 0);
	irq_trace.n = 0;
	interrupted_function();
	irq_unregister(TEST_IRQ);

	int entry = find_frame(&irq_trace, 0, "common_trap_entry");
	KTEST_EXPECT(t, find_frame(&irq_trace, 0, "capture_in_irq") == 0);
	KTEST_ASSERT(t, entry > 0 && entry + 2 < irq_trace.n);
	KTEST_EXPECT(t, strcmp(caller_name(irq_trace.pcs[entry + 1]), "interrupted_function") == 0);
	KTEST_EXPECT(t, strcmp(caller_name(irq_trace.pcs[entry + 2]), "backtrace_crosses_trap_frame") == 0);
}

/*
 * A return address is looked up one byte back, so one at a function's
 * first byte (after a noreturn call ending the function before) names
 * the function before.
 */
static void return_address_looks_one_byte_back(struct ktest *t)
{
	char buf[96];

	format_return_address((uint32_t)chain_b + 7, buf, sizeof(buf));
	KTEST_EXPECT(t, strcmp(buf, "chain_b+0x7") == 0);
	format_return_address((uint32_t)chain_b, buf, sizeof(buf));
	KTEST_EXPECT(t, strncmp(buf, "chain_b+", 8) != 0);
}

KTEST_SUITE(stacktrace,
	KTEST_CASE(backtrace_names_call_chain_in_order),
	KTEST_CASE(backtrace_ends_at_boot),
	KTEST_CASE(backtrace_stops_at_bad_frame_pointer),
	KTEST_CASE(backtrace_crosses_trap_frame),
	KTEST_CASE(return_address_looks_one_byte_back));
