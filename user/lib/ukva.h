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
#define __NR_ukva_textwalk      4002
#define UKVA_NR_CPUS            16      /* entries sys_ukva_textwalk fills */

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
	CNT_WINDOW_FAULT, CNT_PAGE_FAULT, CNT_SYSCALL, CNT_SHOOTDOWN,
	CNT_TEXT_LOCAL, CNT_TEXT_REMOTE, CNT_TEXT_REPOINT, CNT_TEXT_REMOTE_SWITCH,
	NR_UKVA_COUNTERS
};

/* One CPU's walk of its kernel text from its live CR3 (numa/locality.h). */
struct ukva_textwalk {
	int32_t cpu;                    /* -1: not online */
	int32_t node;                   /* the CPU's NUMA node */
	int32_t replica;                /* node whose text replica it maps; -1: none */
	uint32_t pages;                 /* text+rodata pages walked */
	uint32_t local;                 /* of those, on the CPU's node */
	uint32_t cr3;
};

/* Walks every online CPU into w[UKVA_NR_CPUS]; UKVA_NR_CPUS, or -ENOSYS off this kernel. */
long sys_ukva_textwalk(struct ukva_textwalk *w);

/* Fills *mi; 0, or -ENOSYS when not on this kernel. */
long sys_ukva_meminfo(struct ukva_meminfo *mi);
/* Copies up to n counters of one CPU (-1: all CPUs summed); returns how many the kernel has. */
long sys_ukva_counters(int cpu, uint32_t *buf, unsigned n);
/* The counter's name, as the kernel prints it. */
const char *ukva_counter_name(enum ukva_counter c);

#endif
