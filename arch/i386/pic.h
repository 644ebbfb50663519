/*
 * The legacy 8259A pair (master: IRQ 0-7, slave: IRQ 8-15 on master IRQ 2).
 * pic_init() moves their vectors off the CPU exceptions, to 32-47, and
 * masks every line; irq.c unmasks the lines that get a handler.
 */
#ifndef ARCH_I386_PIC_H
#define ARCH_I386_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_CASCADE_IRQ         2

/* Remap to vectors 32-47 and mask all lines but the cascade. */
void pic_init(void);

/* Mask every line, the cascade too: APIC mode takes over (apic.c). */
void pic_disable(void);

void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);

/* Both interrupt mask registers: slave << 8 | master; a set bit masks. */
uint16_t pic_get_mask(void);

/* End of interrupt for irq (to the slave and the master for IRQ 8-15). */
void pic_eoi(unsigned irq);

/*
 * Is this IRQ 7 or 15 a spurious one (the line dropped before the CPU's
 * acknowledge, so the in-service bit is clear)?  A spurious IRQ must not
 * get an EOI from its own chip; for IRQ 15 the master, which did see a
 * real cascade interrupt, gets its EOI here.
 */
bool pic_irq_spurious(unsigned irq);

#endif
