/*
 * The GDT, one per CPU (layout in segment.h).  All code and data segments
 * are flat (base 0, limit 4 GiB): protection comes from paging, and the
 * segments exist because protected mode needs them and because their DPL
 * is what makes ring 3 ring 3.
 */
#include "arch/i386/gdt.h"
#include "arch/i386/percpu.h"
#include "kernel/compiler.h"
#include "kernel/string.h"

extern char boot_stack_top[];           /* boot/multiboot.S */

/* The boot CPU's tables; application processors get their own copies. */
static struct cpu_descriptors boot_cpu_descriptors;

/*
 * A flat 4 GiB code or data segment of the given type and privilege.  The
 * accessed bit is preset so the CPU never writes to the GDT when a selector
 * is loaded (SDM vol. 3A 3.4.5.1), which lets the GDT be read-only later.
 */
static struct desc_struct flat_segment(uint8_t type, unsigned dpl)
{
	return pack_descriptor(0, 0xFFFFF,
			       DESC_P | DESC_DPL(dpl) | DESC_S | type | DESC_TYPE_ACCESSED,
			       DESC_FLAG_G | DESC_FLAG_DB);
}

/*
 * CPU cpu's per-CPU data segment: base &cpus[cpu], byte granular, limit
 * the struct's last byte, so an access past it faults (#GP) instead of
 * reading a neighbour's data.  DPL 0: user mode cannot load it.
 */
static struct desc_struct percpu_segment(unsigned cpu)
{
	return pack_descriptor((uint32_t)&cpus[cpu], sizeof(struct cpu) - 1,
			       DESC_P | DESC_DPL(0) | DESC_S | DESC_TYPE_DATA_RW | DESC_TYPE_ACCESSED,
			       DESC_FLAG_DB);
}

/* An available 32-bit TSS descriptor for tss (SDM vol. 3A 7.2.2). */
static struct desc_struct tss_descriptor(const struct tss_struct *tss)
{
	return pack_descriptor((uint32_t)tss, TSS_LIMIT, DESC_P | DESC_DPL(0) | DESC_TYPE_TSS_AVAIL, 0);
}

void cpu_descriptors_init(struct cpu_descriptors *cd, unsigned cpu, uint32_t esp0)
{
	struct desc_struct *gdt = cd->gdt;

	/* Unused slots, the TLS ones included, stay zero: not present. */
	memset(gdt, 0, sizeof(cd->gdt));
	gdt[GDT_ENTRY_KERNEL_CS] = flat_segment(DESC_TYPE_CODE_XR, 0);
	gdt[GDT_ENTRY_KERNEL_DS] = flat_segment(DESC_TYPE_DATA_RW, 0);
	gdt[GDT_ENTRY_DEFAULT_USER_CS] = flat_segment(DESC_TYPE_CODE_XR, 3);
	gdt[GDT_ENTRY_DEFAULT_USER_DS] = flat_segment(DESC_TYPE_DATA_RW, 3);
	gdt[GDT_ENTRY_PERCPU] = percpu_segment(cpu);

	tss_init(&cd->tss, esp0);
	gdt[GDT_ENTRY_TSS] = tss_descriptor(&cd->tss);

	doublefault_tss_init(&cd->doublefault_tss,
			     (uint32_t)cd->doublefault_stack + sizeof(cd->doublefault_stack));
	gdt[GDT_ENTRY_DOUBLEFAULT_TSS] = tss_descriptor(&cd->doublefault_tss);
}

void cpu_descriptors_load(struct cpu_descriptors *cd)
{
	struct desc_ptr gdtr = { .size = sizeof(cd->gdt) - 1, .address = (uint32_t)cd->gdt };

	load_gdt(&gdtr);
	/*
	 * A segment register keeps its old descriptor cache until reloaded
	 * (SDM vol. 3A 3.4.3); CS can only be reloaded by a far transfer.
	 * FS gets the per-CPU segment (percpu.h); GS, the user's TLS
	 * register, the null selector.
	 */
	__asm__ volatile("movl %4, %%ds\n\t"
			 "movl %4, %%es\n\t"
			 "movl %0, %%ss\n\t"
			 "movl %1, %%fs\n\t"
			 "movl %3, %%gs\n\t"
			 "pushl %2\n\t"
			 "pushl $1f\n\t"
			 "lret\n"
			 "1:"
			 : : "r"(__KERNEL_DS), "r"(__KERNEL_PERCPU), "i"(__KERNEL_CS), "r"(0),
			     "r"(__KERNEL_DS_ES) : "memory");
	load_tr(__TSS);
}

struct cpu_descriptors *this_cpu_descriptors(void)
{
	return container_of((struct desc_struct *)store_gdt().address, struct cpu_descriptors, gdt[0]);
}

void gdt_init(void)
{
	cpu_descriptors_init(&boot_cpu_descriptors, 0, (uint32_t)boot_stack_top);
	cpu_descriptors_load(&boot_cpu_descriptors);
}
