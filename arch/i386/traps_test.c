/*
 * Every exception kernel code can raise on purpose comes back through the
 * IDT, trap_dispatch() and catch_fault() with the right vector, error code,
 * CR2 and EIP.  Not raised here: NMI and #MC (not the code's doing), #DF
 * (fatal; see ktest=double_fault_report), #TS/#NP/#SS (need a broken
 * TSS or segment descriptor), #MF/#XM (the kernel has no FPU/SIMD state),
 * #AC (ring 3 only).
 */
#include "kernel/ktest.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "arch/i386/cpu.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/fault_catch.h"
#include "arch/i386/traps.h"
#include "mm/memlayout.h"
#include "mm/highmem.h"

/* PGD entry 1 (user space): not mapped in the kernel's own tables. */
#define UNMAPPED_ADDR           0x40000000u
#define BAD_SELECTOR            0x1238u         /* GDT entry 583: past the limit */
#define DR6_BS                  (1u << 14)      /* single step (SDM vol. 3B 18.2.3) */
#define EFLAGS_TF               (1u << 8)

#define __noipa                 __attribute__((noipa))

/* Run fn(arg), which must raise an exception; abort the case otherwise. */
static struct fault_info expect_fault(struct ktest *t, void (*fn)(void *), void *arg)
{
	struct fault_info f = { 0 };

	if (!catch_fault(fn, arg, &f)) {
		ktest_fail(t, __FILE__, __LINE__, "no exception");
		ktest_abort(t);
	}
	return f;
}

/* Is the fault's EIP inside the function named fn? */
static bool eip_in(const struct fault_info *f, const char *fn)
{
	uint32_t off;
	const char *name = ksym_lookup(f->eip, &off);

	return name && strcmp(name, fn) == 0;
}

static __noipa void raise_de(void *arg)
{
	uint32_t eax = 1, edx = 0;

	__asm__ volatile("divl %2" : "+a"(eax), "+d"(edx) : "c"(0u) : "cc");
}

static __noipa void raise_db(void *arg)
{
	/* POPF sets TF; the trap comes after the next instruction (SDM 18.3.1.4). */
	__asm__ volatile("pushfl\n\t"
			 "orl %0, (%%esp)\n\t"
			 "popfl\n\t"
			 "nop" : : "i"(EFLAGS_TF) : "cc", "memory");
}

static __noipa void raise_bp(void *arg)
{
	__asm__ volatile("int3");
}

static __noipa void raise_of(void *arg)
{
	__asm__ volatile("movl $0x7fffffff, %%eax\n\t"
			 "addl $1, %%eax\n\t"
			 "into" : : : "eax", "cc");
}

static const int32_t bounds_0_5[2] = { 0, 5 };

static __noipa void raise_br(void *arg)
{
	__asm__ volatile("bound %0, %1" : : "r"(10), "m"(bounds_0_5));
}

static __noipa void raise_ud(void *arg)
{
	__asm__ volatile("ud2");
}

/* An x87 instruction with CR0.TS set (SDM vol. 3A 6.15 "Interrupt 7"). */
static __noipa void raise_nm(void *arg)
{
	write_cr0(read_cr0() | CR0_TS);
	__asm__ volatile("fnop");
}

static __noipa void raise_gp(void *arg)
{
	__asm__ volatile("movw %w0, %%fs" : : "r"(BAD_SELECTOR));
}

static __noipa void read_word(void *arg)
{
	(void)*(volatile uint32_t *)arg;
}

static __noipa void write_word(void *arg)
{
	*(volatile uint32_t *)arg = *(volatile uint32_t *)arg;
}

static __noipa void call_code(void *arg)
{
	((void (*)(void))arg)();
}

static void divide_error(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_de, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_DE);
	KTEST_EXPECT_EQ(t, f.error_code, 0);
	KTEST_EXPECT(t, eip_in(&f, "raise_de"));
}

static void debug_single_step(struct ktest *t)
{
	uint32_t dr6;

	__asm__ volatile("movl %0, %%dr6" : : "r"(0xFFFF0FF0u));
	struct fault_info f = expect_fault(t, raise_db, NULL);
	__asm__ volatile("movl %%dr6, %0" : "=r"(dr6));
	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_DB);
	KTEST_EXPECT(t, dr6 & DR6_BS);
	KTEST_EXPECT(t, eip_in(&f, "raise_db"));
	KTEST_EXPECT(t, !(read_eflags() & EFLAGS_TF));
}

static void breakpoint(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_bp, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_BP);
	KTEST_EXPECT_EQ(t, f.error_code, 0);
	KTEST_EXPECT(t, eip_in(&f, "raise_bp"));        /* a trap: EIP is past int3 */
}

static void overflow(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_of, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_OF);
	KTEST_EXPECT(t, eip_in(&f, "raise_of"));
}

static void bound_range(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_br, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_BR);
	KTEST_EXPECT(t, eip_in(&f, "raise_br"));
}

static void invalid_opcode(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_ud, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_UD);
	KTEST_EXPECT_EQ(t, *(const uint16_t *)f.eip, 0x0B0F);  /* EIP is the ud2 */
}

static void device_not_available(struct ktest *t)
{
	uint32_t cr0 = read_cr0();
	struct fault_info f;
	bool faulted = catch_fault(raise_nm, NULL, &f);

	write_cr0(cr0);
	KTEST_ASSERT(t, faulted);
	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_NM);
	KTEST_EXPECT(t, eip_in(&f, "raise_nm"));
}

static void general_protection_bad_selector(struct ktest *t)
{
	struct fault_info f = expect_fault(t, raise_gp, NULL);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_GP);
	KTEST_EXPECT_EQ(t, f.error_code, BAD_SELECTOR);        /* SDM 6.13 */
	KTEST_EXPECT(t, eip_in(&f, "raise_gp"));
}

static void page_fault_read_not_present(struct ktest *t)
{
	struct fault_info f = expect_fault(t, read_word, (void *)UNMAPPED_ADDR);

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_PF);
	KTEST_EXPECT_EQ(t, f.error_code, 0);            /* not present, read, kernel */
	KTEST_EXPECT_EQ(t, f.cr2, UNMAPPED_ADDR);
	KTEST_EXPECT(t, eip_in(&f, "read_word"));
}

static __noipa void store_unmapped(void *arg)
{
	*(volatile uint32_t *)arg = 0xdeadbeef;
}

static void page_fault_write_bit(struct ktest *t)
{
	struct fault_info f = expect_fault(t, store_unmapped, (void *)(UNMAPPED_ADDR + 8));

	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_PF);
	KTEST_EXPECT_EQ(t, f.error_code, X86_PF_WRITE);
	KTEST_EXPECT_EQ(t, f.cr2, UNMAPPED_ADDR + 8);
	KTEST_EXPECT(t, eip_in(&f, "store_unmapped"));
}

/* Entry idx of the page table at physical address table (any zone: NUMA text replicas). */
static uint64_t read_table_entry(uint64_t table, unsigned idx)
{
	uint32_t flags = local_irq_save();
	const uint64_t *t = kmap_atomic_pfn((pfn_t)(table >> PAGE_SHIFT));
	uint64_t e = t[idx];

	kunmap_atomic((void *)t);
	local_irq_restore(flags);
	return e;
}

/*
 * How the live page tables map va: the writable and NX bits in effect
 * along the walk (SDM vol. 3A 4.4.2); every table through kmap_atomic.  Returns false if va is unmapped.  A
 * minimal read-only walk for the cases below; mm/ has the real helpers.
 */
static bool lookup_mapping(uint32_t va, bool *writable, bool *nx)
{
	uint64_t table = read_cr3() & ~0x1Fu;
	/* The PDPT may be a highmem one (mm=per-task, mm/pdpt.h): read it as 4 of its frame's entries. */
	uint64_t e = read_table_entry(table & ~0xFFFull, (unsigned)(table & 0xFFF) / 8 + (va >> 30));

	if (!(e & 1))
		return false;
	*writable = true;
	*nx = false;
	for (unsigned shift = 21;; shift -= 9) {
		table = e & 0xFFFFFF000ull;
		e = read_table_entry(table, (va >> shift) & 511);
		if (!(e & 1))
			return false;
		*writable = *writable && (e & 2);
		*nx = *nx || (e >> 63);
		if (shift == 12 || (e & 0x80))         /* a PTE, or a 2 MiB page */
			return true;
	}
}

static const uint32_t rodata_word = 0x5a5a5a5a;

static void page_fault_write_read_only(struct ktest *t)
{
	bool writable, nx;

	KTEST_ASSERT(t, lookup_mapping((uint32_t)&rodata_word, &writable, &nx));
	if (writable)
		ktest_skip(t, "rodata is writable under the boot page tables");
	struct fault_info f = expect_fault(t, write_word, (void *)&rodata_word);
	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_PF);
	KTEST_EXPECT_EQ(t, f.error_code, X86_PF_PROT | X86_PF_WRITE);
	KTEST_EXPECT_EQ(t, f.cr2, (uint32_t)&rodata_word);
}

static uint8_t data_ret[16] = { 0xC3 };         /* ret, in .data */

static void nx_instruction_fetch(struct ktest *t)
{
	bool writable, nx;

	if (!boot_cpu.nx)
		ktest_skip(t, "the CPU has no NX");
	KTEST_ASSERT(t, lookup_mapping((uint32_t)data_ret, &writable, &nx));
	if (!nx)
		ktest_skip(t, "data is executable under the boot page tables");
	struct fault_info f = expect_fault(t, call_code, data_ret);
	KTEST_EXPECT_EQ(t, f.vector, X86_TRAP_PF);
	KTEST_EXPECT_EQ(t, f.error_code, X86_PF_PROT | X86_PF_INSTR);
	KTEST_EXPECT_EQ(t, f.cr2, (uint32_t)data_ret);
	KTEST_EXPECT_EQ(t, f.eip, (uint32_t)data_ret);
}

/*
 * The report of a user page fault names the address saved at entry, not
 * whatever CR2 holds when it is printed: here a later (caught) fault has
 * overwritten CR2 in between, as another task's fault or a window fault
 * can once the handler has turned interrupts back on.
 */
static void user_fault_reports_entry_cr2(struct ktest *t)
{
	struct trap_frame frame = { .vector = X86_TRAP_PF, .error_code = X86_PF_USER,
				    .eip = 0x08048000, .user_esp = 0xbffff000 };
	static const char tail[] = "cr2 0x01234000: killed by signal 11";
	char line[160];

	expect_fault(t, read_word, (void *)UNMAPPED_ADDR);
	KTEST_EXPECT_EQ(t, read_cr2(), UNMAPPED_ADDR);
	int n = format_user_fault(line, sizeof(line), &frame, 0x1234000, 11);
	KTEST_ASSERT(t, n >= (int)sizeof(tail) - 1 && n < (int)sizeof(line));
	KTEST_EXPECT_EQ(t, strcmp(line + n - (sizeof(tail) - 1), tail), 0);
}

KTEST_SUITE(traps,
	KTEST_CASE(divide_error),
	KTEST_CASE(debug_single_step),
	KTEST_CASE(breakpoint),
	KTEST_CASE(overflow),
	KTEST_CASE(bound_range),
	KTEST_CASE(invalid_opcode),
	KTEST_CASE(device_not_available),
	KTEST_CASE(general_protection_bad_selector),
	KTEST_CASE(page_fault_read_not_present),
	KTEST_CASE(page_fault_write_bit),
	KTEST_CASE(page_fault_write_read_only),
	KTEST_CASE(nx_instruction_fetch),
	KTEST_CASE(user_fault_reports_entry_cr2));
