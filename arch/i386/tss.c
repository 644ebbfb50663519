/*
 * The two TSSes every CPU has (see tss.h for why only two, and what for).
 */
#include "arch/i386/tss.h"
#include "arch/i386/gdt.h"
#include "arch/i386/cpu.h"
#include "kernel/string.h"

#define EFLAGS_RESERVED_1       (1u << 1)       /* always set (SDM vol. 1 3.4.3) */

void tss_init(struct tss_struct *tss, uint32_t esp0)
{
	memset(tss, 0, sizeof(*tss));
	tss->ss0 = __KERNEL_DS;
	tss->esp0 = esp0;
	tss->io_bitmap_base = IO_BITMAP_OFFSET_INVALID;
}

/*
 * The double-fault task's initial state, loaded by the task switch
 * (SDM vol. 3A 7.3): ring 0 segments (%fs: this CPU's per-CPU segment,
 * resolved in the GDT of the CPU that faults), its own stack, interrupts off
 * (EFLAGS.IF clear), no LDT, and the current page tables.
 */
void doublefault_tss_init(struct tss_struct *tss, uint32_t stack_top)
{
	memset(tss, 0, sizeof(*tss));
	tss->eip = (uint32_t)doublefault_task_entry;
	tss->eflags = EFLAGS_RESERVED_1;
	tss->esp = stack_top;
	tss->ss0 = __KERNEL_DS;
	tss->esp0 = stack_top;
	tss->cs = __KERNEL_CS;
	tss->ss = tss->ds = tss->es = __KERNEL_DS;
	tss->fs = __KERNEL_PERCPU;      /* the report uses this_cpu() */
	tss->cr3 = read_cr3();
	tss->io_bitmap_base = IO_BITMAP_OFFSET_INVALID;
}

void tss_set_kernel_stack(uint32_t esp0)
{
	this_cpu_descriptors()->tss.esp0 = esp0;
}

void doublefault_set_cr3(uint32_t cr3)
{
	this_cpu_descriptors()->doublefault_tss.cr3 = cr3;
}
