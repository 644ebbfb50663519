/*
 * This kernel's own system calls, above Linux's numbers: on Linux they
 * return -ENOSYS, so a program can tell where it runs and skip what only
 * this kernel can answer.  The numbers, structures and counters are the
 * kernel's own ABI headers (abi/unistd.h, abi/ukva.h).
 */
#ifndef USER_UKVA_H
#define USER_UKVA_H

#include <stdint.h>

#include "abi/unistd.h"
#include "abi/ukva.h"

/* Walks every online CPU into w[UKVA_NR_CPUS]; UKVA_NR_CPUS, or -ENOSYS off this kernel. */
long sys_ukva_textwalk(struct ukva_textwalk *w);

/* ukva_profile(op, cpu (-1: all), buf, n): see kernel/profile.c.  -ENOENT
 * when the kernel was booted without profile=, -ENOSYS on Linux. */
long sys_ukva_profile(enum ukva_profile_op op, int cpu, void *buf, unsigned n);

/* Fills *mi; 0, or -ENOSYS when not on this kernel. */
long sys_ukva_meminfo(struct ukva_meminfo *mi);
/* Copies up to n counters of one CPU (-1: all CPUs summed); returns how many the kernel has. */
long sys_ukva_counters(int cpu, uint32_t *buf, unsigned n);
/* Map and touch the first pages of this task's private window area (ukva_private_touch). */
long sys_ukva_private_touch(unsigned pages);
/* The counter's name, as the kernel prints it. */
const char *ukva_counter_name(enum ukva_counter c);

#endif
