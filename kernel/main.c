/*
 * kmain: the boot sequence, one init call per line.
 */
#include <stdint.h>
#include "arch/i386/uart.h"
#include "arch/i386/power.h"
#include "kernel/printk.h"

void kmain(uint32_t magic, uint32_t info_phys);

void kmain(uint32_t magic, uint32_t info_phys)
{
	uart_init();                    /* console first: everything reports */
	pr_info("ukva kernel booting (multiboot magic 0x%x, info at 0x%x)\n", magic, info_phys);
	machine_exit(true);
}
