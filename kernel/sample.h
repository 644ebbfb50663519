/*
 * EIP sampling: one mechanism, several readers.
 *
 * Every timer interrupt on every CPU calls sample_timer_interrupt() with
 * the interrupted context.  It hands (cpu, eip, user) to each subscribed
 * reader, in interrupt context on that CPU, then says whether this
 * interrupt is also a scheduler tick.  With profile=N the timer runs N
 * times faster than HZ (N samples per tick) and only every N-th interrupt
 * ticks, so jiffies, time slices and sleeps keep their meaning.
 *
 * A timer interrupt waits while interrupts are off, so code that runs
 * with them off is sampled where it turns them back on.  With
 * profile=N,nmi the samples come instead from an NMI that the PIT sends
 * to every CPU N * HZ times a second through the I/O APIC (APIC mode
 * only), which interrupts those regions too; readers then run in NMI
 * context, and the timer keeps its HZ.
 *
 * Readers: kernel/profile.c (the profile= histogram) is one.  A second
 * one, such as the NUMA text-locality sampler, subscribes the same way:
 *
 *     static void locality_sample(unsigned cpu, uint32_t eip, bool user)
 *     {
 *             if (!user)
 *                     ... look up which node's text replica cpu ran eip from ...
 *     }
 *     static const struct sample_reader locality_reader = { "text-locality", locality_sample };
 *     sample_reader_add(&locality_reader);   (at boot, or later: any context)
 *
 * and gets every sample the profiler gets, at the same rate, with no
 * second timer.  A reader must be quick (it runs in every timer interrupt),
 * touch only its own CPU's data, and stay valid after sample_reader_remove
 * until every CPU has taken one more timer interrupt.
 */
#ifndef KERNEL_SAMPLE_H
#define KERNEL_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/i386/trap_frame.h"

#define SAMPLE_MAX_READERS      4
#define SAMPLE_MAX_PER_TICK     50      /* timer at most 50 * HZ (5 kHz) */

struct sample_reader {
	const char *name;
	/* One sample: CPU, interrupted EIP, and whether it was in user mode. */
	void (*sample)(unsigned cpu, uint32_t eip, bool user);
};

/* Subscribe r; returns 0, or -EBUSY when SAMPLE_MAX_READERS are subscribed. */
int sample_reader_add(const struct sample_reader *r);
/* Unsubscribe r (see above for when its data may go). */
void sample_reader_remove(const struct sample_reader *r);

/*
 * Sample the interrupted context f for every reader.  Timer interrupt of
 * any CPU, interrupts off.  Returns true when this interrupt is a tick too.
 */
bool sample_timer_interrupt(const struct trap_frame *f);

/* NMI: a sample when they are the source.  Returns false for any other NMI. */
bool sample_nmi(const struct trap_frame *f);

/* Timer interrupts per second on each CPU (HZ, times N in timer mode). */
unsigned sample_timer_hz(void);
/* Samples per second on each CPU: HZ * sample_per_tick(). */
unsigned sample_hz(void);
/* Samples per tick (1 unless profile=N asked for more). */
unsigned sample_per_tick(void);
/* Do NMIs bring the samples? */
bool sample_uses_nmi(void);
/* Set the samples per tick (1..SAMPLE_MAX_PER_TICK) and the source; before time_init only. */
int sample_set_source(unsigned per_tick, bool nmi);
/* After every CPU is up: start the NMI source if asked (else nothing). */
void sample_start_nmi(void);

#endif
