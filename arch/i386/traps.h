/*
 * Exceptions, and the C side of every IDT vector.
 *
 * Vector map (the IDT, idt.c):
 *   0-31    CPU exceptions (SDM vol. 3A 6.3.1, Table 6-1)
 *   32-47   ISA IRQ 0-15: from the 8259s (pic.c remaps them there) or,
 *           in APIC mode, the I/O APIC (ioapic.c)
 *   0x80    int $0x80 system calls, DPL 3
 *   0xEC-   the local APIC's: timer, IPIs, error, spurious (apic.h)
 *   others  unexpected: counted and reported, never fatal
 */
#ifndef ARCH_I386_TRAPS_H
#define ARCH_I386_TRAPS_H

/* The numbers up to the #ifndef below are for entry.S too. */

/* Exception vectors, with Linux's names (arch/x86/include/asm/trapnr.h). */
#define X86_TRAP_DE              0      /* divide error */
#define X86_TRAP_DB              1      /* debug */
#define X86_TRAP_NMI             2      /* non-maskable interrupt */
#define X86_TRAP_BP              3      /* breakpoint (int3) */
#define X86_TRAP_OF              4      /* overflow (into) */
#define X86_TRAP_BR              5      /* bound range exceeded */
#define X86_TRAP_UD              6      /* invalid opcode */
#define X86_TRAP_NM              7      /* device not available */
#define X86_TRAP_DF              8      /* double fault */
#define X86_TRAP_OLD_MF          9      /* coprocessor segment overrun */
#define X86_TRAP_TS             10      /* invalid TSS */
#define X86_TRAP_NP             11      /* segment not present */
#define X86_TRAP_SS             12      /* stack segment fault */
#define X86_TRAP_GP             13      /* general protection */
#define X86_TRAP_PF             14      /* page fault */
#define X86_TRAP_MF             16      /* x87 floating-point error */
#define X86_TRAP_AC             17      /* alignment check */
#define X86_TRAP_MC             18      /* machine check */
#define X86_TRAP_XF             19      /* SIMD floating-point */
#define X86_TRAP_VE             20      /* virtualization exception */
#define X86_TRAP_CP             21      /* control protection */
#define NR_EXCEPTION_VECTORS    32

#define IRQ0_VECTOR             32
#define NR_IRQS                 16
#define IA32_SYSCALL_VECTOR     0x80
#define NR_VECTORS              256

/* #PF error code bits (SDM vol. 3A 4.7, Figure 4-12). */
#define X86_PF_PROT             (1u << 0)   /* 0: page not present; 1: protection */
#define X86_PF_WRITE            (1u << 1)
#define X86_PF_USER             (1u << 2)
#define X86_PF_RSVD             (1u << 3)   /* reserved bit set in an entry */
#define X86_PF_INSTR            (1u << 4)   /* instruction fetch (NX) */
#define X86_PF_PK               (1u << 5)   /* protection key */
#define X86_PF_SHSTK            (1u << 6)   /* shadow-stack access */

/* Selector error code bits, #TS #NP #SS #GP (SDM vol. 3A 6.13). */
#define X86_EC_EXT              (1u << 0)   /* external event */
#define X86_EC_IDT              (1u << 1)   /* index names an IDT gate */
#define X86_EC_TI               (1u << 2)   /* index names an LDT entry */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/i386/trap_frame.h"

/* Called by entry.S for every vector, with the saved frame. */
void trap_dispatch(struct trap_frame *f);

/* "page fault" for 14, ...; "reserved" for the vectors Intel reserves. */
const char *exception_name(uint32_t vector);

/*
 * The Linux signal a user-mode exception raises (SIGSEGV for #GP, ...), or
 * 0 for the vectors that are never the process's doing (NMI, #DF, #MC).
 */
int exception_signal(uint32_t vector);

/*
 * Describe an exception's error code in words into buf: the #PF bits, or
 * the selector a #TS/#NP/#SS/#GP names.  Returns buf.
 */
char *format_error_code(uint32_t vector, uint32_t error_code, char *buf, size_t size);

/* Print every register of f, and CR0-CR4, at LOG_EMERG. */
void show_regs(const struct trap_frame *f);

/*
 * The page-fault entry (arch/i386/fault.c): returns true if the fault was
 * resolved (demand paging, copy-on-write, a window page, a uaccess fixup)
 * and execution can go on.
 */
bool do_page_fault(struct trap_frame *f, uint32_t cr2);

/*
 * A user-mode exception that raises signal: the line in the log, then the
 * process dies.  cr2: the faulting address read at entry (page faults).
 */
void user_fault(struct trap_frame *f, uint32_t cr2, int signal);
/* That line, without a newline, into buf; returns snprintf's length. */
int format_user_fault(char *buf, size_t size, const struct trap_frame *f, uint32_t cr2,
		      int signal);

/*
 * int $0x80, called by entry.S with the saved frame: the system call
 * (kernel/syscall.c), then the work on the way out (trap_exit_work).
 */
void syscall_trap(struct trap_frame *f);

/*
 * The work on the way out of every trap (kernel/trap_exit.c), with
 * interrupts off: exit or reschedule before user mode, kernel preemption.
 */
void trap_exit_work(struct trap_frame *f);

/* Vectors that arrived with nothing to handle them (see the map above). */
extern unsigned int unexpected_vector_count;

#endif /* !__ASSEMBLER__ */
#endif
