/*
 * Where each CPU's kernel text comes from: a structural walk of the live
 * page tables, and a sample at every timer tick.
 *
 * Structural: on each CPU, translate every text and rodata page through
 * the PGD loaded in its CR3 and count the frames on the CPU's own node.
 * Sampled: at each tick, if the interrupted code was kernel text, look up
 * the frame its EIP runs from the same way and count it as node-local
 * (counter text_local) or remote (text_remote), per CPU and per mode.
 * Both are readable from user space (ukva_textwalk, ukva_counters).
 */
#ifndef NUMA_LOCALITY_H
#define NUMA_LOCALITY_H

#include <stdbool.h>
#include <stdint.h>
#include "abi/ukva.h"                   /* struct ukva_textwalk: one CPU's walk */

struct trap_frame;

/*
 * One sample: CPU cpu (the running one) was interrupted at eip, in user
 * mode or not.  Interrupt (or NMI) context; takes no lock, maps nothing.
 * A reader of the EIP sampler (kernel/sample.h), beside the profiler.
 */
void ktext_sample(unsigned cpu, uint32_t eip, bool user);
/* Boot: subscribe ktext_sample to the EIP samples. */
void ktext_sample_start(void);

/*
 * Walk on every online CPU at once (an IPI to the others); out[c] for CPU c
 * of NR_CPUS.  Interrupts on; process context.  Returns CPUs walked.
 */
unsigned ktext_walk_all(struct ukva_textwalk *out);

/*
 * The end-of-run report: per node, allocations served locally and
 * remotely; the repoints and their cost; per CPU, the text samples.
 */
void ktext_print_locality(void);

#endif
