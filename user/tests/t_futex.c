/*
 * futex FUTEX_WAIT and FUTEX_WAKE: the value check, timeouts, how many
 * sleepers a wake wakes, and the errors of bad addresses, times and ops.
 */
#include <stdint.h>

#include "futex.h"
#include "ktap.h"
#include "syscall.h"
#include "thread.h"

#define MS10 (10 * 1000 * 1000)
#define TRIES 100000	/* bound on polling loops, so a bug cannot hang */

/* FUTEX_WAIT returns at once with EAGAIN if the word no longer holds the
 * expected value. */
static void wait_value_changed(void)
{
	int word = 1;

	EXPECT_ERRNO(futex_wait(&word, 0, NULL), EAGAIN);
	EXPECT_ERRNO(futex_wait(&word, 2, NULL), EAGAIN);
}

/* FUTEX_WAIT with a relative timeout and no waker: ETIMEDOUT after at
 * least that long. */
static void wait_times_out(void)
{
	const struct timespec ms10 = { 0, MS10 };
	struct timespec t0, t1;
	int word = 0;

	sys_clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_ERRNO(futex_wait(&word, 0, &ms10), ETIMEDOUT);
	sys_clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_GE((int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 +
			  (t1.tv_nsec - t0.tv_nsec), MS10);
}

/* FUTEX_WAKE with nobody asleep wakes 0. */
static void wake_nobody(void)
{
	int word = 0;

	EXPECT_EQ(futex_wake(&word, 1), 0);
	EXPECT_EQ(futex_wake(&word, 0x7fffffff), 0);
}

/* The futex word the sleepers of the wake tests sleep on. */
static int sleep_word;

/* Thread side: sleeps once on sleep_word (expected 0); returns FUTEX_WAIT's
 * result. */
static int sleep_once(void *arg)
{
	(void)arg;
	return (int)futex_wait(&sleep_word, 0, NULL);
}

/* Wakes sleepers of sleep_word, at most n per call, until total sleepers have
 * been woken or TRIES calls have passed; returns the total woken, or -1 if
 * a call claimed more than n. */
static long wake_all(int n, int total)
{
	long woken = 0;

	for (int i = 0; i < TRIES && woken < total; i++) {
		long r = futex_wake(&sleep_word, n);

		if (r < 0 || r > n)
			return -1;
		woken += r;
		if (r == 0)
			sys_sched_yield();	/* let the sleepers get there */
	}
	return woken;
}

/* A thread asleep in FUTEX_WAIT is woken by FUTEX_WAKE, which counts it,
 * and its FUTEX_WAIT returns 0. */
static void wake_sleeper(void)
{
	struct thread *t;

	sleep_word = 0;
	if (!EXPECT_OK(thread_create(&t, sleep_once, NULL)))
		return;
	EXPECT_EQ(wake_all(1, 1), 1);
	EXPECT_EQ(thread_join(t), 0);
}

/* FUTEX_WAKE wakes no more than asked: three sleepers, woken at most two
 * per call, are all woken exactly once. */
static void wake_counts(void)
{
	struct thread *t[3];

	sleep_word = 0;
	for (int i = 0; i < 3; i++)
		if (!EXPECT_OK(thread_create(&t[i], sleep_once, NULL)))
			return;
	EXPECT_EQ(wake_all(2, 3), 3);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(thread_join(t[i]), 0);
	EXPECT_EQ(futex_wake(&sleep_word, 3), 0);
}

/* Addresses the kernel cannot read: EFAULT; not 4-byte aligned: EINVAL. */
static void bad_address(void)
{
	static int aligned[2];

	EXPECT_ERRNO(futex_wait(NULL, 0, NULL), EFAULT);
	EXPECT_ERRNO(futex_wait((int *)0xc0000000, 0, NULL), EFAULT);
	EXPECT_ERRNO(futex_wait((int *)((char *)aligned + 1), 0, NULL), EINVAL);
	EXPECT_ERRNO(futex_wake((int *)((char *)aligned + 2), 1), EINVAL);
}

/* Timeouts that are malformed (EINVAL) or unreadable (EFAULT). */
static void bad_timeout(void)
{
	const struct timespec neg = { 0, -1 }, big = { 0, 1000000000 },
			      neg_s = { -1, 0 };
	int word = 0;

	EXPECT_ERRNO(futex_wait(&word, 0, &neg), EINVAL);
	EXPECT_ERRNO(futex_wait(&word, 0, &big), EINVAL);
	EXPECT_ERRNO(futex_wait(&word, 0, &neg_s), EINVAL);
	EXPECT_ERRNO(futex_wait(&word, 0, (void *)1), EFAULT);
}

/* Operations that do not exist: ENOSYS. */
static void bad_op(void)
{
	int word = 0;

	EXPECT_ERRNO(sys_futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
	EXPECT_ERRNO(sys_futex(&word, 0x7f, 0, NULL, NULL, 0), ENOSYS);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(wait_value_changed),
	KTAP_CASE(wait_times_out),
	KTAP_CASE(wake_nobody),
	KTAP_CASE(wake_sleeper),
	KTAP_CASE(wake_counts),
	KTAP_CASE(bad_address),
	KTAP_CASE(bad_timeout),
	KTAP_CASE(bad_op),
};

int main(void)
{
	return ktap_run("t_futex", cases, ARRAY_SIZE(cases));
}
