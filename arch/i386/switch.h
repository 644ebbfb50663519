/*
 * The context switch's assembly (switch.S) and what C shares with it: the
 * structure offsets switch.S uses (asserted against the C structs in
 * switch_frame.c) and the frame a new task's first switch_to pops.
 */
#ifndef ARCH_I386_SWITCH_H
#define ARCH_I386_SWITCH_H

#define TASK_THREAD_ESP         0       /* offsetof(struct task, thread.esp) */
#define UKVA_SWITCH_CR3         0       /* offsetof(struct ukva_switch, cr3) */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct task;
struct ukva_switch;

/*
 * Save prev's callee-saved registers and stack pointer, do what sw says
 * the address space needs (a CR3 write when sw->cr3), and continue on
 * next's stack.  Returns, in next, the task switched away from.
 * Interrupts off.  sw is read before the stack may change.
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
