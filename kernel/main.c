/*
 * kmain: the boot sequence, one init call per line.
 */
#include <stddef.h>
#include <stdint.h>
#include "boot/multiboot.h"
#include "mm/memlayout.h"
#include "arch/i386/uart.h"
#include "arch/i386/power.h"
#include "kernel/printk.h"
#include "kernel/bootparam.h"
#include "kernel/ktest.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/acpi.h"
#include "arch/i386/apic.h"
#include "arch/i386/gdt.h"
#include "arch/i386/smpboot.h"
#include "arch/i386/idt.h"
#include "arch/i386/pic.h"
#include "arch/i386/tss.h"
#include "arch/i386/fpu.h"
#include "mm/ukva/ukva.h"
#include "numa/numa.h"
#include "numa/ktext.h"
#include "numa/locality.h"
#include "mm/memmap.h"
#include "mm/zone.h"
#include "mm/paging.h"
#include "mm/highmem.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/initrd.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/time.h"
#include "kernel/profile.h"
#include "kernel/sample.h"

void kmain(uint32_t magic, uint32_t info_phys);

static char init_path[128] = "/init";

/* What went wrong running the first program, in words. */
static const char *init_error(int err)
{
	switch (err) {
	case -ENOENT:  return "no such file (is the initrd there?)";
	case -ENOEXEC: return "not a static ELF32 i386 executable";
	case -EACCES:  return "not an executable file";
	case -ENOTDIR: return "a component of the path is not a directory";
	case -ENOMEM:  return "out of memory";
	default:       return "error";
	}
}

static int set_init(const char *v)
{
	if (!v || v[0] != '/' || strlen(v) >= sizeof(init_path))
		return -EINVAL;
	memcpy(init_path, v, strlen(v) + 1);
	return 0;
}
BOOT_PARAM("init", set_init, "an absolute path in the initrd, like /bin/t_fork");

/*
 * The first task after boot: run the in-kernel tests if asked, else become
 * the init process.  Runs as a kernel thread so that the boot thread can
 * be the idle task.
 */
static int kernel_init(void *unused)
{
	if (ktest_requested())
		machine_exit(ktest_run_selected());
	pr_info("init: starting %s\n", init_path);
	int err = run_init_process(init_path);
	/* Bad input (no archive, a broken one, a bad program) is not a kernel bug. */
	pr_emerg("init: cannot run %s: %s; powering off\n", init_path, init_error(err));
	machine_exit(false);
}

void kmain(uint32_t magic, uint32_t info_phys)
{
	const struct multiboot_info *mbi = phys_to_virt(info_phys);

	gdt_init();                             /* GDT, TSS, #DF task, %fs: this_cpu() */
	uart_init();                            /* console next: everything reports */
	pr_info("ukva: i386 PAE research kernel\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		pr_emerg("not started by a multiboot loader (magic 0x%x)\n", magic);
		machine_exit(false);
	}
	parse_boot_params(mbi->flags & MULTIBOOT_INFO_CMDLINE ?
			  phys_to_virt(mbi->cmdline) : NULL);
	pr_info("command line: %s\n", boot_cmdline());
	cpu_init();                             /* CPUID: PAE, PGE, NX, MAXPHYADDR */
	fpu_init();                             /* user FPU/SSE on, the reset state saved */
	pic_init();                             /* 8259s off the exceptions: 32-47, masked */
	idt_init();                             /* exception, IRQ and syscall gates */
	ukva_init();                            /* report the address-space mode */
	memmap_init(mbi);                       /* RAM ranges and boot reservations */
	frames_init();                          /* mem_map, zones, buddy allocators */
	paging_init();                          /* final kernel tables, identity map gone */
	doublefault_set_cr3(kernel_pgd_phys()); /* the #DF task must run on them too */
	kmap_init();                            /* pkmap pool and kmap_atomic slots */
	profile_init();                         /* profile=: the sampling histograms */
	acpi_init();                            /* RSDP, RSDT/XSDT, MADT: CPUs and APICs */
	numa_init();                            /* SRAT, SLIT: nodes, per-node free lists */
	apic_init();                            /* APIC mode: local APIC, I/O APIC; 8259s off */
	sched_init();                           /* run queues; this thread becomes idle/0 */
	time_init();                            /* TSC, RTC, the periodic tick (APIC timer or PIT) */
	ktext_init();                           /* kernel text replicas, one per node */
	ktext_sample_start();                   /* text locality: a reader of the EIP samples */
	smp_init();                             /* start the other CPUs: "smp: N CPUs online" */
	sample_start_nmi();                     /* profile=N,nmi: the PIT sends NMIs */
	initrd_init();                          /* the cpio archive holding /init */
	mem_report();                           /* zone sizes, descriptor cost, lowmem left */

	if (!kthread_create(kernel_init, NULL, "kinit"))
		panic("cannot create the init thread");
	cpu_idle();                             /* never returns */
}
