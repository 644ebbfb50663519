/*
 * Per-CPU descriptor tables: each CPU gets its own GDT, TSS, double-fault
 * TSS and double-fault stack, so that TLS entries and ESP0 can differ per
 * CPU.  The boot CPU's set is static; SMP bring-up initializes and loads
 * one per application processor the same way.  The IDT is shared (idt.h):
 * its #DF task gate names the selector __DOUBLEFAULT_TSS, which each CPU
 * resolves in its own GDT to its own double-fault task.
 */
#ifndef ARCH_I386_GDT_H
#define ARCH_I386_GDT_H

#include <stdint.h>
#include "arch/i386/desc.h"
#include "arch/i386/segment.h"
#include "arch/i386/tss.h"

#define DOUBLEFAULT_STACK_SIZE  8192

/*
 * Page aligned, tables first: neither TSS crosses a page boundary, as
 * SDM vol. 3A 7.2.1 asks of the bytes a task switch reads and writes.
 */
struct cpu_descriptors {
	struct desc_struct gdt[GDT_ENTRIES];
	struct tss_struct tss;
	struct tss_struct doublefault_tss;
	uint8_t doublefault_stack[DOUBLEFAULT_STACK_SIZE] __attribute__((aligned(16)));
} __attribute__((aligned(4096)));

/*
 * Fill the GDT of CPU cpu (layout in segment.h; its per-CPU segment based
 * at &cpus[cpu]), its TSS (ring-0 stack esp0) and its double-fault task.
 * Does not load anything.
 */
void cpu_descriptors_init(struct cpu_descriptors *cd, unsigned cpu, uint32_t esp0);

/*
 * Make cd the calling CPU's: LGDT, reload every segment register with the
 * new selectors (CS through a far return, %fs with __KERNEL_PERCPU), LTR.
 * Interrupts must be off.  Until it returns, this_cpu() must not be used.
 */
void cpu_descriptors_load(struct cpu_descriptors *cd);

/* The calling CPU's descriptors, found from its GDTR: valid once loaded. */
struct cpu_descriptors *this_cpu_descriptors(void);

/*
 * Set up and load the boot CPU's descriptors; ESP0 starts at the boot
 * stack.  The first thing kmain does: this_cpu() works from then on.
 */
void gdt_init(void);

#endif
