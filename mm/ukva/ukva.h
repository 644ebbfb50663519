/*
 * The address-space modes (boot option mm=shared|per-mm|per-task|per-cpu): where
 * the PGD, the kernel PMD and the UKVA window of a task come from.
 * docs/design.md explains them; window.h draws the window.
 *
 *                 PGD        kernel PMD          window
 *   shared        per mm     the global one      none (kmap_atomic instead)
 *   per-mm        per mm     a copy per mm       per mm: page tables
 *   per-task      per task   a copy per task     per task: page tables,
 *                                                kernel stack, private area
 *   per-cpu       per CPU    a copy per CPU      per task, as per-task; the
 *                                                CPU's PMD 511 is rewritten
 *
 * Each mode is one file (shared.c, per_mm.c, per_task.c, per_cpu.c) that fills one
 * struct ukva_mode_ops; mode.c holds the table of them, indexed by enum
 * ukva_mode, and the rest of the kernel calls the mode only through the
 * wrappers at the end of this header.  A new mode is a new enum value, a
 * new file and a table entry: the table's size is checked by the compiler
 * and every op of every mode is checked at boot.
 */
#ifndef MM_UKVA_UKVA_H
#define MM_UKVA_UKVA_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/pgtable.h"
#include "mm/ukva/window.h"
#include "abi/ukva.h"
#include "kernel/spinlock.h"

/* enum ukva_mode is ABI (abi/ukva.h): struct ukva_meminfo reports it to user space. */
extern enum ukva_mode ukva_mode;

struct mm;
struct task;
struct page;
struct cpu;
struct pte_cursor;

/*
 * mm=per-mm: an mm's window, a copy of the kernel PMD and the page its
 * PMD 511 maps, and the mm's stack slots.  (A per-task or per-cpu window
 * is struct task_window, in the task struct: task_window.h.)
 */
struct ukva_window {
	struct page *kernel_pmd;        /* the copy (any zone) */
	struct page *window_pte;        /* the PTE page of PMD 511 (any zone) */
	/* The PTE pages of the stack slots (PMD 488+i), as they are needed. */
	struct page *stack_ptes[MM_STACKS_PMD_COUNT];
	spinlock_t slot_lock;           /* those pages' entries; interrupts off */
};

/* Bytes a mode spends, for the cost report and the benchmark. */
struct ukva_cost {
	uint32_t pgtable_bytes;         /* page-table pages and PGDs */
	uint32_t lowmem_bytes;          /* of those and the rest, in lowmem */
};

/*
 * What the context switch must do for the incoming task, as a mode's
 * switch_mm op decides it.  switch_to() applies it at the one point where
 * no stack may be touched (see switch.S), in this order: the PMD entry,
 * then CR3 if asked, else the INVLPGs.  Offsets: arch/i386/switch.h.
 */
struct ukva_switch {
	uint32_t cr3;                   /* the PGD to load; 0: the loaded one serves */
	/*
	 * mm=per-cpu: a kernel PMD entry to rewrite (the window's, PMD 511 of
	 * this CPU's copy) and its new value; NULL: none.  The write may
	 * unmap the running stack, so it is done on switch_stack.
	 */
	pmd_t *pmd;
	uint64_t pmd_val;
	/* Window slots to INVLPG after the PMD write: bit n is UKVA_SLOT(n). */
	uint64_t flush;
	uint32_t switch_stack;          /* top of a direct-mapped per-CPU stack */
};

/*
 * One address-space mode.  Every function member is mandatory (mode.c
 * checks all modes at boot); a mode with nothing to do points at a no-op.
 * "mm->lock" and "interrupts off" are the callers' duties stated per op.
 */
struct ukva_mode_ops {
	const char *name;               /* the value of the mm= boot option */
	const char *summary;            /* one line for the boot report */
	/* Highmem the mode needs; carved from lowmem when the RAM has less (frames.c). */
	uint32_t min_highmem;
	/*
	 * Where a user task's kernel stack comes from (task_alloc's stack_gfp):
	 * GFP_HIGHMEM in the modes whose windows map stacks, so that a stack
	 * costs no lowmem and has no direct-map alias when there is highmem.
	 */
	unsigned stack_gfp;

	/* Function members only from here on: mode.c checks each is set. */
	/*
	 * Give a new mm its kernel half (PGD entry 3, and the mode's per-mm
	 * state).  mm's user PMDs exist.  0 or -ENOMEM.
	 */
	int (*mm_init)(struct mm *mm);
	/* Free what mm_init made; mm is used by no task. */
	void (*mm_destroy)(struct mm *mm);
	/*
	 * Make task t run on mm (fork, clone, kthread_create_on: t is new and
	 * has never run; exec: t is current, interrupts off).  Sets t->cr3 and,
	 * if the mode moves the kernel stack, t->thread.esp0; frees what an
	 * earlier attach built.  When t is current it calls activate_mm() so
	 * the CPU runs on the new tables before the old ones go.  0 or -ENOMEM
	 * (then t is unchanged).
	 */
	int (*task_attach)(struct task *t, struct mm *mm);
	/* Free what task_attach built; t will never run again. */
	void (*task_detach)(struct task *t);
	/*
	 * Current task t stops using t->mm, which may be freed right after:
	 * afterwards this CPU must hold no reference to mm's tables.  t keeps
	 * running (to its last schedule()) on the same kernel stack address.
	 */
	void (*leave_mm)(struct task *t);
	/*
	 * Reach the PTE of addr in mm: through the mode's window when it is
	 * loaded here, else pte_map_kmap().  With alloc, a missing PTE page is
	 * allocated.  mm->lock held, interrupts off (pte_map's cursor).
	 * Returns false when there is no PTE page (and !alloc) or no memory.
	 */
	bool (*pte_map)(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c);
	/*
	 * A kernel-mode fault at addr >= UKVA_START: true if the mode fixed it
	 * (a demand-filled window page), false to treat it as a kernel bug.
	 */
	bool (*window_fault)(uint32_t addr);
	/*
	 * What switching this CPU from prev to next takes (kernel threads
	 * included; prev == next for activate_mm).  Interrupts off, run-queue
	 * lock held: decide, do not write CR3, the TSS or anything prev's
	 * stack depends on.  It may rewrite entries the CPU reads only after
	 * the CR3 write it asks for (PDPT entries, SDM 4.4.1, and kernel PMD
	 * entries prev no longer uses).  activate_mm applies sw.pmd in one
	 * atomic store and requires sw.cr3 with it.
	 */
	struct ukva_switch (*switch_mm)(const struct task *prev, const struct task *next,
					const struct cpu *cpu);
	/*
	 * The kernel PMD page t runs on when it is not the global swapper_pmd
	 * (a copy), else NULL.  For walkers: tests, and NUMA text replication
	 * which repoints text PMD entries in the copy.
	 */
	struct page *(*kernel_pmd)(const struct task *t);
	/* What mm, and task t beyond its mm, hold in this mode (cost.c helpers). */
	void (*mm_cost)(const struct mm *mm, struct ukva_cost *cost);
	void (*task_cost)(const struct task *t, struct ukva_cost *cost);
};

/* Indexed by enum ukva_mode; every entry set (mode.c). */
extern const struct ukva_mode_ops *const ukva_modes[UKVA_NR_MODES];

/* The mode chosen at boot. */
static inline const struct ukva_mode_ops *ukva_ops(void)
{
	return ukva_modes[ukva_mode];
}

const char *ukva_mode_name(enum ukva_mode mode);

/* The offset of the first function member of ops left NULL, or -1 when all are set. */
int ukva_ops_first_unset(const struct ukva_mode_ops *ops);

/* Check every mode's table (a hole panics) and report the chosen one at boot. */
void ukva_init(void);

/* The calls the rest of the kernel makes; the contracts are the ops'. */
static inline unsigned ukva_stack_gfp(void) { return ukva_ops()->stack_gfp; }
static inline int ukva_mm_init(struct mm *mm) { return ukva_ops()->mm_init(mm); }
static inline void ukva_mm_destroy(struct mm *mm) { ukva_ops()->mm_destroy(mm); }
static inline int ukva_task_attach(struct task *t, struct mm *mm)
{
	return ukva_ops()->task_attach(t, mm);
}
static inline void ukva_task_detach(struct task *t) { ukva_ops()->task_detach(t); }
static inline void ukva_task_leave_mm(struct task *t) { ukva_ops()->leave_mm(t); }
static inline bool ukva_window_fault(uint32_t addr) { return ukva_ops()->window_fault(addr); }
static inline void ukva_mm_cost(const struct mm *mm, struct ukva_cost *cost)
{
	ukva_ops()->mm_cost(mm, cost);
}
static inline void ukva_task_cost(const struct task *t, struct ukva_cost *cost)
{
	ukva_ops()->task_cost(t, cost);
}

#endif
