/*
 * Scheduling calls: sched_yield, sched_getaffinity and sched_setaffinity.
 * Nothing assumes a CPU count: the tests read the affinity mask first (our
 * kernel may run on one CPU, the host has several).
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define MASK_WORDS 32	/* room for 1024 CPUs, more than any kernel here */

/* Returns the number of bits set in the first nbytes of mask. */
static int count_cpus(const uint32_t *mask, long nbytes)
{
	int n = 0;

	for (long i = 0; i < nbytes / 4; i++)
		n += __builtin_popcount(mask[i]);
	return n;
}

/* sched_yield always succeeds. */
static void yield(void)
{
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(sys_sched_yield(), 0);
}

/* getaffinity returns how many mask bytes it wrote: a positive multiple of
 * 4 (a long) no larger than asked. The mask has at least one CPU, and pid
 * 0 means the caller, as does its own pid. */
static void getaffinity(void)
{
	uint32_t mask[MASK_WORDS] = { 0 }, again[MASK_WORDS] = { 0 };
	long n = sys_sched_getaffinity(0, sizeof(mask), mask);

	if (!EXPECT_GE(n, 4))
		return;
	EXPECT_EQ(n % 4, 0);
	EXPECT(n <= (long)sizeof(mask));
	EXPECT_GE(count_cpus(mask, n), 1);
	ktap_diag("%d CPU(s) in the affinity mask", count_cpus(mask, n));
	EXPECT_EQ(sys_sched_getaffinity((int)sys_getpid(), sizeof(again),
					again), n);
	EXPECT_EQ(again[0], mask[0]);
}

/* Pinning to each allowed CPU in turn reads back as exactly that CPU; the
 * original mask can be restored. */
static void pin_each_cpu(void)
{
	uint32_t all[MASK_WORDS] = { 0 }, one[MASK_WORDS], got[MASK_WORDS];
	long n = sys_sched_getaffinity(0, sizeof(all), all);

	if (!EXPECT_GE(n, 4))
		return;
	for (int cpu = 0; cpu < n * 8; cpu++) {
		if (!(all[cpu / 32] & 1u << cpu % 32))
			continue;
		for (int i = 0; i < MASK_WORDS; i++)
			one[i] = got[i] = 0;
		one[cpu / 32] = 1u << cpu % 32;
		EXPECT_EQ(sys_sched_setaffinity(0, (size_t)n, one), 0);
		EXPECT_EQ(sys_sched_yield(), 0);
		EXPECT_EQ(sys_sched_getaffinity(0, sizeof(got), got), n);
		EXPECT_EQ(got[cpu / 32], one[cpu / 32]);
		EXPECT_EQ(count_cpus(got, n), 1);
	}
	EXPECT_EQ(sys_sched_setaffinity(0, (size_t)n, all), 0);
	EXPECT_EQ(sys_sched_getaffinity(0, sizeof(got), got), n);
	EXPECT_EQ(count_cpus(got, n), count_cpus(all, n));
}

/* Child side of inherited_by_fork: its mask must be the parent's. */
static int mask_is(void *want)
{
	uint32_t got[MASK_WORDS] = { 0 };
	long n = sys_sched_getaffinity(0, sizeof(got), got);

	EXPECT_GE(n, 4);
	EXPECT_EQ(got[0], *(uint32_t *)want);
	return ktap_failed();
}

/* A child starts with its parent's affinity. */
static void inherited_by_fork(void)
{
	uint32_t all[MASK_WORDS] = { 0 }, first[MASK_WORDS] = { 0 };
	long n = sys_sched_getaffinity(0, sizeof(all), all);

	if (!EXPECT_GE(n, 4))
		return;
	first[0] = all[0] & -all[0];	/* the lowest allowed CPU */
	if (first[0] == 0) {
		ktap_skip("no CPU among the first 32");
		return;
	}
	EXPECT_EQ(sys_sched_setaffinity(0, (size_t)n, first), 0);
	EXPECT_EXIT(child_run(mask_is, first), 0);
	EXPECT_EQ(sys_sched_setaffinity(0, (size_t)n, all), 0);
}

/* An empty mask, or one naming only CPUs that do not exist: EINVAL, and
 * the affinity stays as it was. getaffinity's size bounds the CPU numbers,
 * so CPU 8n, just past its n bytes, cannot exist. (A CPU merely outside
 * our current mask may well exist: it is a valid choice.) */
static void setaffinity_einval(void)
{
	uint32_t all[MASK_WORDS] = { 0 }, mask[MASK_WORDS] = { 0 };
	long n = sys_sched_getaffinity(0, sizeof(all), all);

	if (!EXPECT_GE(n, 4))
		return;
	EXPECT_ERRNO(sys_sched_setaffinity(0, (size_t)n, mask), EINVAL);
	EXPECT_ERRNO(sys_sched_setaffinity(0, 0, mask), EINVAL);
	if (n + 4 > (long)sizeof(mask)) {
		ktap_skip("mask too large to name a CPU past its end");
		return;
	}
	mask[n / 4] = 1;	/* CPU 8n */
	EXPECT_ERRNO(sys_sched_setaffinity(0, (size_t)n + 4, mask), EINVAL);
	EXPECT_EQ(sys_sched_getaffinity(0, sizeof(mask), mask), n);
	EXPECT_EQ(mask[0], all[0]);
}

/* getaffinity sizes that cannot hold the mask (0) or are not a multiple
 * of a long (3): EINVAL. */
static void getaffinity_einval(void)
{
	uint32_t mask[MASK_WORDS];

	EXPECT_ERRNO(sys_sched_getaffinity(0, 0, mask), EINVAL);
	EXPECT_ERRNO(sys_sched_getaffinity(0, 3, mask), EINVAL);
}

/* Unreadable or unwritable masks: EFAULT. */
static void affinity_efault(void)
{
	EXPECT_ERRNO(sys_sched_getaffinity(0, 4 * MASK_WORDS, NULL), EFAULT);
	EXPECT_ERRNO(sys_sched_getaffinity(0, 4 * MASK_WORDS, (void *)1),
		     EFAULT);
	EXPECT_ERRNO(sys_sched_getaffinity(0, 4 * MASK_WORDS,
					   (void *)0xc0000000), EFAULT);
	EXPECT_ERRNO(sys_sched_setaffinity(0, 4, NULL), EFAULT);
	EXPECT_ERRNO(sys_sched_setaffinity(0, 4, (void *)0xc0000000), EFAULT);
}

/* A pid that names no process: ESRCH. */
static void no_such_process(void)
{
	uint32_t mask[MASK_WORDS] = { 1 };

	EXPECT_ERRNO(sys_sched_getaffinity(0x3fffffff, sizeof(mask), mask),
		     ESRCH);
	EXPECT_ERRNO(sys_sched_setaffinity(0x3fffffff, 4, mask), ESRCH);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(yield),
	KTAP_CASE(getaffinity),
	KTAP_CASE(pin_each_cpu),
	KTAP_CASE(inherited_by_fork),
	KTAP_CASE(setaffinity_einval),
	KTAP_CASE(getaffinity_einval),
	KTAP_CASE(affinity_efault),
	KTAP_CASE(no_such_process),
};

int main(void)
{
	return ktap_run("t_sched", cases, ARRAY_SIZE(cases));
}
