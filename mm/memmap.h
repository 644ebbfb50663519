/* The firmware's memory map, as the boot loader passed it. */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdint.h>
#include "boot/multiboot.h"

#define MAX_BOOT_MODULES 8

struct boot_module {
	uint64_t start, end;            /* physical, [start, end) */
	char cmdline[64];
};

extern struct boot_module boot_modules[MAX_BOOT_MODULES];
extern unsigned nr_boot_modules;

/*
 * Read the multiboot memory map into memblock: print it, keep the RAM below
 * the CPU's physical limit (reporting what lies beyond), and reserve what
 * the kernel already occupies: the first MiB, the kernel image, and the
 * boot modules (copied into boot_modules[]).  Call once, early.
 */
void memmap_init(const struct multiboot_info *mbi);

#endif
