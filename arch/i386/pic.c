/*
 * The 8259A programmable interrupt controllers, master and slave (Intel
 * 8259A data sheet; the "ICW"s and "OCW"s below are its command words).
 */
#include "arch/i386/pic.h"
#include "arch/i386/io.h"
#include "arch/i386/irq.h"
#include "arch/i386/traps.h"
#include "kernel/spinlock.h"

#define PIC_MASTER_CMD          0x20
#define PIC_MASTER_DATA         0x21
#define PIC_SLAVE_CMD           0xA0
#define PIC_SLAVE_DATA          0xA1

#define ICW1_INIT               0x10
#define ICW1_ICW4               0x01    /* an ICW4 follows */
#define ICW4_8086               0x01
#define OCW2_EOI                0x20    /* non-specific end of interrupt */
#define OCW3_READ_ISR           0x0B

static spinlock_t pic_lock = SPINLOCK_INIT;
static uint16_t cached_mask = 0xFFFF;   /* the IMRs' contents: slave << 8 | master */

/* A write to an unused port: the delay old 8259As need between commands. */
static void io_delay(void)
{
	outb(0x80, 0);
}

/* Load cached_mask into both IMRs (OCW1).  Call with pic_lock held. */
static void write_mask(void)
{
	outb(PIC_MASTER_DATA, cached_mask & 0xFF);
	outb(PIC_SLAVE_DATA, cached_mask >> 8);
}

void pic_init(void)
{
	uint32_t flags = spin_lock_irqsave(&pic_lock);

	outb(PIC_MASTER_DATA, 0xFF);            /* quiet while reprogramming */
	outb(PIC_SLAVE_DATA, 0xFF);
	/* ICW1-ICW4: edge triggered, cascaded, vector bases, 8086 mode. */
	outb(PIC_MASTER_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC_SLAVE_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC_MASTER_DATA, IRQ0_VECTOR);     /* ICW2: vectors 32-39 */
	io_delay();
	outb(PIC_SLAVE_DATA, IRQ0_VECTOR + 8);  /* ICW2: vectors 40-47 */
	io_delay();
	outb(PIC_MASTER_DATA, 1u << PIC_CASCADE_IRQ);  /* ICW3: slave on IRQ 2 */
	io_delay();
	outb(PIC_SLAVE_DATA, PIC_CASCADE_IRQ);  /* ICW3: slave identity */
	io_delay();
	outb(PIC_MASTER_DATA, ICW4_8086);
	io_delay();
	outb(PIC_SLAVE_DATA, ICW4_8086);
	io_delay();

	/* The cascade stays open: slave lines are gated by the slave's mask. */
	cached_mask = 0xFFFF & ~(1u << PIC_CASCADE_IRQ);
	write_mask();
	spin_unlock_irqrestore(&pic_lock, flags);
}

void pic_disable(void)
{
	uint32_t flags = spin_lock_irqsave(&pic_lock);
	cached_mask = 0xFFFF;
	write_mask();
	spin_unlock_irqrestore(&pic_lock, flags);
}

void pic_mask(unsigned irq)
{
	uint32_t flags = spin_lock_irqsave(&pic_lock);
	cached_mask |= 1u << irq;
	write_mask();
	spin_unlock_irqrestore(&pic_lock, flags);
}

void pic_unmask(unsigned irq)
{
	uint32_t flags = spin_lock_irqsave(&pic_lock);
	cached_mask &= ~(1u << irq);
	write_mask();
	spin_unlock_irqrestore(&pic_lock, flags);
}

uint16_t pic_get_mask(void)
{
	uint32_t flags = spin_lock_irqsave(&pic_lock);
	uint16_t mask = inb(PIC_MASTER_DATA) | (uint16_t)inb(PIC_SLAVE_DATA) << 8;
	spin_unlock_irqrestore(&pic_lock, flags);
	return mask;
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC_SLAVE_CMD, OCW2_EOI);
	outb(PIC_MASTER_CMD, OCW2_EOI);
}

/* The in-service register of the chip at cmd_port (OCW3, then read). */
static uint8_t read_isr(uint16_t cmd_port)
{
	outb(cmd_port, OCW3_READ_ISR);
	return inb(cmd_port);
}

bool pic_irq_spurious(unsigned irq)
{
	if (irq == 7)
		return !(read_isr(PIC_MASTER_CMD) & 0x80);
	if (irq == 15 && !(read_isr(PIC_SLAVE_CMD) & 0x80)) {
		outb(PIC_MASTER_CMD, OCW2_EOI);
		return true;
	}
	return false;
}

/* The chip irq.c uses in PIC mode. */
static bool pic_masked(unsigned irq)
{
	return pic_get_mask() & (1u << irq);
}

const struct irq_chip i8259_chip = {
	.name = "8259",
	.mask = pic_mask,
	.unmask = pic_unmask,
	.masked = pic_masked,
	.eoi = pic_eoi,
	.spurious = pic_irq_spurious,
};
