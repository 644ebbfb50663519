/*
 * User floating-point state (x87, and SSE where the CPU has it).  The
 * kernel itself never touches these registers (-mgeneral-regs-only), so
 * only user tasks carry state: copied by fork, reset by exec.
 *
 * A program gets FPU state on its first FPU or SSE instruction: until
 * then it runs with CR0.TS set, and that instruction raises #NM (SDM vol.
 * 3A 2.5, 12.5), which fpu_first_use answers.  From then on its state is
 * saved and restored eagerly at every switch, as on Linux.  Most programs
 * here never touch the FPU and so never pay the FXSAVE and FXRSTOR (under
 * QEMU TCG about half the cost of a switch).  No program ever sees another
 * one's registers: before a program without state runs, registers that
 * hold someone's state are reset.
 */
#ifndef ARCH_I386_FPU_H
#define ARCH_I386_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* An FXSAVE image (512 bytes, 16-byte aligned), or an FNSAVE one in its first 108. */
struct fpu_state {
	uint8_t area[512];
} __attribute__((aligned(16)));

/* This CPU: let user mode use the FPU (and SSE, where there is one). */
void fpu_cpu_init(void);
/* Boot CPU: fpu_cpu_init, then record the reset state new programs start with. */
void fpu_init(void);
/* The state a new program starts with (as after FNINIT). */
void fpu_init_state(struct fpu_state *s);
/* Save this CPU's FPU registers into s / load them from s.  CR0.TS clear. */
void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);

struct task;
/* The FPU from prev to next at a task switch.  Interrupts off. */
void fpu_switch(struct task *prev, struct task *next);
/* #NM from user mode: current gets its FPU state now.  False if it had it already. */
bool fpu_first_use(void);
/* Current's FPU state after exec: none, as a new program has (interrupts on). */
void fpu_exec_reset(void);
/* t's FPU state for a child c (fork, clone): the registers as they are now. */
void fpu_copy(struct task *c, struct task *t);

#endif
