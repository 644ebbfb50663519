/*
 * The exception table: pairs (instruction, fixup) for the few kernel
 * instructions allowed to fault on user addresses (arch/i386/uaccess.S).
 */
#ifndef ARCH_I386_EXTABLE_H
#define ARCH_I386_EXTABLE_H

#include <stdint.h>

struct exception_table_entry {
	uint32_t insn;
	uint32_t fixup;
};

/* The fixup address for a faulting EIP, or 0 when the EIP has none. */
uint32_t search_exception_table(uint32_t eip);

#endif
