/*
 * The 8254 programmable interval timer: the periodic tick in PIC mode,
 * and channel 2 as a stopwatch: calibration of the TSC and the APIC
 * timer, and delays before either is known.  Channel 2 has one user at a
 * time: the boot CPU, during boot.
 */
#ifndef ARCH_I386_PIT_H
#define ARCH_I386_PIT_H

#include <stdint.h>

#define PIT_HZ  1193182u                /* the PIT's input clock */
#define PIT_CALIBRATE_MS        10      /* how long the calibrations measure */

/* Program channel 0 to interrupt hz times a second (IRQ 0). */
void pit_start_periodic(unsigned hz);
/*
 * Measure the TSC against PIT channel 2 over about 10 ms; returns TSC
 * ticks per millisecond (kHz), or 0 if the TSC did not advance.
 */
uint64_t pit_calibrate_tsc_khz(void);
/*
 * How far read_counter, a down-counter, moves in PIT_CALIBRATE_MS:
 * start - end, read around the wait for channel 2.
 */
uint32_t pit_calibrate(uint32_t (*read_counter)(void));
/* Busy-wait at least us microseconds (up to 54 ms) on channel 2. */
void pit_udelay(unsigned us);

#endif
