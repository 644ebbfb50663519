#include "arch/i386/power.h"
#include "arch/i386/io.h"
#include "arch/i386/cpu.h"
#include "arch/i386/uart.h"

/* -device isa-debug-exit,iobase=0xf4,iosize=0x04: QEMU exits (v << 1) | 1. */
#define QEMU_DEBUG_EXIT_PORT    0xF4
#define QEMU_EXIT_PASS          0x10    /* status 33 */
#define QEMU_EXIT_FAIL          0x11    /* status 35 */

/* Bochs powers off when these bytes arrive at this port. */
#define BOCHS_SHUTDOWN_PORT     0x8900

void machine_exit(bool passed)
{
	local_irq_disable();
	uart_drain();
	outl(QEMU_DEBUG_EXIT_PORT, passed ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	for (;;)
		halt();
}
