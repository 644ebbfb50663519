/*
 * Segment and gate descriptors, and the instructions that load and store
 * the descriptor-table registers (SDM vol. 3A 3.4.5, 3.5.1, 6.10, 6.11).
 *
 * A descriptor is two 32-bit words.  Segment descriptor (Figure 3-8):
 *
 *   lo: base[15:0] << 16 | limit[15:0]
 *   hi: base[31:24] << 24 | G D/B L AVL << 20 | limit[19:16] << 16 |
 *       P DPL S type << 8 | base[23:16]
 *
 * Gate descriptor (Figure 6-2): lo = selector << 16 | offset[15:0],
 * hi = offset[31:16] << 16 | P DPL 0 type << 8.  A task gate has no offset.
 */
#ifndef ARCH_I386_DESC_H
#define ARCH_I386_DESC_H

#include <stdint.h>
#include "kernel/compiler.h"

struct desc_struct {
	uint32_t lo, hi;
};

/* The limit and base operand of LGDT/SGDT/LIDT/SIDT (SDM 3.5.1, 6.10). */
struct desc_ptr {
	uint16_t size;                  /* limit: table size in bytes - 1 */
	uint32_t address;
} __packed;

/* Access byte (descriptor bits 40-47): type (4 bits), S, DPL, P. */
#define DESC_TYPE_ACCESSED      0x1     /* set by the CPU on first load */
#define DESC_TYPE_DATA_RW       0x2
#define DESC_TYPE_CODE_XR       0xA
#define DESC_TYPE_TASK_GATE     0x5
#define DESC_TYPE_TSS_AVAIL     0x9     /* 32-bit TSS, not busy */
#define DESC_TYPE_TSS_BUSY      0xB
#define DESC_TYPE_INTR_GATE     0xE     /* 32-bit; clears IF on entry */
#define DESC_TYPE_TRAP_GATE     0xF     /* 32-bit; leaves IF alone */
#define DESC_TYPE_MASK          0xF
#define DESC_S                  0x10    /* code/data, not a system descriptor */
#define DESC_DPL(n)             ((n) << 5)
#define DESC_DPL_OF(access)     (((access) >> 5) & 3)
#define DESC_P                  0x80

/* Flags nibble (descriptor bits 52-55). */
#define DESC_FLAG_DB            0x4     /* 32-bit segment */
#define DESC_FLAG_G             0x8     /* limit counts 4 KiB pages */

/* Build a segment or system-segment descriptor. */
static inline struct desc_struct pack_descriptor(uint32_t base, uint32_t limit,
						 uint8_t access, uint8_t flags)
{
	return (struct desc_struct){
		.lo = (limit & 0xFFFF) | (base << 16),
		.hi = ((base >> 16) & 0xFF) | ((uint32_t)access << 8) |
		      (limit & 0xF0000) | ((uint32_t)(flags & 0xF) << 20) |
		      (base & 0xFF000000),
	};
}

/* Build an interrupt, trap or task gate. */
static inline struct desc_struct pack_gate(uint32_t offset, uint16_t selector, uint8_t access)
{
	return (struct desc_struct){
		.lo = ((uint32_t)selector << 16) | (offset & 0xFFFF),
		.hi = (offset & 0xFFFF0000) | ((uint32_t)access << 8),
	};
}

static inline uint32_t desc_base(struct desc_struct d)
{
	return (d.lo >> 16) | ((d.hi & 0xFF) << 16) | (d.hi & 0xFF000000);
}

/* The raw 20-bit limit field (in pages when DESC_FLAG_G is set). */
static inline uint32_t desc_limit(struct desc_struct d)
{
	return (d.lo & 0xFFFF) | (d.hi & 0xF0000);
}

static inline uint8_t desc_access(struct desc_struct d)
{
	return (d.hi >> 8) & 0xFF;
}

static inline uint8_t desc_flags(struct desc_struct d)
{
	return (d.hi >> 20) & 0xF;
}

static inline uint32_t gate_offset(struct desc_struct d)
{
	return (d.hi & 0xFFFF0000) | (d.lo & 0xFFFF);
}

static inline uint16_t gate_selector(struct desc_struct d)
{
	return d.lo >> 16;
}

static inline void load_gdt(const struct desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p) : "memory");
}

static inline struct desc_ptr store_gdt(void)
{
	struct desc_ptr p;
	__asm__ volatile("sgdt %0" : "=m"(p));
	return p;
}

static inline void load_idt(const struct desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p) : "memory");
}

static inline struct desc_ptr store_idt(void)
{
	struct desc_ptr p;
	__asm__ volatile("sidt %0" : "=m"(p));
	return p;
}

/* LTR marks the TSS descriptor busy (SDM vol. 3A 7.2.4). */
static inline void load_tr(uint16_t selector)
{
	__asm__ volatile("ltr %0" : : "rm"(selector) : "memory");
}

static inline uint16_t store_tr(void)
{
	uint16_t sel;
	__asm__ volatile("str %0" : "=rm"(sel));
	return sel;
}

#endif
