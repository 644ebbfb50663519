/* Kernel clocks; see time.h. */
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/sched.h"
#include "kernel/printk.h"
#include "arch/i386/cpu.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/pit.h"
#include "arch/i386/rtc.h"
#include "arch/i386/irq.h"
#include "arch/i386/apic.h"
#include "arch/i386/apic_timer.h"
#include "kernel/smp.h"
#include "kernel/sample.h"

static uint64_t boot_tsc;
static uint64_t tsc_per_ms;
static uint64_t boot_real_ns;

uint64_t tsc_khz(void)
{
	return tsc_per_ms;
}

uint64_t ktime_get_ns(void)
{
	if (!tsc_per_ms)                /* no usable TSC: tick resolution */
		return jiffies * (NSEC_PER_SEC / HZ);
	uint64_t delta = rdtsc() - boot_tsc;
	/* Split the division so delta * 10^6 cannot overflow. */
	return (delta / tsc_per_ms) * 1000000 + (delta % tsc_per_ms) * 1000000 / tsc_per_ms;
}

uint64_t ktime_get_real_ns(void)
{
	return boot_real_ns + ktime_get_ns();
}

void tick_periodic(void)
{
	this_cpu()->timer_ticks++;
	if (smp_processor_id() == 0)
		timer_tick();
	sched_tick();
}

/* IRQ 0 from the PIT, in PIC mode: a sample, and every sample_per_tick()-th a tick. */
static void timer_interrupt(unsigned int irq, struct trap_frame *frame)
{
	if (sample_timer_interrupt(frame))
		tick_periodic();
}

void time_init(void)
{
	if (boot_cpu.tsc) {
		boot_tsc = rdtsc();
		tsc_per_ms = pit_calibrate_tsc_khz();
	}
	if (tsc_per_ms)
		pr_info("time: TSC at %llu.%03llu MHz\n", tsc_per_ms / 1000, tsc_per_ms % 1000);
	else
		pr_warn("time: no usable TSC; clocks have %u ms resolution\n", 1000 / HZ);
	int64_t now = rtc_read_unix_time();
	boot_real_ns = (uint64_t)now * NSEC_PER_SEC;
	pr_info("time: RTC says %lld seconds since the epoch\n", now);
	if (apic_active()) {
		apic_timer_init();
		pr_info("time: %u Hz tick from each CPU's local APIC timer\n", HZ);
	} else {
		irq_register(0, timer_interrupt);
		pit_start_periodic(sample_timer_hz());
		pr_info("time: %u Hz tick from the PIT\n", HZ);
	}
}
