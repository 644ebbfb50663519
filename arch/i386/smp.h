/*
 * Inter-processor interrupts: ask another CPU to reschedule, or to run a
 * function (Linux's smp_call_function_*).  APIC mode only; with one CPU
 * online they have nobody to call and return at once.
 *
 * THE RULE: smp_call_function_single/many must be called with interrupts
 * ON (checked).  A caller waits for other CPUs with its own interrupts on,
 * so it keeps answering their calls meanwhile; two CPUs that waited for
 * each other with interrupts off would spin for ever.  The caller may hold
 * spinlocks (preemption is off anyway while it waits), but fn must not take
 * a lock the caller holds.
 *
 * fn runs on the target CPU in interrupt context, interrupts off: it must
 * be short and must not sleep.  It runs in whatever address space that CPU
 * is in, so info must not point into a kernel stack (in mm=per-task each
 * task's stack is mapped only in its own window): use static or kmalloc
 * memory.  Calls cost no allocation: each CPU has one
 * call slot per target CPU (a slot still queued by an earlier call that
 * did not wait is waited for before reuse).
 */
#ifndef ARCH_I386_SMP_H
#define ARCH_I386_SMP_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*smp_call_func_t)(void *info);

/*
 * Make CPU cpu notice its need_resched (which the caller set) now: the
 * interrupt's exit path reschedules.  Any context, interrupts on or off.
 */
void smp_send_reschedule(unsigned cpu);

/*
 * Run fn(info) on CPU cpu: directly (interrupts off) if it is the calling
 * CPU.  With wait, return after fn has returned there.  Interrupts on.
 * Returns 0, or -ENXIO if cpu is not online.
 */
int smp_call_function_single(unsigned cpu, smp_call_func_t fn, void *info, bool wait);

/*
 * Run fn(info) on every online CPU in mask (bit n = CPU n) except the
 * calling one, as Linux does; the caller runs its own share itself.  With
 * wait, return after every fn has returned.  Interrupts on.
 */
void smp_call_function_many(uint32_t mask, smp_call_func_t fn, void *info, bool wait);

/* RESCHEDULE_VECTOR and CALL_FUNCTION_VECTOR (apic.c dispatches them). */
void smp_reschedule_interrupt(void);
void smp_call_function_interrupt(void);

#endif
