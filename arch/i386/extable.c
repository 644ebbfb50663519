#include "arch/i386/extable.h"

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* The table is a handful of entries: a linear scan is clearer than sorting. */
uint32_t search_exception_table(uint32_t eip)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == eip)
			return e->fixup;
	return 0;
}
