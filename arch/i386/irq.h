/*
 * Hardware interrupts from the legacy PIC, IRQ 0-15 on vectors 32-47.
 * A driver registers one handler per line; the line is unmasked while a
 * handler is registered.  Handlers run with interrupts off, after the EOI.
 */
#ifndef ARCH_I386_IRQ_H
#define ARCH_I386_IRQ_H

#include "arch/i386/trap_frame.h"
#include "arch/i386/traps.h"

/* regs: the interrupted context (user or kernel). */
typedef void (*irq_handler_t)(unsigned int irq, struct trap_frame *regs);

/*
 * Install handler for irq and unmask the line.  Returns 0, -EINVAL for
 * a line that does not exist or is the cascade (IRQ 2), -EBUSY if the line
 * already has a handler.
 */
int irq_register(unsigned int irq, irq_handler_t handler);

/* Mask irq and remove its handler. */
void irq_unregister(unsigned int irq);

/* Called by trap_dispatch() for vectors 32-47. */
void do_irq(struct trap_frame *f);

struct irq_stats {
	unsigned int count[NR_IRQS];    /* handled interrupts, per line */
	unsigned int spurious;          /* spurious IRQ 7 / 15, not handled */
	unsigned int unhandled;         /* no handler: the line got masked */
};
extern struct irq_stats irq_stats;

#endif
