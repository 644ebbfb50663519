/*
 * The kernel image's section boundaries, from linker.ld.S.  Every boundary
 * but __rodata_end and __text_end is page aligned; .rodata and .data start
 * on a new page, so rounding those two up stays inside their section.
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[];
extern char __bss_start[], __bss_end[];

#endif
