/*
 * The kernel image: linked at KERNEL_VIRT_BASE + KERNEL_PHYS_LOAD, loaded at
 * KERNEL_PHYS_LOAD, both from mm/memlayout.h: the Makefile runs this file
 * through the C preprocessor into build/linker.ld.
 *
 * Sections are page aligned so that mm/ can map text read-only+executable,
 * rodata read-only, and data/bss non-executable.  The embedded symbol table
 * (.ksyms) comes after text and rodata, so regenerating it in the second link
 * never moves a function (see the Makefile's two-pass link).
 */
#include "mm/memlayout.h"

OUTPUT_FORMAT(elf32-i386)
OUTPUT_ARCH(i386)

/*
 * The boot loader jumps to _start with paging off.  The ELF entry stays the
 * linked (virtual) address: GRUB accepts only an entry that lies inside a
 * segment's virtual range and jumps to it translated by p_paddr - p_vaddr;
 * QEMU's -kernel loader translates it the same way.
 */
ENTRY(_start)

SECTIONS
{
	. = KERNEL_VIRT_BASE + KERNEL_PHYS_LOAD;
	__kernel_start = .;

	.text ALIGN(4K) : AT(ADDR(.text) - KERNEL_VIRT_BASE) {
		__text_start = .;
		KEEP(*(.multiboot))     /* must sit in the first 8 KiB of the file */
		*(.boot.text)
		*(.text .text.*)
		*(.fixup)                 /* where faulting uaccess and segment loads resume */
		__text_end = .;
	}

	.rodata ALIGN(4K) : AT(ADDR(.rodata) - KERNEL_VIRT_BASE) {
		__rodata_start = .;
		*(.rodata .rodata.*)
		. = ALIGN(4);
		__ktest_suites_start = .;
		KEEP(*(.ktest_suites))
		__ktest_suites_end = .;
		. = ALIGN(4);
		__boot_params_start = .;
		KEEP(*(.boot_params))
		__boot_params_end = .;
		. = ALIGN(4);
		__start___ex_table = .;
		KEEP(*(__ex_table))
		__stop___ex_table = .;
		. = ALIGN(4);
		__ksyms_start = .;
		KEEP(*(.ksyms))
		__rodata_end = .;
	}

	.data ALIGN(4K) : AT(ADDR(.data) - KERNEL_VIRT_BASE) {
		__data_start = .;
		*(.data .data.*)
	}

	.bss ALIGN(4K) : AT(ADDR(.bss) - KERNEL_VIRT_BASE) {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4K);
		__bss_end = .;
	}

	__kernel_end = .;

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
