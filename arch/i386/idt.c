/*
 * The IDT (gate map in idt.h).  Every vector enters through its stub in
 * entry.S, except #DF, which is a task gate.
 */
#include "arch/i386/idt.h"
#include "arch/i386/desc.h"
#include "arch/i386/segment.h"
#include "arch/i386/traps.h"

/* Eight bytes a gate (SDM vol. 3A 6.10); aligned as SDM 6.10 advises. */
static struct desc_struct idt_table[NR_VECTORS] __attribute__((aligned(8)));

/* The gate type and DPL of a vector (table in idt.h). */
static uint8_t gate_access(unsigned vector)
{
	switch (vector) {
	case X86_TRAP_BP:
	case X86_TRAP_OF:
		return DESC_P | DESC_DPL(3) | DESC_TYPE_INTR_GATE;
	case IA32_SYSCALL_VECTOR:
		return DESC_P | DESC_DPL(3) | DESC_TYPE_TRAP_GATE;
	default:
		return DESC_P | DESC_DPL(0) | DESC_TYPE_INTR_GATE;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < NR_VECTORS; v++)
		idt_table[v] = pack_gate(trap_stub_table[v], __KERNEL_CS, gate_access(v));
	/*
	 * A task gate's offset is unused; its selector names a TSS descriptor
	 * in the GDT of whichever CPU takes the fault (SDM vol. 3A 6.11, 7.2.5).
	 */
	idt_table[X86_TRAP_DF] = pack_gate(0, __DOUBLEFAULT_TSS, DESC_P | DESC_DPL(0) | DESC_TYPE_TASK_GATE);
	idt_load();
}

void idt_load(void)
{
	struct desc_ptr idtr = { .size = sizeof(idt_table) - 1, .address = (uint32_t)idt_table };

	load_idt(&idtr);
}
