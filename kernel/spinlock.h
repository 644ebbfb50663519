/*
 * Spinlocks.  Written for SMP from the start: acquisition is an atomic
 * exchange with acquire ordering, release a store with release ordering.
 * The _irqsave forms also disable local interrupts, which any lock taken
 * from an interrupt handler requires (else the handler spins on a lock its
 * own CPU holds).  Holding a spinlock disables preemption: a task preempted
 * with a lock held would make every other CPU spin until it ran again.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdint.h>
#include <stdbool.h>
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline bool __spin_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	while (!__spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (__spin_trylock(l))
		return true;
	preempt_enable_no_resched();
	return false;
}

/* Release; a reschedule this allowed waits for the next tick or syscall exit. */
static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	preempt_enable_no_resched();
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

/* Take the lock with local interrupts off; returns the flags to restore. */
static inline uint32_t spin_lock_irqsave(spinlock_t *l)
{
	uint32_t flags = local_irq_save();
	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint32_t flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif
