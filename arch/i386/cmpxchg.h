/*
 * 64-bit atomics on a 32-bit CPU: LOCK CMPXCHG8B (SDM vol. 2A, CMPXCHG8B;
 * every CPU with PAE has it, CPUID.01H:EDX.CX8).  The compiler would call
 * libatomic for a 64-bit __atomic_* here, which a freestanding kernel has
 * not.  Pure instruction: usable hosted too (tests/host, -m32 or 64-bit).
 */
#ifndef ARCH_I386_CMPXCHG_H
#define ARCH_I386_CMPXCHG_H

#include <stdint.h>

/* If *p == old, store new, atomically.  Returns what *p held. */
static inline uint64_t cmpxchg64(volatile uint64_t *p, uint64_t old, uint64_t new)
{
	uint32_t lo = (uint32_t)old, hi = (uint32_t)(old >> 32);

	__asm__ volatile("lock; cmpxchg8b %2"
			 : "+a"(lo), "+d"(hi), "+m"(*p)
			 : "b"((uint32_t)new), "c"((uint32_t)(new >> 32))
			 : "memory", "cc");
	return ((uint64_t)hi << 32) | lo;
}

/* Store new in *p atomically; returns the value it replaced. */
static inline uint64_t xchg64(volatile uint64_t *p, uint64_t new)
{
	uint64_t old = *p, seen;

	while ((seen = cmpxchg64(p, old, new)) != old)
		old = seen;
	return old;
}

#endif
