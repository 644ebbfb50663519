/*
 * Clocks and sleeping: clock_gettime (CLOCK_MONOTONIC, CLOCK_REALTIME) and
 * nanosleep. Timing checks are lower bounds only: an emulator may be slow,
 * never fast.
 */
#include <stdint.h>

#include "ktap.h"
#include "syscall.h"

#define NSEC 1000000000LL
#define MS10 (10 * 1000 * 1000)

/* Returns t in nanoseconds. */
static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * NSEC + t->tv_nsec;
}

/* Returns true if tv_nsec is in [0, 1e9). */
static bool normalized(const struct timespec *t)
{
	return t->tv_nsec >= 0 && t->tv_nsec < NSEC;
}

/* CLOCK_MONOTONIC never goes backwards and its fields are well formed. */
static void monotonic_never_back(void)
{
	struct timespec prev, now;
	int backwards = 0, bad = 0;

	if (!EXPECT_OK(sys_clock_gettime(CLOCK_MONOTONIC, &prev)))
		return;
	for (int i = 0; i < 100; i++) {
		sys_clock_gettime(CLOCK_MONOTONIC, &now);
		backwards += ns(&now) < ns(&prev);
		bad += !normalized(&now);
		prev = now;
	}
	EXPECT_EQ(backwards, 0);
	EXPECT_EQ(bad, 0);
	EXPECT_GE(now.tv_sec, 0);
}

/* CLOCK_REALTIME is a plausible date: after 2020-01-01 00:00 UTC. */
static void realtime_is_recent(void)
{
	struct timespec t;

	if (!EXPECT_OK(sys_clock_gettime(CLOCK_REALTIME, &t)))
		return;
	EXPECT_GE(t.tv_sec, 1577836800);
	EXPECT(normalized(&t));
}

/* nanosleep of 10 ms returns 0 after at least 10 ms of CLOCK_MONOTONIC,
 * during which CLOCK_REALTIME advances too. */
static void sleep_advances_clocks(void)
{
	const struct timespec ms10 = { 0, MS10 };
	struct timespec m0, m1, r0, r1;

	sys_clock_gettime(CLOCK_MONOTONIC, &m0);
	sys_clock_gettime(CLOCK_REALTIME, &r0);
	EXPECT_EQ(sys_nanosleep(&ms10, NULL), 0);
	sys_clock_gettime(CLOCK_MONOTONIC, &m1);
	sys_clock_gettime(CLOCK_REALTIME, &r1);
	EXPECT_GE(ns(&m1) - ns(&m0), MS10);
	EXPECT(ns(&r1) > ns(&r0));
}

/* A zero sleep returns 0; a 30 ms one lasts at least 30 ms. */
static void sleep_lengths(void)
{
	const struct timespec zero = { 0, 0 }, ms30 = { 0, 3 * MS10 };
	struct timespec t0, t1;

	EXPECT_EQ(sys_nanosleep(&zero, NULL), 0);
	sys_clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(sys_nanosleep(&ms30, NULL), 0);
	sys_clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_GE(ns(&t1) - ns(&t0), 3 * MS10);
}

/* Clock ids that do not exist: EINVAL. */
static void bad_clock(void)
{
	struct timespec t;

	EXPECT_ERRNO(sys_clock_gettime(1000, &t), EINVAL);
	EXPECT_ERRNO(sys_clock_gettime(0x7fffffff, &t), EINVAL);
}

/* Pointers the kernel cannot write: EFAULT. */
static void clock_bad_pointer(void)
{
	EXPECT_ERRNO(sys_clock_gettime(CLOCK_MONOTONIC, NULL), EFAULT);
	EXPECT_ERRNO(sys_clock_gettime(CLOCK_REALTIME, (void *)1), EFAULT);
	EXPECT_ERRNO(sys_clock_gettime(CLOCK_MONOTONIC, (void *)0xc0000000),
		     EFAULT);
}

/* Malformed sleep lengths: EINVAL; unreadable ones: EFAULT. */
static void nanosleep_errors(void)
{
	const struct timespec neg_ns = { 0, -1 }, big_ns = { 0, NSEC },
			      neg_s = { -1, 0 };

	EXPECT_ERRNO(sys_nanosleep(&neg_ns, NULL), EINVAL);
	EXPECT_ERRNO(sys_nanosleep(&big_ns, NULL), EINVAL);
	EXPECT_ERRNO(sys_nanosleep(&neg_s, NULL), EINVAL);
	EXPECT_ERRNO(sys_nanosleep(NULL, NULL), EFAULT);
	EXPECT_ERRNO(sys_nanosleep((void *)1, NULL), EFAULT);
	EXPECT_ERRNO(sys_nanosleep((void *)0xc0000000, NULL), EFAULT);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(monotonic_never_back),
	KTAP_CASE(realtime_is_recent),
	KTAP_CASE(sleep_advances_clocks),
	KTAP_CASE(sleep_lengths),
	KTAP_CASE(bad_clock),
	KTAP_CASE(clock_bad_pointer),
	KTAP_CASE(nanosleep_errors),
};

int main(void)
{
	return ktap_run("t_time", cases, ARRAY_SIZE(cases));
}
