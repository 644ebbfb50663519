/* Control registers, MSRs, CPUID and the instructions that touch them. */
#ifndef ARCH_I386_CPU_H
#define ARCH_I386_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_WP          (1u << 16)
#define CR0_NW          (1u << 29)
#define CR0_CD          (1u << 30)
#define CR0_PG          (1u << 31)
#define CR4_PSE         (1u << 4)
#define CR4_PAE         (1u << 5)
#define CR4_PGE         (1u << 7)

#define MSR_EFER        0xC0000080
#define EFER_NXE        (1u << 11)

#define EFLAGS_IF       (1u << 9)

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

#endif
