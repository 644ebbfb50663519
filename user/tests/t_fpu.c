/*
 * Floating-point registers belong to their process: two processes on one
 * CPU each hold a value in x87 st(0) (and in SSE xmm0, where the CPU has
 * SSE) across 200 sched_yield calls that switch to the other, and each
 * must get its own value back.  The yields run inside the same asm
 * statement, so nothing but the kernel can touch the registers meanwhile.
 * On this kernel, two processes that never touch the FPU switch with no
 * FPU save or load at all (it runs first: the later case makes this
 * process an FPU user).
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "ukva.h"

#define YIELDS 200
#define NR_sched_yield 158

/*
 * Compared as doubles held in memory: in C11 mode GCC evaluates a literal
 * in x87 excess (80-bit) precision, which no 64-bit result equals.
 */
static volatile double mine = 3.141592653589793, theirs = -2.75;

/* Loads v into st(0), yields n times, stores st(0) back. */
static double hold_x87(double v, int n)
{
	double out;

	__asm__ volatile("fldl %[in]\n"
			 "1: movl %[nr], %%eax\n"
			 "int $0x80\n"
			 "decl %%ecx\n"
			 "jnz 1b\n"
			 "fstpl %[out]\n"
			 : [out] "=m"(out), "+c"(n)
			 : [in] "m"(v), [nr] "i"(NR_sched_yield)
			 : "eax", "memory");
	return out;
}

/*
 * Loads v into xmm0, yields n times, reads xmm0 back.  The user code is
 * built for plain i386, so GCC generates no SSE and xmm0 is ours (it
 * cannot even be named as a clobber for this target).
 */
static uint64_t hold_sse(uint64_t v, int n)
{
	uint64_t out;

	__asm__ volatile("movq %[in], %%xmm0\n"
			 "1: movl %[nr], %%eax\n"
			 "int $0x80\n"
			 "decl %%ecx\n"
			 "jnz 1b\n"
			 "movq %%xmm0, %[out]\n"
			 : [out] "=m"(out), "+c"(n)
			 : [in] "m"(v), [nr] "i"(NR_sched_yield)
			 : "eax", "memory");
	return out;
}

static bool have_sse(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return d & (1u << 25);
}

static void pin_to_cpu0(void)
{
	uint32_t mask = 1;
	sys_sched_setaffinity(0, sizeof(mask), &mask);
}

/* The child's half: its own values, checked the same way. */
static int other_values(void *arg)
{
	(void)arg;
	if (hold_x87(theirs, YIELDS) != theirs)
		return 1;
	if (have_sse() && hold_sse(0x1122334455667788ull, YIELDS) != 0x1122334455667788ull)
		return 2;
	return 0;
}

/* Yields YIELDS times, touching no FPU or SSE register. */
static int plain_yields(void *arg)
{
	(void)arg;
	for (int i = 0; i < YIELDS; i++)
		sys_sched_yield();
	return 0;
}

static uint32_t fpu_switches(void)
{
	uint32_t c[NR_UKVA_COUNTERS] = { 0 };

	sys_ukva_counters(-1, c, NR_UKVA_COUNTERS);
	return c[CNT_FPU_SWITCH];
}

static void no_fpu_use_no_fpu_switch(void)
{
	uint32_t c[NR_UKVA_COUNTERS];

	if (sys_ukva_counters(-1, c, NR_UKVA_COUNTERS) == -ENOSYS) {
		ktap_skip("not on the ukva kernel");
		return;
	}
	pin_to_cpu0();
	uint32_t before = fpu_switches();
	long child = child_start(plain_yields, NULL);
	plain_yields(NULL);
	EXPECT_EXIT(child_wait(child), 0);
	EXPECT_EQ(fpu_switches() - before, 0);
}

static void registers_survive_switches(void)
{
	pin_to_cpu0();
	long child = child_start(other_values, NULL);
	EXPECT(hold_x87(mine, YIELDS) == mine);
	if (have_sse())
		EXPECT_EQ(hold_sse(0xa5a5a5a5deadbeefull, YIELDS), 0xa5a5a5a5deadbeefull);
	EXPECT_EXIT(child_wait(child), 0);
}

/* Every CPU runs x87 and SSE code (each CPU turns them on at its start). */
static void fpu_on_every_cpu(void)
{
	uint32_t allowed = ~0u;         /* the earlier cases pinned us to CPU 0 */

	sys_sched_setaffinity(0, sizeof(allowed), &allowed);
	if (sys_sched_getaffinity(0, sizeof(allowed), &allowed) < 0 || !allowed)
		allowed = 1;
	for (int cpu = 0; cpu < 32; cpu++) {
		uint32_t one = 1u << cpu;
		if (!(allowed & one) || sys_sched_setaffinity(0, sizeof(one), &one) != 0)
			continue;
		EXPECT(hold_x87(mine, 1) == mine);
		if (have_sse())
			EXPECT_EQ(hold_sse(0x0123456789abcdefull, 1), 0x0123456789abcdefull);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(no_fpu_use_no_fpu_switch),
	KTAP_CASE(registers_survive_switches),
	KTAP_CASE(fpu_on_every_cpu),
};

int main(void)
{
	return ktap_run("t_fpu", cases, ARRAY_SIZE(cases));
}
