/*
 * The interrupt descriptor table: 256 gates, one table for all CPUs.
 *
 *   vector   gate                DPL  why
 *   0-31     interrupt gate      0    exceptions run with IF clear
 *   3, 4     interrupt gate      3    int3 and into are legal in user mode
 *   8        task gate (0xf8)    0    #DF switches to the double-fault task
 *   32-47    interrupt gate      0    ISA IRQs (8259s or I/O APIC)
 *   0x80     trap gate           3    int $0x80: syscalls keep IF as it was
 *   0xEC-    interrupt gate      0    local APIC: timer, IPIs (apic.h)
 *   others   interrupt gate      0    reported as unexpected
 *
 * A user INT n to a DPL 0 gate raises #GP instead (SDM vol. 3A 6.12.1,
 * "Protection of Exception- and Interrupt-Handler Procedures").
 */
#ifndef ARCH_I386_IDT_H
#define ARCH_I386_IDT_H

#include <stdint.h>
#include "arch/i386/traps.h"

/* entry.S: the address of each vector's stub, the offset of its gate. */
extern const uint32_t trap_stub_table[NR_VECTORS];

/* Build the IDT and load it on the calling CPU.  Interrupts must be off. */
void idt_init(void);
/* Load the (built) IDT on the calling CPU: an application processor.  Interrupts off. */
void idt_load(void);

#endif
