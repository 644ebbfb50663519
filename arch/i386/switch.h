/*
 * The context switch's assembly (switch.S) and what C shares with it: the
 * structure offsets switch.S uses (asserted against the C structs in
 * switch_frame.c) and the frame a new task's first switch_to pops.
 */
#ifndef ARCH_I386_SWITCH_H
#define ARCH_I386_SWITCH_H

#define TASK_THREAD_ESP         0       /* offsetof(struct task, thread.esp) */
#define UKVA_SWITCH_CR3         0       /* offsetof(struct ukva_switch, cr3) */
#define UKVA_SWITCH_PMD         4       /* ... pmd */
#define UKVA_SWITCH_PMD_VAL     8       /* ... pmd_val (low half, then high) */
#define UKVA_SWITCH_FLUSH       16      /* ... flush (slots 0-31, then 32-63) */
#define UKVA_SWITCH_STACK       24      /* ... switch_stack */
#define UKVA_SWITCH_FLUSH_BASE  0xFFE00000      /* UKVA_SLOT(0) (mm/ukva/window.h) */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct task;
struct ukva_switch;

/*
 * Save prev's callee-saved registers and stack pointer, do what sw says
 * the address space needs (a kernel PMD entry rewritten on a per-CPU
 * stack when sw->pmd, a CR3 write when sw->cr3, else INVLPG of the window
 * slots in sw->flush), and continue on next's stack.  Returns, in next,
 * the task switched away from.  Interrupts off.  sw is read before the
 * stack may change.
 */
struct task *switch_to(struct task *prev, struct task *next, const struct ukva_switch *sw);

/* Where a new task's first switch_to returns (switch.S). */
void ret_from_kthread(void);
void ret_from_fork(void);

/*
 * Build on new task t's kernel stack the frame its first switch_to pops
 * (edi, esi, ebx, ebp zeroed, then a return into entry), below `used`
 * bytes already at the top (fork's copy of the trap frame).  Written
 * through the stack's direct-map address; t->thread.esp is made relative
 * to t->thread.esp0, which in per-task mode is the window's address of
 * the same stack, so the mode must be attached first.
 */
void switch_frame_init(struct task *t, void (*entry)(void), uint32_t used);
#endif

#endif
