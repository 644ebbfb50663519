/*
 * Multiboot (version 1) entry.  GRUB and QEMU's -kernel both load the ELF at
 * its physical addresses and jump to _start with paging off, EAX holding the
 * boot loader magic and EBX the physical address of the multiboot info.
 *
 * Before paging we check for PAE: a CPU without it would triple-fault on the
 * CR4 write below, so it gets a message on COM1 and the VGA screen instead.
 *
 * The early tables map physical [0, 1 GiB) twice with 2 MiB pages: at 0 (the
 * identity map this code runs in until the far jump) and at KERNEL_VIRT_BASE.
 * mm/paging.c replaces them with the real kernel tables.
 */
#include "mm/memlayout.h"
#include "arch/i386/cpu.h"

#define MB_MAGIC        0x1BADB002
#define MB_FLAGS        0x00000003      /* page-align modules, want memory info */
#define CPUID_PAE       (1 << 6)
#define EFLAGS_ID       (1 << 21)
#define PDE_LARGE_RW    0x83            /* present, writable, 2 MiB page */
#define BOOT_STACK_SIZE 16384
#define COM1            0x3F8

#define PHYS(sym)       ((sym) - KERNEL_VIRT_BASE)

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl $PHYS(boot_stack_top), %esp
	movl %eax, PHYS(boot_magic)
	movl %ebx, PHYS(boot_info_phys)

	/* CPUID exists iff EFLAGS.ID can be toggled. */
	pushfl
	popl %eax
	movl %eax, %ecx
	xorl $EFLAGS_ID, %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	cmpl %eax, %ecx
	je no_pae
	movl $1, %eax
	cpuid
	testl $CPUID_PAE, %edx
	jz no_pae

	/* early_pmd[i] = i * 2 MiB, large page; 512 entries cover 1 GiB. */
	movl $PHYS(early_pmd), %edi
	xorl %eax, %eax
	movl $512, %ecx
1:	movl %eax, %edx
	orl $PDE_LARGE_RW, %edx
	movl %edx, (%edi)
	movl $0, 4(%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 1b

	/* A PDPT entry holds only the present bit and an address (SDM 4.4.1). */
	movl $PHYS(early_pmd), %eax
	orl $1, %eax
	movl %eax, PHYS(early_pgd)
	movl %eax, PHYS(early_pgd) + 24

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(early_pgd), %eax
	movl %eax, %cr3
	/* Multiboot leaves CR0's other bits undefined, and some firmware (Bochs's)
	 * hands over with the caches disabled: turn them on (SDM vol. 3A 11.5.1). */
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	/* Jump to the higher half and leave the identity map behind. */
	movl $higher_half, %eax
	jmp *%eax

no_pae:
	/* Paging is off: write the message to COM1 and to the VGA text screen. */
	movl $PHYS(no_pae_msg), %esi
	movl $0xB8000, %edi
2:	movb (%esi), %al
	testb %al, %al
	jz 4f
	movw $(COM1 + 5), %dx
3:	inb %dx, %al
	testb $0x20, %al                /* transmitter holding register empty */
	jz 3b
	movb (%esi), %al
	movw $COM1, %dx
	outb %al, %dx
	movb $0x4F, %ah                 /* white on red */
	movw %ax, (%edi)
	addl $2, %edi
	incl %esi
	jmp 2b
	/*
	 * Under QEMU with isa-debug-exit, end with the failure status (35);
	 * elsewhere the write goes nowhere and the CPU halts for good.
	 */
4:	movw $0xF4, %dx
	movl $0x11, %eax
	outl %eax, %dx
6:	hlt
	jmp 6b

	.text
higher_half:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp                 /* terminates backtraces */
	pushl boot_info_phys
	pushl boot_magic
	call kmain
5:	cli
	hlt
	jmp 5b

	.section .rodata
no_pae_msg:
	.asciz "FATAL: this CPU has no PAE (CPUID.1:EDX bit 6); this kernel needs it. Halting.\r\n"

	.data
	.globl boot_magic, boot_info_phys
boot_magic:     .long 0
boot_info_phys: .long 0

	.bss
	.align 4096
	.globl early_pmd
early_pmd:      .skip 4096
	.globl early_pgd
	.align 32                       /* the PDPT must be 32-byte aligned */
early_pgd:      .skip 32
	.align 16
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
