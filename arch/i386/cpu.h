/* Control registers, MSRs, CPUID and the instructions that touch them. */
#ifndef ARCH_I386_CPU_H
#define ARCH_I386_CPU_H

/* Bits as plain hex, so that the boot code's assembly includes them too. */
#define CR0_PE          0x00000001
#define CR0_MP          0x00000002
#define CR0_EM          0x00000004
#define CR0_TS          0x00000008
#define CR0_NE          0x00000020
#define CR0_WP          0x00010000
#define CR0_NW          0x20000000      /* not write-through (set by INIT) */
#define CR0_CD          0x40000000      /* cache disable (set by INIT) */
#define CR0_PG          0x80000000
#define CR4_PSE         0x00000010
#define CR4_PAE         0x00000020
#define CR4_PGE         0x00000080
#define CR4_OSFXSR      0x00000200
#define CR4_OSXMMEXCPT  0x00000400

#define MSR_EFER        0xC0000080
#define EFER_NXE        0x00000800

#define EFLAGS_IF       0x00000200

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(0));
	return r;
}

#define DEFINE_CR_ACCESSORS(n)                                          \
	static inline uint32_t read_cr##n(void)                         \
	{                                                               \
		uint32_t v;                                             \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));       \
		return v;                                               \
	}                                                               \
	static inline void write_cr##n(uint32_t v)                      \
	{                                                               \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t read_eflags(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt");
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/* Are maskable interrupts off on this CPU (EFLAGS.IF clear)? */
static inline bool irqs_disabled(void)
{
	return !(read_eflags() & EFLAGS_IF);
}

/* Disable interrupts and return the previous EFLAGS, for irq_restore. */
static inline uint32_t local_irq_save(void)
{
	uint32_t flags = read_eflags();
	local_irq_disable();
	return flags;
}

static inline void local_irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		local_irq_enable();
}

#endif /* !__ASSEMBLER__ */

#endif
