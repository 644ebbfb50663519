/*
 * kmain: the boot sequence, one init call per line.
 */
#include <stddef.h>
#include <stdint.h>
#include "boot/multiboot.h"
#include "mm/memlayout.h"
#include "arch/i386/uart.h"
#include "arch/i386/power.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/pic.h"
#include "kernel/printk.h"
#include "kernel/bootparam.h"
#include "kernel/ktest.h"

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
	cpu_init();                             /* CPUID; NX and global pages on */
	gdt_init();                             /* GDT, TSS, double-fault task */
	pic_init();                             /* 8259s off the exceptions: 32-47, masked */
	idt_init();                             /* exception, IRQ and syscall gates */

	if (ktest_requested())
		machine_exit(ktest_run_selected());
	pr_info("nothing to run yet\n");
	machine_exit(true);
}
