/*
 * Clocks: CLOCK_MONOTONIC from the TSC (calibrated against the PIT at
 * boot), CLOCK_REALTIME as the RTC's reading at boot plus monotonic time.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ull

/*
 * Calibrate the TSC, read the RTC, start the periodic tick: each CPU's
 * APIC timer in APIC mode, else the PIT.  Boot CPU, after apic_init.
 */
void time_init(void);
/*
 * One CPU's periodic tick (interrupt context): the boot CPU advances
 * jiffies and runs due timers; every CPU accounts the tick to its task.
 * (What the tick interrupted is sampled before: kernel/sample.h.)
 */
void tick_periodic(void);
/* Nanoseconds since boot. */
uint64_t ktime_get_ns(void);
/* Nanoseconds since 1970-01-01 UTC. */
uint64_t ktime_get_real_ns(void);
/* TSC ticks per millisecond, as calibrated. */
uint64_t tsc_khz(void);

#endif
