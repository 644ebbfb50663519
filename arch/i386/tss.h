/*
 * Task-state segments.  The kernel does its own task switching in software;
 * it uses the hardware TSS for two things only (SDM vol. 3A 7.2, 7.7):
 *
 *  - the main TSS gives the ring-0 stack (SS0:ESP0) the CPU switches to when
 *    an interrupt or exception arrives in user mode (SDM 6.12.1), and its
 *    I/O bitmap base lies past its limit, so user IN/OUT always faults;
 *  - the double-fault TSS is a separate task that the #DF task gate switches
 *    to, with its own stack and CR3, so a fault while delivering a fault
 *    (a kernel stack overflow) is reported instead of triple-faulting.
 *
 * Each CPU owns one of each, inside its struct cpu_descriptors (gdt.h).
 */
#ifndef ARCH_I386_TSS_H
#define ARCH_I386_TSS_H

#include <stdint.h>

/* The 32-bit hardware TSS (SDM vol. 3A 7.2.1, Figure 7-2). */
struct tss_struct {
	uint16_t back_link, __blh;      /* previous task, for nested tasks */
	uint32_t esp0;
	uint16_t ss0, __ss0h;
	uint32_t esp1;
	uint16_t ss1, __ss1h;
	uint32_t esp2;
	uint16_t ss2, __ss2h;
	uint32_t cr3;
	uint32_t eip;
	uint32_t eflags;
	uint32_t eax, ecx, edx, ebx;
	uint32_t esp, ebp, esi, edi;
	uint16_t es, __esh;
	uint16_t cs, __csh;
	uint16_t ss, __ssh;
	uint16_t ds, __dsh;
	uint16_t fs, __fsh;
	uint16_t gs, __gsh;
	uint16_t ldt, __ldth;
	uint16_t trace;                 /* bit 0: T, debug trap on task switch */
	uint16_t io_bitmap_base;
};

_Static_assert(sizeof(struct tss_struct) == 104, "SDM Figure 7-2: a 32-bit TSS is 104 bytes");

/* TSS descriptor limit: the whole structure, no I/O bitmap (SDM 7.2.2). */
#define TSS_LIMIT               (sizeof(struct tss_struct) - 1)
/*
 * An I/O bitmap base at or past the limit means "no bitmap": IN/OUT at
 * CPL > IOPL fault with #GP (SDM vol. 1 19.5.2).
 */
#define IO_BITMAP_OFFSET_INVALID ((uint16_t)sizeof(struct tss_struct))

/* entry.S: where the double-fault task starts. */
extern char doublefault_task_entry[];

/* Fill a main TSS: ring-0 stack __KERNEL_DS:esp0, no I/O bitmap. */
void tss_init(struct tss_struct *tss, uint32_t esp0);

/*
 * Fill a double-fault TSS: a ring-0 task starting at doublefault_task_entry
 * on the given stack, interrupts off, on the page tables in CR3 now.
 */
void doublefault_tss_init(struct tss_struct *tss, uint32_t stack_top);

/*
 * Set the stack this CPU switches to on an interrupt or exception from user
 * mode.  Call with interrupts off (the scheduler does, at each switch).
 */
void tss_set_kernel_stack(uint32_t esp0);

/*
 * Set the page tables this CPU's double-fault task runs on.  mm calls it
 * when it replaces the boot page tables; a task switch loads CR3 from the
 * TSS (SDM vol. 3A 7.3), so the tables must map the kernel and every
 * kernel stack the report reads.
 */
void doublefault_set_cr3(uint32_t cr3);

#endif
