/* Ending the machine: QEMU, Bochs, and real hardware (halt). */
#ifndef ARCH_I386_POWER_H
#define ARCH_I386_POWER_H

#include <stdbool.h>

/*
 * Drain the console and stop the machine, telling the emulator whether the
 * run passed: QEMU's isa-debug-exit exits with status 33 (pass) or 35 (fail);
 * Bochs's shutdown port ends Bochs.  Never returns.
 */
__attribute__((noreturn)) void machine_exit(bool passed);

#endif
