/*
 * The local APIC (apic.h): PIC or APIC mode, enabling each CPU's APIC,
 * EOI, the interrupt command register, and the dispatch of its vectors.
 */
#include "arch/i386/apic.h"
#include "arch/i386/acpi.h"
#include "arch/i386/apic_timer.h"
#include "arch/i386/cpu.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/ioapic.h"
#include "arch/i386/irq.h"
#include "arch/i386/pic.h"
#include "arch/i386/smp.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/fixmap.h"

#define MSR_IA32_APICBASE       0x1B
#define APICBASE_X2APIC         (1u << 10)      /* x2APIC mode: no MMIO */
#define APICBASE_ENABLE         (1u << 11)      /* global enable (SDM 10.4.3, 10.4.4) */
#define APICBASE_ADDR_MASK      0xFFFFFF000ULL
#define APIC_VERSION_INTEGRATED 0x10            /* 0x1X: on-chip, not an 82489DX */

static bool apic_mode;
static volatile uint8_t *lapic;                 /* the fixmap page FIX_APIC_BASE */

bool apic_active(void)
{
	return apic_mode;
}

uint32_t lapic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(lapic + reg);
}

void lapic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(lapic + reg) = val;
}

unsigned lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

/* Is a bit set in the in-service register (8 x 32 bits)? */
static bool lapic_isr_pending(void)
{
	for (unsigned i = 0; i < 8; i++)
		if (lapic_read(APIC_ISR + i * 0x10))
			return true;
	return false;
}

void setup_local_apic(void)
{
	unsigned maxlvt = (lapic_read(APIC_LVR) >> 16) & 0xFF;

	lapic_write(APIC_TASKPRI, 0);           /* accept every priority class */
	/*
	 * Flat logical destinations, one bit per CPU (SDM 10.6.2.2): a
	 * message to logical 0xff reaches the first eight CPUs at once (the
	 * profiler's NMIs, kernel/sample.h).  Physical destinations are used
	 * for everything else.
	 */
	unsigned id = smp_processor_id();
	lapic_write(APIC_DFR, APIC_DFR_FLAT);
	lapic_write(APIC_LDR, id < APIC_LDR_FLAT_CPUS ? (1u << id) << 24 : 0);
	/* Firmware may leave interrupts in service; each EOI retires one. */
	for (unsigned i = 0; i < 256 && lapic_isr_pending(); i++)
		lapic_eoi();
	lapic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	/* The 8259s are masked in APIC mode: nothing comes through LINT0. */
	lapic_write(APIC_LVT0, APIC_LVT_MASKED);
	/* NMI is wired to every LINT1; one CPU handles it, as on Linux. */
	lapic_write(APIC_LVT1, smp_processor_id() == 0 ? APIC_DM_NMI : APIC_LVT_MASKED);
	if (maxlvt >= 4)
		lapic_write(APIC_LVTPC, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED);
	lapic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	/* The ESR latches on a write; two clear it (SDM 10.5.3). */
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
}

void apic_icr_write(uint32_t low, unsigned apic_id)
{
	uint32_t flags = local_irq_save();     /* the two halves belong together */

	while (lapic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	lapic_write(APIC_ICR2, apic_id << 24);
	lapic_write(APIC_ICR, low);             /* this write sends (SDM 10.6.1) */
	local_irq_restore(flags);
}

bool apic_icr_idle(void)
{
	return !(lapic_read(APIC_ICR) & APIC_ICR_BUSY);
}

void apic_send_ipi(unsigned cpu, unsigned vector)
{
	apic_icr_write(APIC_DM_FIXED | APIC_INT_ASSERT | vector, cpus[cpu].apic_id);
}

void apic_send_ipi_allbutself(unsigned vector)
{
	apic_icr_write(APIC_DEST_ALLBUT | APIC_DM_FIXED | APIC_INT_ASSERT | vector, 0);
}

/* An APIC error (SDM 10.5.3): report the error status and carry on. */
static void apic_error_interrupt(void)
{
	lapic_write(APIC_ESR, 0);
	uint32_t esr = lapic_read(APIC_ESR);
	lapic_eoi();
	pr_warn("apic: error interrupt on CPU %u: ESR 0x%x\n", smp_processor_id(), esr);
}

bool do_apic_vector(struct trap_frame *f)
{
	if (!apic_mode)
		return false;
	switch (f->vector) {
	case LOCAL_TIMER_VECTOR:
		apic_timer_interrupt(f);
		return true;
	case RESCHEDULE_VECTOR:
		smp_reschedule_interrupt();
		return true;
	case CALL_FUNCTION_VECTOR:
		smp_call_function_interrupt();
		return true;
	case ERROR_APIC_VECTOR:
		apic_error_interrupt();
		return true;
	case SPURIOUS_APIC_VECTOR:
		/* No EOI for a spurious interrupt (SDM 10.9): none is in service. */
		return true;
	}
	return false;
}

/*
 * Why APIC mode is impossible here, or NULL when it is possible: then the
 * boot CPU's APIC is globally enabled (IA32_APIC_BASE, SDM 10.4.4) and
 * *base is its physical address.
 */
static const char *check_apic(uint64_t *base)
{
	if (!boot_cpu.apic)
		return "the CPU has no local APIC";
	if (!acpi_madt())
		return "no usable MADT";
	uint64_t msr = rdmsr(MSR_IA32_APICBASE);
	if (msr & APICBASE_X2APIC)
		return "firmware left the APIC in x2APIC mode";
	if (!(msr & APICBASE_ENABLE))
		wrmsr(MSR_IA32_APICBASE, msr | APICBASE_ENABLE);
	*base = msr & APICBASE_ADDR_MASK;
	if (*base != acpi_madt()->lapic_address)
		pr_warn("apic: the MADT says the local APIC is at 0x%llx, the CPU says 0x%llx: using the CPU's\n",
			acpi_madt()->lapic_address, *base);
	return NULL;
}

void apic_init(void)
{
	uint64_t base = 0;
	const char *why = check_apic(&base);

	if (why) {
		pr_info("apic: %s: PIC mode, one CPU\n", why);
		return;
	}
	lapic = set_fixmap_nocache(FIX_APIC_BASE, base);
	uint32_t version = lapic_read(APIC_LVR);
	if ((version & 0xF0) != APIC_VERSION_INTEGRATED) {
		pr_info("apic: local APIC version 0x%x is not an integrated one: PIC mode, one CPU\n",
			version & 0xFF);
		return;
	}
	cpus[0].apic_id = lapic_id();
	setup_local_apic();
	pic_disable();
	ioapic_init(acpi_madt());
	irq_set_chip(&ioapic_chip);
	apic_mode = true;
	pr_info("apic: APIC mode: local APIC at 0x%llx (version 0x%x, %u LVT entries), "
		"boot CPU APIC ID %u; 8259s masked\n", base, version & 0xFF,
		((version >> 16) & 0xFF) + 1, cpus[0].apic_id);
}
