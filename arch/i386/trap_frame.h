/*
 * struct trap_frame: the registers of an interrupted context, saved on the
 * kernel stack by entry.S (Linux calls it pt_regs).  From the lowest
 * address up:
 *
 *   PUSHAL (entry.S)     edi esi ebp esp ebx edx ecx eax
 *   entry.S              gs fs es ds
 *   vector stub          vector, error_code (0 if the CPU pushes none)
 *   the CPU (SDM 6.12.1) eip cs eflags, then user_esp user_ss only when
 *                        the trap came from ring 3 (a stack switch)
 *
 * esp is PUSHAL's slot, which POPAL skips: entry.S overwrites it with the
 * ESP of the interrupted context, in either ring, so readers need not care
 * whether user_esp exists.  Segment registers and CS/SS are 16-bit: a
 * 32-bit push of one may leave the upper half of its slot unmodified
 * (SDM vol. 2B, PUSH), hence the padding fields.
 *
 * The offsets are also used from assembly (entry.S, panic_entry.S).
 */
#ifndef ARCH_I386_TRAP_FRAME_H
#define ARCH_I386_TRAP_FRAME_H

#define TF_EDI          0
#define TF_ESI          4
#define TF_EBP          8
#define TF_ESP          12
#define TF_EBX          16
#define TF_EDX          20
#define TF_ECX          24
#define TF_EAX          28
#define TF_GS           32
#define TF_FS           36
#define TF_ES           40
#define TF_DS           44
#define TF_VECTOR       48
#define TF_ERROR_CODE   52
#define TF_EIP          56
#define TF_CS           60
#define TF_EFLAGS       64
#define TF_USER_ESP     68
#define TF_USER_SS      72
#define TF_SIZE         76

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/i386/segment.h"

struct trap_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint16_t gs, __gsh;
	uint16_t fs, __fsh;
	uint16_t es, __esh;
	uint16_t ds, __dsh;
	uint32_t vector;
	uint32_t error_code;
	uint32_t eip;
	uint16_t cs, __csh;
	uint32_t eflags;
	uint32_t user_esp;              /* ring 3 only */
	uint16_t user_ss, __ssh;        /* ring 3 only */
};

#define TF_CHECK(field, off) \
	_Static_assert(offsetof(struct trap_frame, field) == (off), "TF_" #field)
TF_CHECK(edi, TF_EDI);
TF_CHECK(esi, TF_ESI);
TF_CHECK(ebp, TF_EBP);
TF_CHECK(esp, TF_ESP);
TF_CHECK(ebx, TF_EBX);
TF_CHECK(edx, TF_EDX);
TF_CHECK(ecx, TF_ECX);
TF_CHECK(eax, TF_EAX);
TF_CHECK(gs, TF_GS);
TF_CHECK(fs, TF_FS);
TF_CHECK(es, TF_ES);
TF_CHECK(ds, TF_DS);
TF_CHECK(vector, TF_VECTOR);
TF_CHECK(error_code, TF_ERROR_CODE);
TF_CHECK(eip, TF_EIP);
TF_CHECK(cs, TF_CS);
TF_CHECK(eflags, TF_EFLAGS);
TF_CHECK(user_esp, TF_USER_ESP);
TF_CHECK(user_ss, TF_USER_SS);
#undef TF_CHECK
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");

/* Did the trap interrupt user mode (CPL 3)? */
static inline bool user_mode(const struct trap_frame *f)
{
	return (f->cs & SEGMENT_RPL_MASK) == USER_RPL;
}

/* The stack segment of the interrupted context. */
static inline uint16_t trap_frame_ss(const struct trap_frame *f)
{
	return user_mode(f) ? f->user_ss : __KERNEL_DS;
}
#endif

#endif
