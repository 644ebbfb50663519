/*
 * The exception table: pairs (instruction, fixup) for the few kernel
 * instructions allowed to fault: those touching user addresses
 * (arch/i386/uaccess.S, page faults) and the segment-register pops of the
 * trap exit (arch/i386/entry.S, #GP and #NP).
 */
#ifndef ARCH_I386_EXTABLE_H
#define ARCH_I386_EXTABLE_H

#ifdef __ASSEMBLER__
/* In assembly: if insn faults, continue at fixup. */
#define EX_ENTRY(insn, fixup)           \
	.pushsection __ex_table, "a";   \
	.balign 4;                      \
	.long insn, fixup;              \
	.popsection
#else
#include <stdint.h>

struct exception_table_entry {
	uint32_t insn;
	uint32_t fixup;
};

/* The fixup address for a faulting EIP, or 0 when the EIP has none. */
uint32_t search_exception_table(uint32_t eip);
#endif

#endif
