/*
 * Futexes: the kernel half of user-space locks. A futex is any aligned int;
 * the kernel only sleeps and wakes threads on its address, user code decides
 * what the value means.
 */
#ifndef USER_FUTEX_H
#define USER_FUTEX_H

#include "syscall.h"

/* Sleeps if *word still equals val (checked atomically by the kernel) until a
 * futex_wake on word or the relative timeout passes (NULL: none). Returns 0
 * when woken, -EAGAIN if *word != val, -ETIMEDOUT, or -errno. */
static inline long futex_wait(int *word, int val,
			      const struct timespec *timeout)
{
	return sys_futex(word, FUTEX_WAIT, val, timeout, NULL, 0);
}

/* Wakes at most n threads sleeping on word; returns how many it woke. */
static inline long futex_wake(int *word, int n)
{
	return sys_futex(word, FUTEX_WAKE, n, NULL, NULL, 0);
}

#endif
