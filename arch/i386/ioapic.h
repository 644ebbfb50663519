/*
 * The I/O APICs (Intel 82093AA datasheet): in APIC mode, device interrupts
 * arrive through them instead of the 8259s.  Each input pin has a global
 * system interrupt number (GSI, its I/O APIC's base + pin); an ISA IRQ n
 * arrives on GSI n unless the MADT overrides it (QEMU: IRQ 0 on GSI 2).
 *
 * Every pin starts masked.  irq_register() (irq.c) unmasks the pin of an
 * ISA IRQ through ioapic_chip, sending it as vector IRQ0_VECTOR + irq to
 * the boot CPU.  The PIT's IRQ 0 stays masked: each CPU ticks with its own
 * APIC timer, and the PIT only calibrates it.
 */
#ifndef ARCH_I386_IOAPIC_H
#define ARCH_I386_IOAPIC_H

#include "arch/i386/acpi_tables.h"
#include "arch/i386/irq.h"

/*
 * Map every I/O APIC the MADT lists, mask all their pins and report them.
 * Boot CPU, interrupts off, from apic_init.
 */
void ioapic_init(const struct madt_info *madt);

/* ISA IRQs through the I/O APICs, for irq.c. */
extern const struct irq_chip ioapic_chip;

/*
 * Send ISA IRQ irq as an NMI to CPUs 0-7 (the profiler's sample source,
 * kernel/sample.h).  Returns false when no I/O APIC has its pin.
 */
bool ioapic_route_irq_nmi(unsigned irq);

/*
 * The GSI on which ISA IRQ irq arrives, with its MPS INTI flags in *flags
 * (0: the ISA default, edge triggered, active high).
 */
unsigned ioapic_irq_to_gsi(unsigned irq, uint16_t *flags);

#endif
