/*
 * Futexes, private to an address space: a waiter is keyed by (mm, address).
 * One global hash-free list is enough at this scale; its lock also orders
 * "check the word, then sleep" against "change the word, then wake", so
 * FUTEX_WAIT either sees the new value or is woken (futex(2)).  The lock
 * is never taken from an interrupt, so it leaves interrupts on: reading
 * the word may fault, and a fault may wait for a TLB shootdown IPI.
 *
 * A waiter's list node is in its task (task->futex_link), not on its
 * stack: see the stack rule in docs/design.md.
 */
#include "kernel/futex.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "abi/futex.h"

static spinlock_t futex_lock = SPINLOCK_INIT;
static struct list_head futex_waiters = LIST_HEAD_INIT(futex_waiters);

int futex_wake(struct mm *mm, uintptr_t uaddr, int n)
{
	struct list_head *pos, *next;
	int woken = 0;

	spin_lock(&futex_lock);
	list_for_each_safe(pos, next, &futex_waiters) {
		if (woken >= n)
			break;
		struct task *t = list_entry(pos, struct task, futex_link);
		if (t->futex_mm != mm || t->futex_addr != uaddr)
			continue;
		list_del_init(&t->futex_link);
		wake_up_process(t);
		woken++;
	}
	spin_unlock(&futex_lock);
	return woken;
}

/* A relative timespec in nanoseconds; -EINVAL or -EFAULT on bad input. */
static long timeout_ns(uintptr_t utimeout, uint64_t *ns)
{
	struct { int32_t sec, nsec; } ts;

	if (copy_from_user(&ts, utimeout, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int32_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.sec * NSEC_PER_SEC + (uint32_t)ts.nsec;
	return 0;
}

static void futex_timeout(void *task)
{
	wake_up_process(task);
}

/*
 * Sleep, queued, until a FUTEX_WAKE dequeues us (0), the deadline on
 * CLOCK_MONOTONIC passes (-ETIMEDOUT; deadline 0: none), or the process
 * is dying (-EINTR).  Ticks only pace the checks: the deadline is judged
 * on the clock user space measures, so a burst of late ticks cannot end
 * the wait early.
 */
static long futex_sleep(struct task *t, uint64_t deadline)
{
	const uint64_t tick_ns = NSEC_PER_SEC / HZ;
	struct timer *timer = &t->sleep_timer;

	for (;;) {
		uint64_t now = ktime_get_ns();
		if (deadline && now >= deadline)
			return -ETIMEDOUT;
		if (fatal_signal_pending())
			return -EINTR;
		if (deadline) {
			*timer = (struct timer){ .fn = futex_timeout, .data = t,
				.expires = jiffies + (deadline - now + tick_ns - 1) / tick_ns + 1 };
			add_timer(timer);
		}
		schedule();
		if (deadline)
			del_timer(timer);
		spin_lock(&futex_lock);
		bool queued = !list_empty(&t->futex_link);
		if (queued)
			t->state = TASK_SLEEPING;
		spin_unlock(&futex_lock);
		if (!queued)
			return 0;
	}
}

/* FUTEX_WAIT: sleep while *uaddr == val, until woken or timed out. */
static long futex_wait(uintptr_t uaddr, uint32_t val, uintptr_t utimeout)
{
	struct task *t = current;
	uint64_t ns = 0;
	uint32_t word;

	if (uaddr & 3)
		return -EINVAL;
	if (utimeout) {
		long err = timeout_ns(utimeout, &ns);
		if (err)
			return err;
	}
	uint64_t deadline = utimeout ? ktime_get_ns() + ns : 0;
	if (utimeout && !deadline)
		deadline = 1;                   /* a zero timeout at boot is still a timeout */
	spin_lock(&futex_lock);
	/* Read the word under the lock: a waker changes it before taking the lock. */
	if (get_user_u32(&word, uaddr)) {
		spin_unlock(&futex_lock);
		return -EFAULT;
	}
	if (word != val) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	t->futex_mm = t->mm;
	t->futex_addr = uaddr;
	list_add_tail(&t->futex_link, &futex_waiters);
	t->state = TASK_SLEEPING;
	spin_unlock(&futex_lock);

	long ret = futex_sleep(t, deadline);
	spin_lock(&futex_lock);
	if (list_empty(&t->futex_link))
		ret = 0;                        /* a waker counted us: we were woken */
	list_del_init(&t->futex_link);
	spin_unlock(&futex_lock);
	t->state = TASK_RUNNING;
	return ret;
}

SYSCALL_DEFINE6(futex, uintptr_t, uaddr, int, op, uint32_t, val, uintptr_t, utimeout,
		uintptr_t, uaddr2, uint32_t, val3)
{
	/* Linux takes FUTEX_CLOCK_REALTIME only with the bitset and PI waits, which we lack. */
	if (op & FUTEX_CLOCK_REALTIME)
		return -ENOSYS;
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, utimeout);
	case FUTEX_WAKE:
		if (uaddr & 3)
			return -EINVAL;
		if (!access_ok(uaddr, sizeof(uint32_t)))
			return -EFAULT;         /* as Linux: not a user word */
		/* Linux wakes one even when asked for none (its loop counts before comparing). */
		return futex_wake(current->mm, uaddr, (int)val > 0 ? (int)val : 1);
	default:
		return -ENOSYS;
	}
}
