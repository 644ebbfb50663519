/*
 * This kernel's own system calls, above Linux's numbers: on Linux they
 * return -ENOSYS, so a program can tell where it runs and skip what only
 * this kernel can answer.  The layouts mirror kernel/counters.[ch].
 */
#ifndef USER_UKVA_H
#define USER_UKVA_H

#include <stdint.h>

#define __NR_ukva_counters      4000
#define __NR_ukva_meminfo       4001
#define __NR_ukva_profile       4002

enum ukva_mode { UKVA_SHARED, UKVA_PER_MM, UKVA_PER_TASK };

struct ukva_meminfo {
	uint32_t mode;                  /* enum ukva_mode */
	uint32_t free_pages;            /* in every zone */
	uint32_t free_lowmem_pages;
	uint32_t free_highmem_pages;
	uint32_t tasks;                 /* task structs not yet freed */
	uint32_t cpus;                  /* online */
	/* What the calling task and its mm cost in this mode, in bytes. */
	uint32_t task_pgtable_bytes, task_lowmem_bytes;
	uint32_t mm_pgtable_bytes, mm_lowmem_bytes;
};

/* Counter indexes, in the kernel's order (kernel/counters.h). */
enum ukva_counter {
	CNT_CR3_WRITE, CNT_TLB_FLUSH_ALL, CNT_TLB_FLUSH_ONE, CNT_SWITCH_SAME_MM,
	CNT_SWITCH_CROSS_MM, CNT_KMAP, CNT_KMAP_ATOMIC, CNT_WINDOW_ACCESS,
	CNT_WINDOW_FAULT, CNT_PAGE_FAULT, CNT_SYSCALL, CNT_SHOOTDOWN, CNT_FPU_SWITCH,
	NR_UKVA_COUNTERS
};

/* ukva_profile operations and records (kernel/profile.h). */
enum ukva_profile_op { UKVA_PROFILE_TOTALS, UKVA_PROFILE_KERNEL, UKVA_PROFILE_USER, UKVA_PROFILE_RESET };

struct ukva_profile_totals {
	uint32_t kernel, kernel_other;  /* kernel-mode samples; of them outside kernel text */
	uint32_t user, user_other;      /* user-mode samples; of them not in the page table */
	uint32_t timer_hz;              /* samples per second per CPU */
};

struct ukva_profile_entry {
	uint32_t addr;                  /* kernel function start, or user page */
	uint32_t hits;
};

/* ukva_profile(op, cpu (-1: all), buf, n): see kernel/profile.c.  -ENOENT
 * when the kernel was booted without profile=, -ENOSYS on Linux. */
long sys_ukva_profile(enum ukva_profile_op op, int cpu, void *buf, unsigned n);

/* Fills *mi; 0, or -ENOSYS when not on this kernel. */
long sys_ukva_meminfo(struct ukva_meminfo *mi);
/* Copies up to n counters of one CPU (-1: all CPUs summed); returns how many the kernel has. */
long sys_ukva_counters(int cpu, uint32_t *buf, unsigned n);
/* The counter's name, as the kernel prints it. */
const char *ukva_counter_name(enum ukva_counter c);

#endif
