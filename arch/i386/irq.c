/*
 * IRQ dispatch (irq.h), on whichever chip delivers: the 8259s or the I/O
 * APIC.  The I/O APIC sends every IRQ to the boot CPU, so irq_stats has a
 * single writer.
 */
#include "arch/i386/irq.h"
#include "arch/i386/pic.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"

struct irq_stats irq_stats;

static irq_handler_t irq_handlers[NR_IRQS];
static spinlock_t irq_lock = SPINLOCK_INIT;
static const struct irq_chip *chip = &i8259_chip;

void irq_set_chip(const struct irq_chip *c)
{
	chip = c;
}

const struct irq_chip *irq_get_chip(void)
{
	return chip;
}

bool irq_masked(unsigned int irq)
{
	return chip->masked(irq);
}

int irq_register(unsigned int irq, irq_handler_t handler)
{
	if (irq >= NR_IRQS || irq == PIC_CASCADE_IRQ || !handler)
		return -EINVAL;
	uint32_t flags = spin_lock_irqsave(&irq_lock);
	if (irq_handlers[irq]) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	irq_handlers[irq] = handler;
	chip->unmask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
	return 0;
}

void irq_unregister(unsigned int irq)
{
	if (irq >= NR_IRQS || irq == PIC_CASCADE_IRQ)
		return;
	uint32_t flags = spin_lock_irqsave(&irq_lock);
	chip->mask(irq);
	irq_handlers[irq] = NULL;
	spin_unlock_irqrestore(&irq_lock, flags);
}

/*
 * One interrupt: filter spurious ones (8259: IRQ 7/15), EOI, run the
 * handler.  The EOI comes first so a handler may switch tasks; IF stays
 * clear until IRET, so the line cannot nest meanwhile.  A line with no handler is masked,
 * else a device that nobody services could interrupt forever.
 */
void do_irq(struct trap_frame *f)
{
	unsigned int irq = f->vector - IRQ0_VECTOR;

	if (chip->spurious && chip->spurious(irq)) {
		irq_stats.spurious++;
		return;
	}
	chip->eoi(irq);
	irq_handler_t handler = READ_ONCE(irq_handlers[irq]);
	if (!handler) {
		irq_stats.unhandled++;
		chip->mask(irq);
		pr_warn("irq %u: no handler, line masked\n", irq);
		return;
	}
	irq_stats.count[irq]++;
	handler(irq, f);
}
