/*
 * System calls about the calling task: identity, yielding, sleeping,
 * clocks and CPU affinity, with Linux's checks and error numbers.
 */
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"

#define CLOCK_REALTIME          0
#define CLOCK_MONOTONIC         1
#define CLOCK_MONOTONIC_RAW     4
#define CLOCK_REALTIME_COARSE   5
#define CLOCK_MONOTONIC_COARSE  6
#define CLOCK_BOOTTIME          7

/* struct timespec with i386's 32-bit time_t (the calls numbered before time64). */
struct timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

/* The kernel's cpumask as user space sees it: one 32-bit long on i386. */
#define CPUMASK_BYTES   sizeof(uint32_t)

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->tid;
}

/* The pid of the process that will reap ours; 0 for init, as on Linux. */
SYSCALL_DEFINE0(getppid)
{
	struct task *parent = current->group->leader->parent;
	return parent && parent->group ? parent->tgid : 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}

static int get_timespec(uintptr_t uts, uint64_t *ns)
{
	struct timespec32 ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int32_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint32_t)ts.tv_nsec;
	return 0;
}

static int put_timespec(uintptr_t uts, uint64_t ns)
{
	struct timespec32 ts = { (int32_t)(ns / NSEC_PER_SEC), (int32_t)(ns % NSEC_PER_SEC) };
	return copy_to_user(uts, &ts, sizeof(ts));
}

/* Sleep at least the requested time, measured on CLOCK_MONOTONIC. */
SYSCALL_DEFINE2(nanosleep, uintptr_t, ureq, uintptr_t, urem)
{
	uint64_t ns;
	int err = get_timespec(ureq, &ns);

	if (err)
		return err;
	uint64_t deadline = ktime_get_ns() + ns;
	const uint64_t tick_ns = NSEC_PER_SEC / HZ;
	for (uint64_t now = ktime_get_ns(); now < deadline; now = ktime_get_ns()) {
		if (fatal_signal_pending()) {
			if (urem && put_timespec(urem, deadline - now))
				return -EFAULT;
			return -EINTR;
		}
		/* +1: the current tick is already partly gone. */
		schedule_timeout((unsigned long)((deadline - now + tick_ns - 1) / tick_ns) + 1);
	}
	return 0;
}

SYSCALL_DEFINE2(clock_gettime, int, clock, uintptr_t, uts)
{
	uint64_t ns;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = ktime_get_real_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = ktime_get_ns();
		break;
	default:
		return -EINVAL;
	}
	return put_timespec(uts, ns) ? -EFAULT : 0;
}

/* The task named by a pid argument (0: the caller), referenced; NULL if none. */
static struct task *task_by_pid(int pid)
{
	if (pid == 0) {
		get_task(current);
		return current;
	}
	return pid > 0 ? find_task(pid) : NULL;
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, uint32_t, len, uintptr_t, umask)
{
	uint32_t mask = 0;

	/* A short mask is zero-extended; a long one is cut to the CPUs we have. */
	if (copy_from_user(&mask, umask, len < CPUMASK_BYTES ? len : CPUMASK_BYTES))
		return -EFAULT;
	mask &= cpus_online_mask();
	if (!mask)
		return -EINVAL;
	struct task *t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	int err = sched_set_cpus_allowed(t, mask);
	put_task(t);
	return err;
}

/* Returns the bytes written (the size of the kernel's mask), as Linux does. */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, uint32_t, len, uintptr_t, umask)
{
	if (len < CPUMASK_BYTES || (len & (sizeof(uint32_t) - 1)))
		return -EINVAL;
	struct task *t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	uint32_t mask = t->cpus_allowed & cpus_online_mask();
	put_task(t);
	if (copy_to_user(umask, &mask, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}
