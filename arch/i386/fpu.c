/*
 * FPU state (SDM vol. 1 chapters 8 and 10.5; vol. 3A 2.5 for CR0.MP/EM/
 * TS/NE and CR4.OSFXSR/OSXMMEXCPT).  FXSAVE where CPUID says FXSR,
 * FNSAVE on older CPUs.
 */
#include <stdbool.h>
#include "arch/i386/fpu.h"
#include "arch/i386/cpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define CPUID1_EDX_FPU          (1u << 0)
#define CPUID1_EDX_FXSR         (1u << 24)
#define CPUID1_EDX_SSE          (1u << 25)
#define CR0_MP                  (1u << 1)
#define CR0_EM                  (1u << 2)
#define CR0_TS                  (1u << 3)
#define CR0_NE                  (1u << 5)
#define CR4_OSFXSR              (1u << 9)
#define CR4_OSXMMEXCPT          (1u << 10)

static bool have_fxsr;
static struct fpu_state reset_state;

void fpu_cpu_init(void)
{
	uint32_t edx = cpuid(1).edx;

	/* A real FPU, reporting errors as #MF; no emulation, no lazy switching. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	have_fxsr = edx & CPUID1_EDX_FXSR;
	if (have_fxsr)
		write_cr4(read_cr4() | CR4_OSFXSR | ((edx & CPUID1_EDX_SSE) ? CR4_OSXMMEXCPT : 0));
	__asm__ volatile("fninit");
}

void fpu_init(void)
{
	uint32_t edx = cpuid(1).edx;

	fpu_cpu_init();
	fpu_save(&reset_state);
	pr_info("fpu: x87%s%s, saved with %s\n", (edx & CPUID1_EDX_FPU) ? "" : " (absent?)",
		(edx & CPUID1_EDX_SSE) ? " + SSE" : "", have_fxsr ? "FXSAVE" : "FNSAVE");
}

void fpu_init_state(struct fpu_state *s)
{
	memcpy(s, &reset_state, sizeof(*s));
}

void fpu_save(struct fpu_state *s)
{
	if (have_fxsr)
		__asm__ volatile("fxsave %0" : "=m"(*s));
	else
		__asm__ volatile("fnsave %0; fwait" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
	if (have_fxsr)
		__asm__ volatile("fxrstor %0" : : "m"(*s));
	else
		__asm__ volatile("frstor %0" : : "m"(*s));
}
