/*
 * Each CPU's local APIC timer as its periodic tick, HZ times a second
 * (SDM vol. 3A 10.5.4), or a multiple with profile=N (kernel/sample.h).  Its rate is the bus clock divided by 16, which
 * nothing tells us: the boot CPU measures it against the PIT once, and
 * every CPU then uses the same count (they share the bus clock).
 */
#ifndef ARCH_I386_APIC_TIMER_H
#define ARCH_I386_APIC_TIMER_H

#include "arch/i386/trap_frame.h"

/*
 * Boot CPU, APIC mode, interrupts off: calibrate against PIT channel 2,
 * report the rate and start the boot CPU's timer.
 */
void apic_timer_init(void);

/* Start the calling CPU's timer with the boot CPU's calibration.  Interrupts off. */
void apic_timer_start(void);

/*
 * LOCAL_TIMER_VECTOR, f the interrupted context: EOI, sample f
 * (kernel/sample.h), and when this interrupt is a tick, run the periodic
 * tick (time.h).
 */
void apic_timer_interrupt(const struct trap_frame *f);

#endif
