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
/* Format addr as "name+0xoff" (or as a bare hex address) into buf. */
void ksym_format(uint32_t addr, char *buf, size_t size);

#endif
