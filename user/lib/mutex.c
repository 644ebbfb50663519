/*
 * A mutex over a futex. The uncontended paths never enter the kernel; the
 * state 2 tells the unlocker that it must make the futex_wake system call.
 */
#include "mutex.h"

#include <stdbool.h>

#include "futex.h"

/* Takes m, sleeping in the kernel while another thread holds it. */
void mutex_lock(struct mutex *m)
{
	int c = 0;

	if (__atomic_compare_exchange_n(&m->state, &c, 1, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	/* Contended: announce a waiter (2) before every sleep; whoever owned
	 * the lock then sees 2 at unlock and wakes us. */
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex_wait(&m->state, 2, NULL);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

/* Releases m, which the caller holds, and wakes one sleeper if any. */
void mutex_unlock(struct mutex *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		futex_wake(&m->state, 1);
	}
}
