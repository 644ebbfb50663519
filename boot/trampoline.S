/*
 * The application processors' way in.  A STARTUP IPI starts an AP in real
 * mode at vector << 12 (SDM vol. 3A 8.4.4.1, 10.6.1): CS = vector << 8,
 * IP = 0.  smpboot.c copies trampoline_start..trampoline_end to
 * TRAMPOLINE_PHYS (below 1 MiB, page aligned) and fills its parameters;
 * the code then runs at that physical address, so it refers to itself
 * only relative to trampoline_start.
 *
 *   16-bit real mode   load the GDT below, set CR0.PE and clear CR0.CD
 *                      and CR0.NW (INIT leaves the caches off: CR0 is
 *                      60000010H, SDM vol. 3A 9.1.1), far jump
 *   32-bit, no paging  flat segments, CR4.PAE, EFER.NXE (the kernel's
 *                      tables set NX bits, reserved without it), CR3 =
 *                      the AP boot PGD: entry 0 maps the first 2 MiB
 *                      1:1 (this code), entry 3 is the kernel PMD
 *   32-bit, paging     stack = the AP's idle-task stack, jump to
 *                      secondary_startup in the higher half
 *
 * start_secondary (smpboot.c) then loads the AP's own GDT, TSS and the IDT,
 * and swapper_pg_dir, which drops the identity map.
 */
#include "arch/i386/smpboot.h"
#include "mm/memlayout.h"
#include "arch/i386/cpu.h"

#define TR_CS           0x08            /* selectors of the trampoline's own GDT */
#define TR_DS           0x10

#define TR_OFFSET(sym)  ((sym) - trampoline_start)
#define TR_PHYS(sym)    (TRAMPOLINE_PHYS + TR_OFFSET(sym))

	.section .rodata
	.balign 32                      /* so tr_params' offset is 32-aligned too */
	.globl trampoline_start, trampoline_end
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds                   /* DS:offset = our own bytes */
	lgdtl TR_OFFSET(tr_gdt_desc)
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $TR_CS, $TR_PHYS(tr_protected)

	.code32
tr_protected:
	movl $TR_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	cmpl $0, TR_PHYS(tr_params) + TP_NX
	je 1f
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
1:	movl TR_PHYS(tr_params) + TP_CR3, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	movl TR_PHYS(tr_params) + TP_STACK, %esp
	movl $secondary_startup, %eax
	jmp *%eax

	/* Flat 4 GiB code and data, as boot/multiboot.S had from the loader. */
	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF        /* 0x08: code, base 0, limit 4 GiB, 32-bit */
	.quad 0x00CF92000000FFFF        /* 0x10: data, base 0, limit 4 GiB, 32-bit */
tr_gdt_desc:
	.word 3 * 8 - 1
	.long TR_PHYS(tr_gdt)

	/* struct trampoline_params (smpboot.h), filled by the boot CPU. */
	.balign 32
	.globl tr_params
tr_params:
	.skip TRAMPOLINE_PARAMS_SIZE
trampoline_end:

/*
 * The AP's first kernel code, on its idle task's stack, paging on, still
 * on the trampoline's GDT (so %fs is no per-CPU segment yet).
 */
	.text
	.globl secondary_startup
secondary_startup:
	xorl %ebp, %ebp                 /* backtraces end here */
	call start_secondary            /* never returns */
2:	hlt
	jmp 2b
