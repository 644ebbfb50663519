/* The kernel's own function symbol table, embedded at build time. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The function containing addr: its name, and addr's offset into it.
 * Returns NULL when addr lies outside kernel text.
 */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);
/* Functions in the table; they are numbered 0.. in address order. */
unsigned ksym_count(void);
/* The number of the function containing addr, or -1 outside kernel text. */
int ksym_index(uint32_t addr);
/* Function i's start address and name (i < ksym_count()). */
uint32_t ksym_addr(unsigned i);
const char *ksym_name(unsigned i);
/* Format addr as "name+0xoff" (or as a bare hex address) into buf. */
void ksym_format(uint32_t addr, char *buf, size_t size);

#endif
