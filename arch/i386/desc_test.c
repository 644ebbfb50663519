/*
 * The descriptor tables as the CPU sees them, read back with SGDT, SIDT
 * and STR: the Linux GDT layout, the loaded TSS, the double-fault task,
 * and a gate for every vector.
 */
#include "kernel/ktest.h"
#include "arch/i386/cpu.h"
#include "arch/i386/desc.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/percpu.h"
#include "arch/i386/traps.h"

_Static_assert(__KERNEL_CS == 0x60 && __KERNEL_DS == 0x68, "Linux kernel selectors");
_Static_assert(__USER_CS == 0x73 && __USER_DS == 0x7b, "Linux user selectors");


/* The id field read through %fs, independently of this_cpu(). */
static unsigned smp_id_through_fs(void)
{
	unsigned id;

	__asm__ volatile("movl %%fs:%c1, %0" : "=r"(id) : "i"(offsetof(struct cpu, id)));
	return id;
}

#define SELECTOR_OF(seg) ({ uint16_t __s; __asm__ volatile("mov %%" #seg ", %0" : "=rm"(__s)); __s; })

static const struct desc_struct *loaded_gdt(void)
{
	return (const struct desc_struct *)store_gdt().address;
}

/* A flat 4 GiB, 32-bit, present segment of the given type and DPL. */
static void expect_flat(struct ktest *t, struct desc_struct d, uint8_t type, unsigned dpl)
{
	KTEST_EXPECT_EQ(t, desc_base(d), 0);
	KTEST_EXPECT_EQ(t, desc_limit(d), 0xFFFFF);
	KTEST_EXPECT_EQ(t, desc_flags(d), DESC_FLAG_G | DESC_FLAG_DB);
	KTEST_EXPECT_EQ(t, desc_access(d) & ~DESC_TYPE_ACCESSED,
			DESC_P | DESC_DPL(dpl) | DESC_S | type);
}

static void gdt_has_linux_layout(struct ktest *t)
{
	struct desc_ptr gdtr = store_gdt();
	const struct desc_struct *gdt = loaded_gdt();

	KTEST_EXPECT_EQ(t, gdtr.address, (uint32_t)this_cpu_descriptors()->gdt);
	KTEST_EXPECT_EQ(t, gdtr.size, GDT_ENTRIES * 8 - 1);
	KTEST_EXPECT_EQ(t, gdt[0].lo | gdt[0].hi, 0);
	expect_flat(t, gdt[GDT_ENTRY_KERNEL_CS], DESC_TYPE_CODE_XR, 0);
	expect_flat(t, gdt[GDT_ENTRY_KERNEL_DS], DESC_TYPE_DATA_RW, 0);
	expect_flat(t, gdt[GDT_ENTRY_DEFAULT_USER_CS], DESC_TYPE_CODE_XR, 3);
	expect_flat(t, gdt[GDT_ENTRY_DEFAULT_USER_DS], DESC_TYPE_DATA_RW, 3);
	for (unsigned i = GDT_ENTRY_TLS_MIN; i <= GDT_ENTRY_TLS_MAX; i++)
		KTEST_EXPECT_EQ(t, desc_access(gdt[i]) & DESC_P, 0);
}

static void segment_registers_hold_kernel_selectors(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, SELECTOR_OF(cs), __KERNEL_CS);
	KTEST_EXPECT_EQ(t, SELECTOR_OF(ds), __KERNEL_DS_ES);
	KTEST_EXPECT_EQ(t, SELECTOR_OF(es), __KERNEL_DS_ES);
	KTEST_EXPECT_EQ(t, SELECTOR_OF(ss), __KERNEL_DS);
	KTEST_EXPECT_EQ(t, SELECTOR_OF(fs), __KERNEL_PERCPU);
}

/*
 * The per-CPU segment covers exactly this CPU's struct cpu, and the
 * %fs-relative reads of percpu.h land in it.
 */
static void percpu_segment_is_this_cpus(struct ktest *t)
{
	uint32_t flags = local_irq_save();      /* stay on this CPU */
	struct desc_struct d = loaded_gdt()[GDT_ENTRY_PERCPU];
	struct cpu *cpu = this_cpu();
	unsigned id = smp_id_through_fs();
	struct task *curr = current;
	local_irq_restore(flags);

	KTEST_EXPECT_EQ(t, desc_access(d) & ~DESC_TYPE_ACCESSED,
			DESC_P | DESC_DPL(0) | DESC_S | DESC_TYPE_DATA_RW);
	KTEST_EXPECT_EQ(t, desc_flags(d), DESC_FLAG_DB);        /* byte granular */
	KTEST_EXPECT_EQ(t, desc_limit(d), sizeof(struct cpu) - 1);
	KTEST_EXPECT_EQ(t, desc_base(d), (uint32_t)cpu);
	KTEST_ASSERT(t, id < NR_CPUS);
	KTEST_EXPECT(t, cpu == &cpus[id]);
	KTEST_EXPECT(t, cpu->self == cpu);
	KTEST_EXPECT(t, curr == cpu->current_task);
}

static void tss_is_loaded(struct ktest *t)
{
	const struct cpu_descriptors *cd = this_cpu_descriptors();
	struct desc_struct d = loaded_gdt()[GDT_ENTRY_TSS];
	uint32_t tss = (uint32_t)&cd->tss;

	KTEST_EXPECT_EQ(t, store_tr(), __TSS);
	KTEST_EXPECT_EQ(t, desc_access(d), DESC_P | DESC_TYPE_TSS_BUSY);       /* LTR set busy */
	KTEST_EXPECT_EQ(t, desc_base(d), tss);
	KTEST_EXPECT_EQ(t, desc_limit(d), 103);
	KTEST_EXPECT_EQ(t, cd->tss.ss0, __KERNEL_DS);
	KTEST_EXPECT(t, cd->tss.io_bitmap_base > desc_limit(d));
	KTEST_EXPECT_EQ(t, tss / 4096, (tss + 103) / 4096);    /* SDM 7.2.1 */
}

static void tss_set_kernel_stack_sets_esp0(struct ktest *t)
{
	struct cpu_descriptors *cd = this_cpu_descriptors();
	uint32_t old = cd->tss.esp0;

	tss_set_kernel_stack(0xC0DE0000);
	uint32_t now = cd->tss.esp0;
	tss_set_kernel_stack(old);
	KTEST_EXPECT_EQ(t, now, 0xC0DE0000);
}

static void double_fault_has_own_task(struct ktest *t)
{
	struct cpu_descriptors *cd = this_cpu_descriptors();
	const struct tss_struct *df = &cd->doublefault_tss;
	const struct desc_struct *idt = (const struct desc_struct *)store_idt().address;
	struct desc_struct d = loaded_gdt()[GDT_ENTRY_DOUBLEFAULT_TSS];
	uint32_t stack = (uint32_t)cd->doublefault_stack;

	KTEST_EXPECT_EQ(t, desc_access(idt[X86_TRAP_DF]), DESC_P | DESC_TYPE_TASK_GATE);
	KTEST_EXPECT_EQ(t, gate_selector(idt[X86_TRAP_DF]), __DOUBLEFAULT_TSS);
	KTEST_EXPECT_EQ(t, desc_access(d), DESC_P | DESC_TYPE_TSS_AVAIL);      /* switchable */
	KTEST_EXPECT_EQ(t, desc_base(d), (uint32_t)df);
	KTEST_EXPECT_EQ(t, desc_limit(d), 103);
	KTEST_EXPECT_EQ(t, df->eip, (uint32_t)doublefault_task_entry);
	KTEST_EXPECT_EQ(t, df->esp, stack + DOUBLEFAULT_STACK_SIZE);
	KTEST_EXPECT_EQ(t, df->cs, __KERNEL_CS);
	KTEST_EXPECT_EQ(t, df->ss, __KERNEL_DS);
	KTEST_EXPECT_EQ(t, df->ds, __KERNEL_DS);
	KTEST_EXPECT_EQ(t, df->fs, __KERNEL_PERCPU);
	KTEST_EXPECT_EQ(t, df->cr3, read_cr3());
	KTEST_EXPECT(t, !(df->eflags & EFLAGS_IF));
	KTEST_EXPECT_EQ(t, (uint32_t)df / 4096, ((uint32_t)df + 103) / 4096);
}

static void doublefault_set_cr3_sets_cr3(struct ktest *t)
{
	struct cpu_descriptors *cd = this_cpu_descriptors();
	uint32_t old = cd->doublefault_tss.cr3;

	doublefault_set_cr3(0x1000);
	uint32_t now = cd->doublefault_tss.cr3;
	doublefault_set_cr3(old);
	KTEST_EXPECT_EQ(t, now, 0x1000);
}

/* Gate type and DPL per vector, as the table in idt.h draws them. */
static void idt_has_a_gate_for_every_vector(struct ktest *t)
{
	struct desc_ptr idtr = store_idt();
	const struct desc_struct *idt = (const struct desc_struct *)idtr.address;
	unsigned bad = 0;

	KTEST_EXPECT_EQ(t, idtr.size, NR_VECTORS * 8 - 1);
	for (unsigned v = 0; v < NR_VECTORS; v++) {
		if (v == X86_TRAP_DF)
			continue;
		bool user = v == X86_TRAP_BP || v == X86_TRAP_OF || v == IA32_SYSCALL_VECTOR;
		uint8_t type = v == IA32_SYSCALL_VECTOR ? DESC_TYPE_TRAP_GATE : DESC_TYPE_INTR_GATE;
		struct desc_struct g = idt[v];
		if (desc_access(g) != (DESC_P | DESC_DPL(user ? 3 : 0) | type) ||
		    gate_selector(g) != __KERNEL_CS || gate_offset(g) != trap_stub_table[v]) {
			if (!bad)
				ktest_diag(t, "vector %u: gate %08x %08x", v, g.hi, g.lo);
			bad++;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0);
}

KTEST_SUITE(descriptors,
	KTEST_CASE(gdt_has_linux_layout),
	KTEST_CASE(segment_registers_hold_kernel_selectors),
	KTEST_CASE(percpu_segment_is_this_cpus),
	KTEST_CASE(tss_is_loaded),
	KTEST_CASE(tss_set_kernel_stack_sets_esp0),
	KTEST_CASE(double_fault_has_own_task),
	KTEST_CASE(doublefault_set_cr3_sets_cr3),
	KTEST_CASE(idt_has_a_gate_for_every_vector));
