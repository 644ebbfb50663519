/*
 * User floating-point state (x87, and SSE where the CPU has it).  The
 * kernel itself never touches these registers (-mgeneral-regs-only), so
 * only user tasks carry state: saved and restored eagerly at every switch
 * between user tasks, copied by fork, reset by exec.
 */
#ifndef ARCH_I386_FPU_H
#define ARCH_I386_FPU_H

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
/* Save this CPU's FPU registers into s / load them from s. */
void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);

#endif
