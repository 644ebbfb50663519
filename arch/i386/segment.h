/*
 * Segment selectors and the GDT layout.
 *
 * The layout is Linux's i386 one (arch/x86/include/asm/segment.h), so the
 * selectors a static i386 binary sees in %cs, %ds and set_thread_area are
 * the same here as on Linux.  Every CPU has its own GDT with this layout
 * (struct cpu_descriptors, gdt.h):
 *
 *   entry  selector  use
 *    0               null
 *    1-5             unused
 *    6-8   0x33-0x43 TLS slots for set_thread_area (user, DPL 3); empty
 *                    until a task loads its own into its CPU's GDT
 *    9-11            unused
 *   12     0x60      kernel code   (__KERNEL_CS)  flat 4 GiB, DPL 0
 *   13     0x68      kernel data   (__KERNEL_DS)  flat 4 GiB, DPL 0
 *   14     0x73      user code     (__USER_CS)    flat 4 GiB, DPL 3
 *   15     0x7b      user data     (__USER_DS)    flat 4 GiB, DPL 3
 *   16     0x80      this CPU's TSS (__TSS)
 *   17-26            unused (Linux: LDT, PnP BIOS, APM, ESPFIX)
 *   27     0xd8      this CPU's struct cpu (__KERNEL_PERCPU), DPL 0: base
 *                    &cpus[id], limit its size; %fs in kernel mode, so
 *                    this_cpu() is one %fs-relative load (percpu.h)
 *   28-30            unused
 *   31     0xf8      this CPU's double-fault TSS (__DOUBLEFAULT_TSS)
 *
 * A selector is index * 8 | TI (0: GDT) | RPL (SDM vol. 3A 3.4.2).
 */
#ifndef ARCH_I386_SEGMENT_H
#define ARCH_I386_SEGMENT_H

#define GDT_ENTRY_TLS_MIN               6
#define GDT_ENTRY_TLS_ENTRIES           3
#define GDT_ENTRY_TLS_MAX               (GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES - 1)
#define GDT_ENTRY_KERNEL_CS             12
#define GDT_ENTRY_KERNEL_DS             13
#define GDT_ENTRY_DEFAULT_USER_CS       14
#define GDT_ENTRY_DEFAULT_USER_DS       15
#define GDT_ENTRY_TSS                   16
#define GDT_ENTRY_PERCPU                27
#define GDT_ENTRY_DOUBLEFAULT_TSS       31
#define GDT_ENTRIES                     32

#define SEGMENT_RPL_MASK                0x3
#define USER_RPL                        0x3

#define __KERNEL_CS             (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS             (GDT_ENTRY_KERNEL_DS * 8)
#define __USER_CS               (GDT_ENTRY_DEFAULT_USER_CS * 8 + USER_RPL)
#define __USER_DS               (GDT_ENTRY_DEFAULT_USER_DS * 8 + USER_RPL)
#define __TSS                   (GDT_ENTRY_TSS * 8)
#define __KERNEL_PERCPU         (GDT_ENTRY_PERCPU * 8)
#define __DOUBLEFAULT_TSS       (GDT_ENTRY_DOUBLEFAULT_TSS * 8)

/*
 * What the kernel keeps in %ds and %es: the flat user data segment, as
 * Linux i386 does.  A DPL 3 data segment is loadable at CPL 0 (SDM vol.
 * 3A 5.7), and a trap from user mode, whose %ds and %es already hold it,
 * then needs no segment load on entry nor on exit (entry.S): each costs a
 * descriptor fetch, and under QEMU TCG ends the translation block.  %ss
 * must be DPL 0 (SDM 6.12.1) and stays __KERNEL_DS.
 */
#define __KERNEL_DS_ES          __USER_DS

#endif
