/*
 * Kernel text replication (boot option ktextrepl=on|off; on by default on
 * a machine with several nodes, in the modes that have a kernel PMD to
 * repoint: per-mm, per-task and per-cpu, not shared).
 *
 * At boot, kernel text and rodata are copied into each node's memory.
 * They are mapped with 4 KiB pages (see "granularity" in ktext.c), so each
 * node also gets its own copy of the PTE page(s) of the image's 2 MiB
 * region(s): identical to the global one except that the text and rodata
 * PTEs point at that node's copy.  A kernel PMD points at a node's replica
 * when its image entries (ktext_pmd()) point at that node's PTE pages;
 * ktext_repoint() writes them.  Node 0 (or whichever node holds the
 * loaded image) uses the image itself.
 *
 * THE RULE: text and rodata are never written after boot (they are mapped
 * read-only, CR0.WP set, proved by a test).  Any future feature that must
 * patch them (alternatives, static keys, a debugger's breakpoints) must
 * patch every node's replica, through ktext_replica_pfn(), not the
 * image's direct-map address alone.
 *
 * With replicas on, the text and rodata PTEs are not global: a CR3 write
 * must drop them, since two address spaces on one CPU may map the same
 * text address to different nodes' frames (per-mm).
 */
#ifndef NUMA_KTEXT_H
#define NUMA_KTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/pgtable.h"
#include "numa/node.h"

#define KTEXT_MAX_PMDS          2       /* 2 MiB regions text+rodata may span */

/* Replicas exist and the address-space mode uses them. */
extern bool ktext_replicated;

/*
 * Make the replicas (after numa_init and time_init, before smp_init; boot
 * CPU alone) and the per-node kernel PGDs kernel threads run on.  Reports
 * the granularity, memory per node and time spent.
 */
void ktext_init(void);

/* Kernel PMD indices of the image's text+rodata regions: [first, first + nr). */
unsigned ktext_first_pmd(void);
unsigned ktext_nr_pmds(void);

/* The node holding the loaded image, whose replica is the image itself. */
unsigned ktext_image_node(void);

/* The kernel PMD entry that maps region k (0 .. nr-1) through node nid's replica. */
pmd_t ktext_pmd(unsigned nid, unsigned k);

/*
 * Point the text entries of the kernel PMD at kpmd (a kernel PMD copy,
 * mapped by the caller) at node nid's replica.  Flushes nothing: the
 * caller knows whether that PMD is loaded anywhere.  Returns true when an
 * entry changed.  Any context.
 */
bool ktext_repoint(pmd_t *kpmd, unsigned nid);

/* The node whose replica kpmd's text entries point at, or -1 for none (torn). */
int ktext_pmd_node(const pmd_t *kpmd);

/*
 * Drop this CPU's TLB entries for text and rodata after ktext_repoint on
 * a loaded PMD: one INVLPG per page (4 KiB mappings: an INVLPG per PMD
 * would leave the other pages' entries).  Returns how many.
 */
unsigned ktext_flush_local(void);

/* The PGD kernel threads run on, on a CPU of node nid (swapper's without replicas). */
uint32_t kernel_pgd_phys_node(unsigned nid);

/* The frame holding text/rodata address vaddr in node nid's replica. */
pfn_t ktext_replica_pfn(unsigned nid, unsigned long vaddr);

struct task;
struct cpu;
/*
 * Point next's text at the replica of cpu's node before it runs there
 * (ktext_switch.c): its kernel PMD copy (the mode's kernel_pmd op), or for
 * a task on a kernel PGD, its node's kernel PGD.  Called by the context
 * switch and activate_mm on cpu, interrupts off, before the mode's
 * switch_mm decides the CR3 write.
 */
void ktext_switch_in(struct task *next, const struct cpu *cpu);

struct page;
/*
 * A kernel PMD copy was just filled from swapper_pmd (mm/ukva/window.c):
 * record that its text is the image's.  A copy's struct page keeps the
 * node its text maps (in its order byte, unused in a page-table page).
 */
void ktext_copy_init(struct page *kpmd_page);

/* The node whose text the copy in kpmd_page maps (-1: made before ktext_init). */
int ktext_copy_node(const struct page *kpmd_page);

/*
 * Make the kernel PMD copy in kpmd_page map node nid's text replica, and
 * record it.  Serialized against other CPUs doing the same to the same
 * copy; flushes nothing.  Returns true if it rewrote the copy (counted as
 * text_repoint).  Interrupts off.  The repoint of every mode, and of a
 * per-CPU kernel PMD.
 */
bool ktext_follow(struct page *kpmd_page, unsigned nid);

/* Since boot, over all CPUs: cycles spent in repoints (text_repoint counts them), INVLPGs after them. */
void ktext_repoint_cost(uint64_t *cycles, uint32_t *invlpgs);

/* Replicated pages (text + rodata) and their range. */
unsigned ktext_nr_pages(void);
unsigned long ktext_start(void);
unsigned long ktext_end(void);

#endif
