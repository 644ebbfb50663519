/*
 * Hardware interrupts from ISA IRQ lines 0-15, on vectors 32-47, through
 * an interrupt controller "chip": the legacy 8259 PICs, or in APIC mode
 * the I/O APIC (apic.h).  A driver registers one handler per line; the
 * line is unmasked while a handler is registered.  Handlers run with
 * interrupts off, after the EOI.
 */
#ifndef ARCH_I386_IRQ_H
#define ARCH_I386_IRQ_H

#include "arch/i386/trap_frame.h"
#include "arch/i386/traps.h"

/* regs: the interrupted context (user or kernel). */
typedef void (*irq_handler_t)(unsigned int irq, struct trap_frame *regs);

/* What do_irq and irq_register need of an interrupt controller. */
struct irq_chip {
	const char *name;
	void (*mask)(unsigned int irq);
	void (*unmask)(unsigned int irq);
	bool (*masked)(unsigned int irq);
	void (*eoi)(unsigned int irq);
	bool (*spurious)(unsigned int irq);     /* NULL: the chip has none */
};

extern const struct irq_chip i8259_chip;        /* pic.c */

/*
 * Deliver IRQs through chip from now on (apic_init switches to the I/O
 * APIC).  Boot CPU, interrupts off, before any handler is registered.
 */
void irq_set_chip(const struct irq_chip *chip);
const struct irq_chip *irq_get_chip(void);

/*
 * Install handler for irq and unmask the line.  Returns 0, -EINVAL for
 * a line that does not exist or is the cascade (IRQ 2), -EBUSY if the line
 * already has a handler.
 */
int irq_register(unsigned int irq, irq_handler_t handler);

/* Mask irq and remove its handler. */
void irq_unregister(unsigned int irq);

/* Is irq masked at its interrupt controller? */
bool irq_masked(unsigned int irq);

/* Called by trap_dispatch() for vectors 32-47. */
void do_irq(struct trap_frame *f);

struct irq_stats {
	unsigned int count[NR_IRQS];    /* handled interrupts, per line */
	unsigned int spurious;          /* spurious IRQ 7 / 15, not handled */
	unsigned int unhandled;         /* no handler: the line got masked */
};
extern struct irq_stats irq_stats;

#endif
