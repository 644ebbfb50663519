/* What the boot CPU can do, read once from CPUID and checked before use. */
#ifndef ARCH_I386_CPUFEATURE_H
#define ARCH_I386_CPUFEATURE_H

#include <stdbool.h>

struct cpu_features {
	char vendor[13];
	char brand[49];
	unsigned family, model, stepping;
	bool pae;               /* 36-bit physical addresses, 64-bit entries */
	bool pge;               /* global pages survive CR3 writes */
	bool pse;
	bool nx;                /* execute-disable bit (EFER.NXE) */
	bool apic;
	bool tsc;
	bool invariant_tsc;
	unsigned phys_bits;     /* MAXPHYADDR */
	unsigned phys_limit_bits; /* what this kernel addresses: min(36, phys_bits) */
};

extern struct cpu_features boot_cpu;

/*
 * Read CPUID, report the features, and turn on what we use: NX (EFER.NXE)
 * and global pages (CR4.PGE).  Halts with a clear message if PAE is
 * missing (boot/multiboot.S already checked; this repeats it for reporting).
 */
void cpu_init(void);

/*
 * An application processor's share of cpu_init: check that it has what
 * the kernel uses of the boot CPU (or panic), and turn on NX and PGE.
 */
void cpu_init_secondary(unsigned cpu);

/* The page-table bit for "no execute", or 0 when the CPU has no NX. */
unsigned long long cpu_nx_bit(void);

#endif
