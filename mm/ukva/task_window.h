/*
 * What a task keeps of its UKVA window (mm=per-task, per-cpu), inside its
 * task struct: only what cannot be read back from the window page itself
 * cheaply, so that the window costs no lowmem of its own.
 *
 * Everything else is in the window page (window.h), written by the CPU's
 * rules: the kernel PMD copy at slot 4 (and PGD entry 3), the stack at
 * slots 8-9, the private frames at slots 16-47.  The window code reads
 * them there, through the window itself when the task runs or through
 * kmap_atomic of the window page when it does not (fork, exit, teardown).
 * The per-task PGD is t->cr3 (mm/pdpt.h: highmem below 4 GiB).
 */
#ifndef MM_UKVA_TASK_WINDOW_H
#define MM_UKVA_TASK_WINDOW_H

#include <stdint.h>
#include "mm/page.h"
#include "abi/ukva.h"

struct mm;

struct task_window {
	pfn_t page;                     /* the window page, PMD 511's PTE page; 0: no window */
	/*
	 * Bit i: private page i is mapped (slot 16 + i).  Kept here because a
	 * per-cpu same-mm switch INVLPGs exactly those, with no kmap.
	 */
	uint32_t private_mask;
	union {
		/*
		 * per-task: the kernel PMD copy (= PGD entry 3), which the
		 * context switch repoints to the node's text (numa/ktext.h)
		 * before the task runs: read here, with no kmap of the PGD.
		 */
		pfn_t kernel_pmd;
		/*
		 * per-cpu: whose user PMDs the window maps (NULL once cut off
		 * by leave_mm); exec loads it before it sets task->mm.
		 */
		struct mm *mm;
	};
};
_Static_assert(UKVA_PRIVATE_AREA_PAGES <= 32, "private_mask has a bit per private page");

#endif
