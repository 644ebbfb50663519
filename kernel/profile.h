/*
 * The sampling profiler (boot option profile=, as Linux's profile= and
 * readprofile were): a reader of kernel/sample.h that counts, per CPU,
 * kernel-mode samples per kernel function (kernel/ksyms.c numbers them)
 * and user-mode samples per user page.  User space reads and resets it
 * with the ukva_profile system call; the kernel prints the top functions
 * of each CPU and mode when it powers off.  docs/benchmarks.md says how
 * to use it (make profile).
 */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include "abi/ukva.h"

/*
 * Start sampling into the histograms (allocated on the first start, kept
 * for the rest of the boot).  Any context that may allocate; returns 0 or
 * -ENOMEM.
 */
int profile_start(void);
/* Stop sampling; the counts stay readable. */
void profile_stop(void);
/* Boot, after kmap_init: start if profile= was given. */
void profile_init(void);
/* Kernel-mode samples of cpu in function i (ksym numbering); 0 when never started. */
uint32_t profile_kernel_hits(unsigned cpu, unsigned i);
/* User-mode samples of cpu on the page holding addr. */
uint32_t profile_user_hits(unsigned cpu, uint32_t addr);
/* The totals of cpu. */
void profile_read_totals(unsigned cpu, struct ukva_profile_totals *out);
/* Print each CPU's top functions per mode (power-off); nothing when off. */
void profile_print(void);

#endif
