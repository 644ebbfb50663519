/*
 * The local APIC of each CPU, in xAPIC mode (memory-mapped registers;
 * SDM vol. 3A chapter 10): enabling it, end of interrupt, the interrupt
 * command register (IPIs, INIT and STARTUP), and the vectors of its own
 * interrupts.  apic_timer.c runs its timer; ioapic.c the I/O APIC.
 *
 * "APIC mode" means the local APICs deliver every interrupt: the 8259s
 * are masked, device IRQs come through the I/O APIC and each CPU ticks
 * with its own APIC timer.  Without an APIC (CPUID, or no usable MADT,
 * or acpi=off) the kernel stays in PIC mode: 8259 + PIT, one CPU.
 */
#ifndef ARCH_I386_APIC_H
#define ARCH_I386_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/i386/trap_frame.h"

/*
 * The APIC's own vectors, at the top: the priority class is the vector's
 * high nibble (SDM 10.8.3.1), so these outrank device IRQs (32-47).  The
 * spurious vector's low nibble is 1111 because P6 and Pentium APICs
 * hardwire those bits (SDM 10.9).
 */
#define LOCAL_TIMER_VECTOR      0xEC
#define CALL_FUNCTION_VECTOR    0xFB
#define RESCHEDULE_VECTOR       0xFD
#define ERROR_APIC_VECTOR       0xFE
#define SPURIOUS_APIC_VECTOR    0xFF
#define FIRST_SYSTEM_VECTOR     LOCAL_TIMER_VECTOR

/* Registers (SDM 10.4.1, Table 10-1): byte offsets from the APIC base. */
#define APIC_ID                 0x020           /* bits 31:24 */
#define APIC_LVR                0x030           /* version 7:0, max LVT entry 23:16 */
#define APIC_TASKPRI            0x080
#define APIC_EOI                0x0B0
#define APIC_LDR                0x0D0           /* logical destination 31:24 */
#define APIC_DFR                0x0E0           /* destination format: all ones = flat */
#define APIC_SPIV               0x0F0           /* spurious vector, software enable */
#define APIC_ISR                0x100           /* 8 registers, 0x10 apart */
#define APIC_ESR                0x280
#define APIC_ICR                0x300           /* low half: writing it sends */
#define APIC_ICR2               0x310           /* high half: destination 31:24 */
#define APIC_LVTT               0x320           /* timer */
#define APIC_LVTTHMR            0x330
#define APIC_LVTPC              0x340
#define APIC_LVT0               0x350           /* LINT0 */
#define APIC_LVT1               0x360           /* LINT1 */
#define APIC_LVTERR             0x370
#define APIC_TMICT              0x380           /* timer initial count */
#define APIC_TMCCT              0x390           /* timer current count */
#define APIC_TDCR               0x3E0           /* timer divide configuration */

#define APIC_SPIV_APIC_ENABLED  (1u << 8)
#define APIC_LVT_MASKED         (1u << 16)
#define APIC_LVT_TIMER_PERIODIC (1u << 17)
#define APIC_DM_NMI             (4u << 8)       /* LVT delivery mode */
#define APIC_DFR_FLAT           0xFFFFFFFFu
#define APIC_LDR_FLAT_CPUS      8               /* flat model: one LDR bit per CPU */

/* Interrupt command register, low half (SDM 10.6.1, Figure 10-12). */
#define APIC_DM_FIXED           (0u << 8)
#define APIC_DM_INIT            (5u << 8)
#define APIC_DM_STARTUP         (6u << 8)
#define APIC_ICR_BUSY           (1u << 12)      /* delivery status: send pending */
#define APIC_INT_ASSERT         (1u << 14)
#define APIC_INT_LEVELTRIG      (1u << 15)
#define APIC_DEST_ALLBUT        (3u << 18)      /* shorthand: all excluding self */

/* Is the kernel in APIC mode (see above)?  Fixed once apic_init returns. */
bool apic_active(void);

/*
 * Boot CPU: decide between APIC and PIC mode (and report why), and in
 * APIC mode map the local APIC, enable the boot CPU's, mask the 8259s and
 * set up the I/O APICs with every pin masked.  After acpi_init; interrupts
 * off.
 */
void apic_init(void);

/*
 * Enable the calling CPU's local APIC: spurious vector, error vector, LINT
 * pins (NMI on the boot CPU only), task priority 0.  Interrupts off.
 */
void setup_local_apic(void);

/* The calling CPU's local APIC ID (APIC mode only). */
unsigned lapic_id(void);

/* Signal end of interrupt to the calling CPU's local APIC. */
void lapic_eoi(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t val);

/*
 * Write the interrupt command register: destination APIC ID apic_id (0
 * with a shorthand), then the low half, which sends.  Waits until the
 * previous IPI left (delivery status idle).  Any context.
 */
void apic_icr_write(uint32_t low, unsigned apic_id);

/* Has the last IPI this CPU sent left (delivery status idle)? */
bool apic_icr_idle(void);

/* A fixed IPI with vector to CPU cpu (its APIC ID from cpus[cpu]). */
void apic_send_ipi(unsigned cpu, unsigned vector);

/* A fixed IPI with vector to every CPU but the caller (one ICR write). */
void apic_send_ipi_allbutself(unsigned vector);

/*
 * trap_dispatch() for vectors FIRST_SYSTEM_VECTOR..255: the APIC timer,
 * IPIs, APIC errors and spurious interrupts.  Returns false for a vector
 * that is not one of ours (or PIC mode): the caller reports it.
 */
bool do_apic_vector(struct trap_frame *f);

#endif
