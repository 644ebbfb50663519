/*
 * CR3 loads and TLB flushes.  Every CR3 write and every flush in the kernel
 * goes through these helpers, so that counting them (an experiment metric)
 * is a change to this one file.  The only write_cr3 outside it is
 * switch.S's, counted by the context switch with count_cr3_write().
 *
 * PAE facts obeyed here (Intel SDM vol. 3A):
 *  - CR3 holds the physical address of the 32-byte aligned PDPT, bits 31:5,
 *    so the PDPT must lie below 4 GiB (4.4.1).
 *  - The four PDPT entries are loaded into internal registers when CR3 is
 *    written; changing a PDPT entry in memory has no effect until the next
 *    CR3 load (4.4.1).
 *  - A CR3 write flushes every non-global TLB entry; global entries survive
 *    it and go only with INVLPG of their address or a toggle of CR4.PGE
 *    (4.10.4.1).  There is no PCID in 32-bit mode.
 */
#ifndef ARCH_I386_TLB_H
#define ARCH_I386_TLB_H

#include <stdint.h>
#include "arch/i386/cpu.h"
#include "kernel/counters.h"

/* Physical address of the PDPT the CPU is using now. */
static inline uint32_t read_cr3_pgd(void)
{
	return read_cr3() & ~0x1Fu;
}

/*
 * Count a CR3 write on this CPU: the one place every write is counted.
 * load_cr3 calls it; so does the context switch for the write switch.S
 * makes (in assembly, where no C may run: the write switches stacks).
 */
static inline void count_cr3_write(void)
{
	count_event_cpu(CNT_CR3_WRITE);
}

/*
 * Switch to the PDPT at physical address pgd_phys (32-byte aligned, below
 * 4 GiB).  Reloads the PDPT registers and flushes non-global TLB entries.
 */
static inline void load_cr3(uint32_t pgd_phys)
{
	count_cr3_write();
	write_cr3(pgd_phys);
}

/* Drop the TLB entry of one virtual address, global or not (INVLPG). */
static inline void flush_tlb_one(unsigned long addr)
{
	count_event_cpu(CNT_TLB_FLUSH_ONE);
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

/*
 * Drop every non-global TLB entry and reload the PDPT registers: a CR3
 * reload with the current value.  Needed after changing a PDPT entry.
 */
static inline void flush_tlb_all_nonglobal(void)
{
	count_event_cpu(CNT_TLB_FLUSH_ALL);
	load_cr3(read_cr3());
}

/*
 * Drop every TLB entry, global ones included: clearing CR4.PGE flushes the
 * whole TLB, setting it again re-enables global pages (SDM 4.10.4.1).
 * Without PGE there are no global entries and a CR3 reload is enough.
 */
static inline void flush_tlb_all(void)
{
	uint32_t cr4 = read_cr4();

	count_event_cpu(CNT_TLB_FLUSH_ALL);
	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		load_cr3(read_cr3());
	}
}

#endif
