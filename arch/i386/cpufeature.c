/*
 * CPUID feature detection (Intel SDM vol. 2A, CPUID; vol. 3A 4.1.4).
 */
#include "arch/i386/cpufeature.h"
#include "arch/i386/cpu.h"
#include "arch/i386/power.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define CPUID1_EDX_PSE  (1u << 3)
#define CPUID1_EDX_TSC  (1u << 4)
#define CPUID1_EDX_PAE  (1u << 6)
#define CPUID1_EDX_APIC (1u << 9)
#define CPUID1_EDX_PGE  (1u << 13)
#define EXT1_EDX_NX     (1u << 20)
#define EXT7_EDX_INVTSC (1u << 8)

/* The classic PAE limit this kernel is built around: 64 GiB. */
#define PAE_PHYS_BITS   36

struct cpu_features boot_cpu;

unsigned long long cpu_nx_bit(void)
{
	return boot_cpu.nx ? 1ULL << 63 : 0;
}

static void read_vendor_and_brand(struct cpu_features *f, uint32_t max_ext)
{
	struct cpuid_regs r = cpuid(0);
	memcpy(f->vendor + 0, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);
	f->vendor[12] = '\0';

	if (max_ext < 0x80000004) {
		memcpy(f->brand, "(no brand string)", 18);
		return;
	}
	for (uint32_t leaf = 0; leaf < 3; leaf++) {
		r = cpuid(0x80000002 + leaf);
		memcpy(f->brand + 16 * leaf, &r, 16);
	}
	f->brand[48] = '\0';
}

static void detect(struct cpu_features *f)
{
	struct cpuid_regs r = cpuid(1);
	uint32_t max_ext = cpuid(0x80000000).eax;

	f->stepping = r.eax & 0xF;
	f->model = (r.eax >> 4) & 0xF;
	f->family = (r.eax >> 8) & 0xF;
	if (f->family == 0xF)
		f->family += (r.eax >> 20) & 0xFF;
	if (f->family == 0x6 || f->family >= 0xF)
		f->model |= ((r.eax >> 16) & 0xF) << 4;
	f->pse = r.edx & CPUID1_EDX_PSE;
	f->tsc = r.edx & CPUID1_EDX_TSC;
	f->pae = r.edx & CPUID1_EDX_PAE;
	f->apic = r.edx & CPUID1_EDX_APIC;
	f->pge = r.edx & CPUID1_EDX_PGE;

	if (max_ext >= 0x80000001)
		f->nx = cpuid(0x80000001).edx & EXT1_EDX_NX;
	if (max_ext >= 0x80000007)
		f->invariant_tsc = cpuid(0x80000007).edx & EXT7_EDX_INVTSC;
	/* Without leaf 0x80000008 a PAE CPU addresses 36 bits (SDM 4.1.4). */
	f->phys_bits = max_ext >= 0x80000008 ? (cpuid(0x80000008).eax & 0xFF) : PAE_PHYS_BITS;
	f->phys_limit_bits = f->phys_bits < PAE_PHYS_BITS ? f->phys_bits : PAE_PHYS_BITS;
	read_vendor_and_brand(f, max_ext);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* Turn on, on the calling CPU, what the kernel uses of f: NX (EFER.NXE), global pages. */
static void enable_features(const struct cpu_features *f)
{
	if (f->nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	if (f->pge)
		write_cr4(read_cr4() | CR4_PGE);
}

void cpu_init_secondary(unsigned cpu)
{
	struct cpu_features f;

	detect(&f);
	if (!f.pae || f.nx != boot_cpu.nx || f.pge != boot_cpu.pge || !f.apic)
		panic("cpu: CPU %u differs from the boot CPU: PAE %u, NX %u/%u, PGE %u/%u, APIC %u",
		      cpu, f.pae, f.nx, boot_cpu.nx, f.pge, boot_cpu.pge, f.apic);
	enable_features(&boot_cpu);
}

void cpu_init(void)
{
	struct cpu_features *f = &boot_cpu;

	detect(f);
	pr_info("cpu: %s family %u model %u stepping %u: %s\n",
		f->vendor, f->family, f->model, f->stepping, f->brand);
	pr_info("cpu: PAE %s, PGE %s, NX %s, PSE %s, APIC %s, TSC %s%s, MAXPHYADDR %u bits\n",
		yes_no(f->pae), yes_no(f->pge), yes_no(f->nx), yes_no(f->pse),
		yes_no(f->apic), yes_no(f->tsc), f->invariant_tsc ? " (invariant)" : "",
		f->phys_bits);
	if (!f->pae) {
		pr_emerg("cpu: no PAE: this kernel cannot run here\n");
		machine_exit(false);
	}
	enable_features(f);
	if (!f->nx)
		pr_warn("cpu: no NX: data and stacks stay executable\n");
	if (!f->pge)
		pr_warn("cpu: no PGE: kernel TLB entries are flushed on every CR3 write\n");
	pr_info("cpu: physical addresses limited to %u bits (%llu GiB)\n",
		f->phys_limit_bits, (1ULL << f->phys_limit_bits) >> 30);
}
