/*
 * Starting the application processors (smpboot.h).  The boot CPU starts
 * them one by one, so one set of trampoline parameters and one ap_boot
 * record serve them all: each AP is done reading them before it marks
 * itself online, which is what the boot CPU waits for.
 */
#include "arch/i386/smpboot.h"
#include "numa/ktext.h"
#include "arch/i386/acpi.h"
#include "arch/i386/apic.h"
#include "arch/i386/apic_timer.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/fpu.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/pit.h"
#include "arch/i386/tlb.h"
#include "arch/i386/tss.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "mm/kmalloc.h"
#include "mm/memblock.h"
#include "mm/memmap.h"
#include "mm/paging.h"

#define AP_ONLINE_TIMEOUT_US    2000000 /* from the first STARTUP to online */
#define ICR_IDLE_TIMEOUT_US     10000

extern const char trampoline_start[], trampoline_end[], tr_params[];
__noreturn void start_secondary(void);

static unsigned max_cpus = NR_CPUS;

/* What the AP being started needs first (written before its INIT). */
static struct {
	unsigned cpu;
	struct cpu_descriptors *cd;
} ap_boot;

static int set_nosmp(const char *v)
{
	if (v)
		return -EINVAL;
	max_cpus = 1;
	return 0;
}
BOOT_PARAM("nosmp", set_nosmp, "no value: run on the boot CPU only");

static int set_maxcpus(const char *v)
{
	unsigned long long n;

	if (parse_uint(v, &n) || n == 0)
		return -EINVAL;
	max_cpus = n < NR_CPUS ? (unsigned)n : NR_CPUS;
	return 0;
}
BOOT_PARAM("maxcpus", set_maxcpus, "how many CPUs to start, 1 or more");

unsigned smp_expected_cpus(void)
{
	if (!apic_active())
		return 1;
	return MIN(MIN(acpi_madt()->nr_cpus, (unsigned)NR_CPUS), max_cpus);
}

/*
 * The AP's first C code (from secondary_startup, on its idle stack).  Until
 * cpu_descriptors_load, %fs is the trampoline's flat segment: nothing here
 * may use this_cpu() before it.
 */
void start_secondary(void)
{
	unsigned cpu = ap_boot.cpu;

	cpu_descriptors_load(ap_boot.cd);       /* its GDT and TSS; this_cpu() works */
	idt_load();
	/* The kernel's tables (no identity map), with its node's text replica. */
	load_cr3(kernel_pgd_phys_node(cpu_to_node(cpu)));
	doublefault_set_cr3(kernel_pgd_phys_node(cpu_to_node(cpu)));
	cpu_init_secondary(cpu);                /* NX, global pages */
	fpu_cpu_init();                         /* #MF errors, FXSR and SSE, as the boot CPU */
	setup_local_apic();
	if (lapic_id() != cpus[cpu].apic_id)
		pr_warn("smp: CPU %u has APIC ID %u, the MADT said %u\n", cpu, lapic_id(),
			cpus[cpu].apic_id);
	apic_timer_start();
	sched_init_ap(cpus[cpu].idle);          /* online: the boot CPU goes on */
	cpu_idle();
}

/* Send one IPI and wait until it left; false if it never did. */
static bool send_ipi_wait(uint32_t low, unsigned apic_id)
{
	apic_icr_write(low, apic_id);
	for (unsigned us = 0; us < ICR_IDLE_TIMEOUT_US; us += 10) {
		if (apic_icr_idle())
			return true;
		pit_udelay(10);
	}
	return false;
}

/*
 * INIT, then two STARTUPs with the trampoline's page as vector, with the
 * delays of the MP specification (B.4.1) and SDM vol. 3A 8.4.4.1: 10 ms
 * after INIT, 200 us after each STARTUP.  A running AP ignores the second
 * STARTUP.  Returns false if an IPI was not delivered or the APIC flagged
 * an error.
 */
static bool wakeup_secondary(unsigned apic_id)
{
	lapic_write(APIC_ESR, 0);
	if (!send_ipi_wait(APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT, apic_id))
		return false;
	pit_udelay(10000);
	for (int i = 0; i < 2; i++) {
		if (!send_ipi_wait(APIC_DM_STARTUP | (TRAMPOLINE_PHYS >> 12), apic_id))
			return false;
		pit_udelay(200);
	}
	lapic_write(APIC_ESR, 0);
	return lapic_read(APIC_ESR) == 0;
}

/* Give CPU cpu its idle task, descriptors and per-CPU data; false when memory is short. */
static bool prepare_cpu(unsigned cpu, unsigned apic_id, struct trampoline_params *tp)
{
	struct task *idle = idle_task_create(cpu);
	struct cpu_descriptors *cd = kzalloc(sizeof(*cd), GFP_KERNEL);

	if (!idle || !cd)
		return false;
	cpu_descriptors_init(cd, cpu, idle->thread.esp0);
	cpus[cpu] = (struct cpu){
		.self = &cpus[cpu], .id = cpu, .apic_id = apic_id,
		.current_task = idle, .idle = idle,
	};
	ap_boot.cpu = cpu;
	ap_boot.cd = cd;
	tp->stack = idle->thread.esp0;
	return true;
}

/*
 * Start CPU cpu, whose APIC ID is apic_id, and wait for it to come online.
 * On failure it is sent INIT again, which parks it before it can touch
 * the shared parameters the next AP gets.
 */
static bool boot_secondary(unsigned cpu, unsigned apic_id, struct trampoline_params *tp)
{
	if (!prepare_cpu(cpu, apic_id, tp)) {
		pr_warn("smp: no memory to start CPU %u\n", cpu);
		return false;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* all of it visible before the IPIs */
	bool sent = wakeup_secondary(apic_id);
	for (unsigned us = 0; sent && us < AP_ONLINE_TIMEOUT_US; us += 100) {
		if (__atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE)) {
			pr_info("smp: CPU %u (APIC ID %u) online\n", cpu, apic_id);
			return true;
		}
		pit_udelay(100);
	}
	pr_warn("smp: CPU %u (APIC ID %u) %s; parked with INIT\n", cpu, apic_id,
		sent ? "did not come online within 2 s" : "did not take its INIT/STARTUP IPIs");
	send_ipi_wait(APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT, apic_id);
	return false;
}

/* Is the trampoline page RAM that no boot module lies in? */
static bool trampoline_page_free(void)
{
	uint64_t start = TRAMPOLINE_PHYS, end = TRAMPOLINE_PHYS + PAGE_SIZE;

	if (!memblock_is_ram(start, end))
		return false;
	for (unsigned i = 0; i < nr_boot_modules; i++)
		if (boot_modules[i].start < end && boot_modules[i].end > start)
			return false;
	return true;
}

/*
 * Copy the trampoline to its page and build the AP boot PGD in its
 * parameters: entry 0 -> pmd (whose entry 0 maps [0, 2 MiB) 1:1 with a
 * large page), entry 3 -> the kernel PMD.  PDPT entries hold only P and
 * the address (SDM 4.4.1).  Returns the parameters.
 */
static struct trampoline_params *trampoline_setup(pmd_t *pmd)
{
	size_t size = trampoline_end - trampoline_start;
	uint32_t params_phys = TRAMPOLINE_PHYS + (uint32_t)(tr_params - trampoline_start);
	struct trampoline_params *tp = phys_to_virt(params_phys);

	_Static_assert(TRAMPOLINE_PHYS % PAGE_SIZE == 0 && TRAMPOLINE_PHYS < 0x100000,
		       "a STARTUP vector names a page below 1 MiB");
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start, size);
	set_pmd(&pmd[0], pfn_pmd(0, __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE)));
	memset(tp->pgd, 0, sizeof(tp->pgd));
	set_pgd(&tp->pgd[0], pfn_pgd((pfn_t)(virt_to_phys(pmd) >> PAGE_SHIFT)));
	set_pgd(&tp->pgd[KERNEL_PGD_INDEX], pfn_pgd((pfn_t)(virt_to_phys(swapper_pmd) >> PAGE_SHIFT)));
	tp->cr3 = params_phys + TP_PGD;
	tp->nx = boot_cpu.nx;
	return tp;
}

void smp_init(void)
{
	if (!apic_active()) {
		pr_info("smp: 1 CPU online (PIC mode)\n");
		return;
	}
	const struct madt_info *madt = acpi_madt();
	unsigned want = smp_expected_cpus(), online = 1, failed = 0;
	struct page *pmd_page = NULL;

	if (want > 1 && !trampoline_page_free()) {
		pr_warn("smp: the trampoline page 0x%x is not free RAM: one CPU\n", TRAMPOLINE_PHYS);
		want = 1;
	}
	if (want > 1 && !(pmd_page = alloc_page(GFP_KERNEL | __GFP_ZERO))) {
		pr_warn("smp: no memory for the AP boot page tables: one CPU\n");
		want = 1;
	}
	if (want > 1) {
		struct trampoline_params *tp = trampoline_setup(page_address(pmd_page));
		for (unsigned i = 0; i < madt->nr_cpus && online < want; i++) {
			if (madt->apic_ids[i] == cpus[0].apic_id)
				continue;
			if (boot_secondary(online, madt->apic_ids[i], tp))
				online++;
			else
				failed++;
		}
		free_page(pmd_page);            /* every AP has left the boot PGD */
	}
	unsigned listed = madt->nr_cpus + madt->nr_cpus_dropped;
	pr_info("smp: %u CPU%s online (APIC mode; the MADT lists %u%s%s)\n", online,
		online == 1 ? "" : "s", listed, failed ? ", some failed to start" : "",
		listed > online + failed ? ", the rest left off by nosmp/maxcpus/NR_CPUS" : "");
}
