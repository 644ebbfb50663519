/* The 8254 programmable interval timer: the periodic tick and TSC calibration. */
#ifndef ARCH_I386_PIT_H
#define ARCH_I386_PIT_H

#include <stdint.h>

#define PIT_HZ  1193182u                /* the PIT's input clock */

/* Program channel 0 to interrupt hz times a second (IRQ 0). */
void pit_start_periodic(unsigned hz);
/*
 * Measure the TSC against PIT channel 2 over about 10 ms; returns TSC
 * ticks per millisecond (kHz), or 0 if the TSC did not advance.
 */
uint64_t pit_calibrate_tsc_khz(void);

#endif
