/*
 * ukva_bench as Linux's first process.  make run boots Debian's own i386
 * kernel with this binary as /init of an initramfs (experiments/linux.py),
 * so that Linux's numbers come from the same code on the same machine.
 * PID 1 must not exit there: Linux panics when init dies.  So the run
 * ends the machine itself, the way this kernel does (arch/i386/power.c):
 * the verdict written to QEMU's isa-debug-exit port (QEMU exits 33 or 35),
 * after the console has drained.  If the port cannot be had, reboot(2)
 * powers off (QEMU, run with -no-reboot, exits 0 and the driver judges the
 * run by its output alone).
 */
#include "bench.h"
#include "measure.h"
#include "printf.h"
#include "syscall.h"

#define DEBUG_EXIT_PORT         0xf4    /* -device isa-debug-exit,iobase=0xf4 */
#define DEBUG_EXIT_PASS         0x10    /* QEMU exits (0x10 << 1) | 1 = 33 */
#define DEBUG_EXIT_FAIL         0x11    /* 35 */

/* reboot(2): include/uapi/linux/reboot.h */
#define LINUX_REBOOT_MAGIC1     0xfee1deadu
#define LINUX_REBOOT_MAGIC2     672274793u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

#define TCSBRK                  0x5409  /* with arg 1: tcdrain() */

/* Ends the program with status; as Linux's PID 1, ends the machine instead. */
_Noreturn void bench_exit(int status)
{
	if (on_ukva() || sys_getpid() != 1)
		sys_exit_group(status);
	printf("ukva_bench: PID 1 on Linux: powering off (status %d)\n", status);
	sys_ioctl(1, TCSBRK, 1);        /* the last lines out of the UART first */
	if (sys_ioperm(DEBUG_EXIT_PORT, 1, 1) == 0) {
		uint8_t v = status ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS;

		__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"((uint16_t)DEBUG_EXIT_PORT));
	}
	sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL);
	for (;;) {                      /* not reached: power-off failed; never exit */
		struct timespec t = { .tv_sec = 3600 };

		sys_nanosleep(&t, NULL);
	}
}
