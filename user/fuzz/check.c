/*
 * Per-call invariants: every call is counted and its result checked before
 * the next one. What every call must satisfy is here; what depends on the
 * call (a kernel pointer must give EFAULT, say) is in calls.c.
 */
#include "fuzz.h"
#include "printf.h"
#include "string.h"

/* The largest errno Linux returns (EHWPOISON). */
#define LINUX_ERRNO_MAX 133
#define CANARY_WORDS    512

/* Memory no call is ever given: the kernel must never write it. */
static uint32_t canary[CANARY_WORDS];
static uint32_t canary_value;

void canary_init(uint64_t seed)
{
	canary_value = (uint32_t)rng_seed(seed, 0x63616e61ull);
	for (int i = 0; i < CANARY_WORDS; i++)
		canary[i] = canary_value ^ (uint32_t)i;
}

void canary_check(struct actor *a)
{
	for (int i = 0; i < CANARY_WORDS; i++)
		if (canary[i] != (canary_value ^ (uint32_t)i))
			fuzz_fail(a, i, "canary overwritten (word index in result)");
}

_Noreturn void fuzz_fail(struct actor *a, long r, const char *why)
{
	printf("# fuzz: FAIL seed=%llu worker=%d actor=%d depth=%d call=%lu: "
	       "syscall %ld(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx) = %ld: %s\n",
	       (unsigned long long)opts.seed, a->worker, a->index, a->depth,
	       a->calls, a->nr, a->args[0], a->args[1], a->args[2], a->args[3],
	       a->args[4], a->args[5], r, why);
	/* Forked children are reaped without a look at their status: the
	 * verdict comes through this pipe, which every process inherits. */
	sys_write(opts.fail_fd, "F", 1);
	sys_exit_group(2);
}

void fuzz_begin(struct actor *a, long nr, long a1, long a2, long a3, long a4,
		long a5, long a6)
{
	a->nr = nr;
	a->args[0] = a1; a->args[1] = a2; a->args[2] = a3;
	a->args[3] = a4; a->args[4] = a5; a->args[5] = a6;
	a->calls++;
	if (opts.trace)
		printf("# fuzz: w%d a%d d%d #%lu: syscall %ld(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)\n",
		       a->worker, a->index, a->depth, a->calls, nr, a1, a2, a3, a4, a5, a6);
}

void fuzz_end(struct actor *a, long r)
{
	if (r < 0 && r >= -MAX_ERRNO && r < -LINUX_ERRNO_MAX)
		fuzz_fail(a, r, "error is not a Linux errno");
	if ((a->calls & 15) == 0)
		canary_check(a);
}

long fuzz_call(struct actor *a, long nr, long a1, long a2, long a3, long a4,
	       long a5, long a6)
{
	long r;

	fuzz_begin(a, nr, a1, a2, a3, a4, a5, a6);
	r = raw_syscall(nr, a1, a2, a3, a4, a5, a6);
	fuzz_end(a, r);
	return r;
}

void no_kernel_access(struct actor *a, long r, uint32_t p, uint32_t len)
{
	if (r >= 0 && hits_kernel(p, len))
		fuzz_fail(a, r, "succeeded on a kernel address");
}
