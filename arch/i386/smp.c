/*
 * Inter-processor interrupts while only the boot CPU runs: there is no
 * other CPU to interrupt, so both calls have nothing to do, and they stop
 * the kernel if that ever stops being true.  SMP bring-up replaces this
 * file with the local-APIC implementation.
 */
#include "kernel/smp.h"
#include "kernel/sched.h"
#include "kernel/panic.h"

void smp_send_reschedule(unsigned cpu)
{
	BUG_ON(cpu != this_cpu()->id);
}

void smp_call_function_many(uint32_t mask, void (*fn)(void *arg), void *arg, bool wait)
{
	BUG_ON(mask & cpus_online_mask() & ~(1u << this_cpu()->id));
}
