/*
 * I/O APIC pins (ioapic.h).  Registers are reached through a window: write
 * the register number to IOREGSEL, then read or write IOWIN (82093AA 3.0),
 * so every access pair holds ioapic_lock, with interrupts off.
 */
#include "arch/i386/ioapic.h"
#include "arch/i386/apic.h"
#include "arch/i386/traps.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/fixmap.h"

#define IOREGSEL                0x00
#define IOWIN                   0x10
#define IOAPIC_REG_VER          0x01            /* max redirection entry: 23:16 */
#define IOAPIC_REG_REDTBL       0x10            /* pin n: 0x10 + 2n (low), + 1 (high) */

/* Redirection entry, low half (82093AA 3.2.4); high half: destination 31:24. */
#define IOAPIC_POLARITY_LOW     (1u << 13)
#define IOAPIC_TRIGGER_LEVEL    (1u << 15)
#define IOAPIC_MASKED           (1u << 16)
#define IOAPIC_DM_NMI           (4u << 8)       /* delivery mode NMI: the vector is ignored */
#define IOAPIC_DEST_LOGICAL     (1u << 11)
#define IOAPIC_DEST_ALL         0xff            /* logical, flat: CPUs 0-7 (apic.c) */

_Static_assert(FIX_IO_APICS == MADT_MAX_IOAPICS, "a fixmap page per I/O APIC");

static struct ioapic {
	volatile uint8_t *base;
	unsigned gsi_base;
	unsigned nr_pins;
} ioapics[MADT_MAX_IOAPICS];
static unsigned nr_ioapics;
static const struct madt_info *madt;
static spinlock_t ioapic_lock = SPINLOCK_INIT;

/* Read register reg.  Needs ioapic_lock. */
static uint32_t io_read(const struct ioapic *io, uint32_t reg)
{
	*(volatile uint32_t *)(io->base + IOREGSEL) = reg;
	return *(volatile uint32_t *)(io->base + IOWIN);
}

/* Write register reg.  Needs ioapic_lock. */
static void io_write(const struct ioapic *io, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(io->base + IOREGSEL) = reg;
	*(volatile uint32_t *)(io->base + IOWIN) = val;
}

unsigned ioapic_irq_to_gsi(unsigned irq, uint16_t *flags)
{
	for (unsigned i = 0; i < madt->nr_overrides; i++) {
		if (madt->overrides[i].irq == irq) {
			*flags = madt->overrides[i].flags;
			return madt->overrides[i].gsi;
		}
	}
	*flags = 0;
	return irq;
}

/* The I/O APIC and pin of ISA IRQ irq, or NULL when no I/O APIC has its GSI. */
static struct ioapic *irq_pin(unsigned irq, unsigned *pin, uint16_t *flags)
{
	unsigned gsi = ioapic_irq_to_gsi(irq, flags);

	for (unsigned i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/*
 * Point irq's pin at APIC ID dest with the low word low (vector and
 * delivery mode), plus the polarity and trigger mode its override gives
 * (ISA default: active high, edge), unmasked.  The high half goes first,
 * so the pin is never live with a stale destination.  Returns false when
 * no I/O APIC has the pin.
 */
static bool route_irq(unsigned irq, uint32_t low, uint8_t dest)
{
	uint16_t flags;
	unsigned pin;
	struct ioapic *io = irq_pin(irq, &pin, &flags);

	if (!io) {
		pr_warn("ioapic: IRQ %u has no I/O APIC pin; not routed\n", irq);
		return false;
	}
	if ((flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_ACTIVE_LOW)
		low |= IOAPIC_POLARITY_LOW;
	if ((flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL)
		low |= IOAPIC_TRIGGER_LEVEL;
	uint32_t irqflags = spin_lock_irqsave(&ioapic_lock);
	io_write(io, IOAPIC_REG_REDTBL + 2 * pin + 1, (uint32_t)dest << 24);
	io_write(io, IOAPIC_REG_REDTBL + 2 * pin, low);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return true;
}

/* irq to the boot CPU as vector IRQ0_VECTOR + irq (fixed delivery, physical destination). */
static void ioapic_unmask_irq(unsigned irq)
{
	route_irq(irq, IRQ0_VECTOR + irq, cpus[0].apic_id);
}

bool ioapic_route_irq_nmi(unsigned irq)
{
	return route_irq(irq, IOAPIC_DM_NMI | IOAPIC_DEST_LOGICAL, IOAPIC_DEST_ALL);
}

static void ioapic_mask_irq(unsigned irq)
{
	uint16_t flags;
	unsigned pin;
	struct ioapic *io = irq_pin(irq, &pin, &flags);

	if (!io)
		return;
	uint32_t irqflags = spin_lock_irqsave(&ioapic_lock);
	uint32_t reg = IOAPIC_REG_REDTBL + 2 * pin;
	io_write(io, reg, io_read(io, reg) | IOAPIC_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
}

static bool ioapic_irq_masked(unsigned irq)
{
	uint16_t flags;
	unsigned pin;
	struct ioapic *io = irq_pin(irq, &pin, &flags);

	if (!io)
		return true;
	uint32_t irqflags = spin_lock_irqsave(&ioapic_lock);
	uint32_t low = io_read(io, IOAPIC_REG_REDTBL + 2 * pin);
	spin_unlock_irqrestore(&ioapic_lock, irqflags);
	return low & IOAPIC_MASKED;
}

/* A level-triggered pin's remote IRR clears with the local EOI's broadcast. */
static void ioapic_eoi(unsigned irq)
{
	lapic_eoi();
}

const struct irq_chip ioapic_chip = {
	.name = "I/O APIC",
	.mask = ioapic_mask_irq,
	.unmask = ioapic_unmask_irq,
	.masked = ioapic_irq_masked,
	.eoi = ioapic_eoi,
};

void ioapic_init(const struct madt_info *m)
{
	madt = m;
	for (unsigned i = 0; i < m->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics++];
		io->base = set_fixmap_nocache(FIX_IO_APIC_BASE_0 + i, m->ioapics[i].address);
		io->gsi_base = m->ioapics[i].gsi_base;
		uint32_t flags = spin_lock_irqsave(&ioapic_lock);
		uint32_t ver = io_read(io, IOAPIC_REG_VER);
		io->nr_pins = ((ver >> 16) & 0xFF) + 1;
		for (unsigned pin = 0; pin < io->nr_pins; pin++)
			io_write(io, IOAPIC_REG_REDTBL + 2 * pin, IOAPIC_MASKED);
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_info("ioapic: I/O APIC %u (version 0x%x) at 0x%08x: GSI %u-%u, all masked\n",
			m->ioapics[i].id, ver & 0xFF, m->ioapics[i].address, io->gsi_base,
			io->gsi_base + io->nr_pins - 1);
	}
}
