/*
 * Bringing up the application processors (SMP boot), in APIC mode.
 *
 * The boot CPU starts them one at a time: it copies the real-mode
 * trampoline (boot/trampoline.S) to TRAMPOLINE_PHYS, fills its
 * parameters, sends INIT, STARTUP, STARTUP, and waits for the AP to mark
 * itself online.  CPU numbers: 0 is the boot CPU, the others follow the
 * MADT's order.  Boot options: nosmp (the boot CPU only) and maxcpus=N.
 *
 * TRAMPOLINE_PHYS: the page at 0x8000.  It must be below 1 MiB (the
 * STARTUP vector is its page number, 8 bits), conventional RAM, and free:
 * memblock reserves the whole first MiB, so the page allocator never
 * hands it out; the BIOS data (0-0x4FF), the EBDA (top of 640 KiB) and
 * the ROMs lie elsewhere; QEMU's multiboot loader puts its information at
 * 0x9000, which the kernel has finished reading when APs start, and
 * smp_init checks that no boot module overlaps the page.
 */
#ifndef ARCH_I386_SMPBOOT_H
#define ARCH_I386_SMPBOOT_H

#define TRAMPOLINE_PHYS         0x8000

/* struct trampoline_params field offsets, for the trampoline's assembly. */
#define TP_CR3                  0
#define TP_STACK                4
#define TP_NX                   8
#define TP_PGD                  32      /* 32-byte aligned: a PDPT */
#define TRAMPOLINE_PARAMS_SIZE  64

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include "mm/pgtable.h"

/* Written by the boot CPU into the trampoline's copy before each STARTUP. */
struct trampoline_params {
	uint32_t cr3;                   /* physical: pgd below */
	uint32_t stack;                 /* the AP's initial ESP (its idle stack top) */
	uint32_t nx;                    /* set EFER.NXE: the boot CPU has NX */
	uint32_t pad[5];
	pgd_t pgd[PTRS_PER_PGD];        /* the AP boot PGD (see trampoline.S) */
};

_Static_assert(offsetof(struct trampoline_params, cr3) == TP_CR3, "TP_CR3");
_Static_assert(offsetof(struct trampoline_params, stack) == TP_STACK, "TP_STACK");
_Static_assert(offsetof(struct trampoline_params, nx) == TP_NX, "TP_NX");
_Static_assert(offsetof(struct trampoline_params, pgd) == TP_PGD, "TP_PGD");
_Static_assert(sizeof(struct trampoline_params) == TRAMPOLINE_PARAMS_SIZE, "size");

/*
 * Start every AP the MADT lists (up to NR_CPUS and maxcpus) and report
 * "smp: N CPUs online".  Boot CPU, APIC mode or not (PIC mode: one CPU),
 * after sched_init and time_init, interrupts off.
 */
void smp_init(void);

/* The CPUs the boot should bring online: min(MADT, NR_CPUS, maxcpus); 1 in PIC mode. */
unsigned smp_expected_cpus(void);
#endif

#endif
