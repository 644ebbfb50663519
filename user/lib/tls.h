/*
 * Thread-local storage on i386: a TLS segment descriptor in the GDT, set up
 * by set_thread_area(2) (or by clone with CLONE_SETTLS), and a selector for
 * it loaded in %gs. Then %gs:0 reads the first word at the segment's base.
 */
#ifndef USER_TLS_H
#define USER_TLS_H

#include <stdint.h>

#include "abi.h"

/* Fills *d with a flat 32-bit data segment (4 GiB limit in pages) based at
 * base, for GDT slot entry; entry -1 asks the kernel to choose a free slot. */
static inline void tls_desc(struct user_desc *d, uint32_t entry,
			    const void *base)
{
	*d = (struct user_desc){
		.entry_number = entry,
		.base_addr = (uint32_t)(uintptr_t)base,
		.limit = 0xfffff,
		.seg_32bit = 1,
		.limit_in_pages = 1,
		.useable = 1,
	};
}

/* Returns the segment selector for GDT slot entry at privilege level 3. */
static inline uint16_t tls_selector(uint32_t entry)
{
	return (uint16_t)(entry << 3 | 3);
}

/* Loads selector sel into %gs: from now on %gs-relative accesses use it. */
static inline void tls_load_gs(uint16_t sel)
{
	__asm__ volatile("movw %0, %%gs" : : "r"(sel) : "memory");
}

/* Returns the current %gs selector. */
static inline uint16_t tls_read_gs(void)
{
	uint16_t sel;

	__asm__ volatile("movw %%gs, %0" : "=r"(sel));
	return sel;
}

/* Returns the 32-bit word at %gs:off. */
static inline uint32_t tls_read(uint32_t off)
{
	uint32_t v;

	__asm__ volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
	return v;
}

/* Runs set_thread_area(next) with %ss loaded from sel, so that the call may
 * rewrite the very descriptor the stack segment uses; then reloads %ss from
 * %ds.  If the kernel left sel unusable as SS, the return to user mode
 * cannot load it and the caller dies of SIGSEGV.  Returns the call's result. */
static inline long tls_set_under_ss(uint16_t sel, const struct user_desc *next)
{
	uint32_t reg = sel;
	long r;

	__asm__ volatile("movw %w1, %%ss\n\t"
			 "int $0x80\n\t"
			 "movw %%ds, %w1\n\t"
			 "movw %w1, %%ss"
			 : "=a"(r), "+r"(reg)
			 : "0"(__NR_set_thread_area), "b"(next)
			 : "memory");
	return r;
}

#endif
