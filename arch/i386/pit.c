/*
 * The 8254 PIT (Intel 8254 datasheet; ports 0x40-0x43, gate of channel 2
 * and its output at port 0x61 bits 0 and 5).
 */
#include "arch/i386/pit.h"
#include "arch/i386/io.h"
#include "arch/i386/cpu.h"

#define PIT_CH0         0x40
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PORT_B          0x61            /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */

#define CMD_CH0_RATE    0x34            /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define CMD_CH2_ONESHOT 0xB0            /* channel 2, lobyte/hibyte, mode 0 (count down once) */

#define CALIBRATE_MS    PIT_CALIBRATE_MS

void pit_start_periodic(unsigned hz)
{
	uint32_t divisor = (PIT_HZ + hz / 2) / hz;

	outb(PIT_CMD, CMD_CH0_RATE);
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
}

/*
 * Load channel 2 with count in mode 0: its output (port B bit 5) goes low
 * and rises once the count reaches 0.  The gate is on, the speaker off.
 */
static void ch2_start(uint32_t count)
{
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, CMD_CH2_ONESHOT);
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
}

/* Spin until channel 2's output rises. */
static void ch2_wait(void)
{
	while (!(inb(PORT_B) & 0x20))
		;
}

void pit_udelay(unsigned us)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000) + 1;

	ch2_start(count < 0xFFFF ? count : 0xFFFF);
	ch2_wait();
}

uint64_t pit_calibrate_tsc_khz(void)
{
	ch2_start(PIT_HZ * CALIBRATE_MS / 1000);
	uint64_t start = rdtsc();
	ch2_wait();
	uint64_t ticks = rdtsc() - start;
	return ticks / CALIBRATE_MS;
}

uint32_t pit_calibrate(uint32_t (*read_counter)(void))
{
	ch2_start(PIT_HZ * CALIBRATE_MS / 1000);
	uint32_t start = read_counter();
	ch2_wait();
	return start - read_counter();
}
