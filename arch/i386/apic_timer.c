/*
 * The local APIC timer as the tick (apic_timer.h).
 */
#include "arch/i386/apic_timer.h"
#include "arch/i386/apic.h"
#include "arch/i386/pit.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/sample.h"

#define APIC_TDR_DIV_16         0x3     /* divide configuration (SDM 10.5.4, Figure 10-10) */
#define APIC_TIMER_DIVISOR      16

static uint32_t counts_per_irq;         /* initial count: one period of sample_timer_hz() */

/* The current count, for pit_calibrate. */
static uint32_t read_current_count(void)
{
	return lapic_read(APIC_TMCCT);
}

void apic_timer_start(void)
{
	lapic_write(APIC_TDCR, APIC_TDR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, counts_per_irq);        /* the write starts it */
}

void apic_timer_init(void)
{
	/* Count down from the top, masked, once: the PIT times 10 ms of it. */
	lapic_write(APIC_TDCR, APIC_TDR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED);
	lapic_write(APIC_TMICT, 0xFFFFFFFF);
	uint32_t counts = pit_calibrate(read_current_count);
	lapic_write(APIC_TMICT, 0);                     /* stop it */

	uint64_t per_sec = (uint64_t)counts * (1000 / PIT_CALIBRATE_MS);
	if (per_sec < 100 * HZ)
		panic("apic: timer calibration failed: %u counts in %u ms", counts, PIT_CALIBRATE_MS);
	counts_per_irq = (uint32_t)(per_sec / sample_timer_hz());
	pr_info("apic: timer at %llu kHz (bus clock %llu kHz / %u): %u counts per interrupt, %u per tick\n",
		per_sec / 1000, per_sec * APIC_TIMER_DIVISOR / 1000, APIC_TIMER_DIVISOR,
		counts_per_irq, sample_per_tick());
	apic_timer_start();
}

void apic_timer_interrupt(const struct trap_frame *f)
{
	lapic_eoi();
	if (!sample_timer_interrupt(f))
		return;                 /* a profiling interrupt between two ticks */
	tick_periodic();
}
