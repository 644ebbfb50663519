/*
 * kmain: the boot sequence, one init call per line.
 */
#include <stddef.h>
#include <stdint.h>
#include "boot/multiboot.h"
#include "mm/memlayout.h"
#include "arch/i386/uart.h"
#include "arch/i386/power.h"
#include "kernel/printk.h"
#include "kernel/bootparam.h"
#include "kernel/ktest.h"
#include "arch/i386/cpufeature.h"
#include "mm/memmap.h"
#include "mm/zone.h"
#include "mm/paging.h"
#include "mm/highmem.h"

void kmain(uint32_t magic, uint32_t info_phys);

void kmain(uint32_t magic, uint32_t info_phys)
{
	const struct multiboot_info *mbi = phys_to_virt(info_phys);

	uart_init();                            /* console first: everything reports */
	pr_info("ukva: i386 PAE research kernel\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		pr_emerg("not started by a multiboot loader (magic 0x%x)\n", magic);
		machine_exit(false);
	}
	parse_boot_params(mbi->flags & MULTIBOOT_INFO_CMDLINE ?
			  phys_to_virt(mbi->cmdline) : NULL);
	pr_info("command line: %s\n", boot_cmdline());
	cpu_init();                             /* CPUID: PAE, PGE, NX, MAXPHYADDR */
	memmap_init(mbi);                       /* RAM ranges and boot reservations */
	frames_init();                          /* mem_map, zones, buddy allocators */
	paging_init();                          /* final kernel tables, identity map gone */
	kmap_init();                            /* pkmap pool and kmap_atomic slots */
	mem_report();                           /* zone sizes, descriptor cost, lowmem left */

	if (ktest_requested())
		machine_exit(ktest_run_selected());
	pr_info("nothing to run yet\n");
	machine_exit(true);
}
