/*
 * The kernel/user ABI of this kernel's own system calls (abi/unistd.h):
 * the address-space modes, the event counters, struct ukva_meminfo and
 * struct ukva_textwalk.
 * Included by the kernel (mm/ukva/ukva.h, kernel/counters.h) and by user
 * space (user/lib/ukva.h).
 */
#ifndef ABI_UKVA_H
#define ABI_UKVA_H

#include <stdint.h>

/* The address-space modes (boot option mm=), as ukva_meminfo reports them. */
enum ukva_mode { UKVA_SHARED, UKVA_PER_MM, UKVA_PER_TASK, UKVA_PER_CPU, UKVA_NR_MODES };

/* Pages of a task's private window area (per-task, per-cpu): what ukva_private_touch may map. */
#define UKVA_PRIVATE_AREA_PAGES 32

/*
 * The per-CPU event counters, in ukva_counters' order, with the names the
 * kernel prints: X(id, "name") for each.  New ones go at the end.
 */
#define UKVA_COUNTERS(X)                                                        \
	X(CR3_WRITE,        "cr3_writes")      /* CR3 loads, any cause */        \
	X(TLB_FLUSH_ALL,    "tlb_flush_all")   /* whole-TLB flushes */           \
	X(TLB_FLUSH_ONE,    "tlb_flush_one")   /* single-page invalidations */   \
	X(SWITCH_SAME_MM,   "switch_same_mm")  /* between tasks of one mm */     \
	X(SWITCH_CROSS_MM,  "switch_cross_mm") /* between different mms */       \
	X(KMAP,             "kmap")            /* kmap() calls */                \
	X(KMAP_ATOMIC,      "kmap_atomic")     /* kmap_atomic() calls */         \
	X(WINDOW_ACCESS,    "window_access")   /* PTE accesses through a window */ \
	X(WINDOW_FAULT,     "window_fault")    /* faults on a window address */  \
	X(PAGE_FAULT,       "page_fault")      /* user page faults handled */    \
	X(SYSCALL,          "syscall")         /* int 0x80 entries */            \
	X(SHOOTDOWN,        "shootdown")       /* TLB shootdown IPIs sent */    \
	X(TEXT_LOCAL,       "text_local")      /* EIP samples (kernel/sample.h): text from this CPU's node */ \
	X(TEXT_REMOTE,      "text_remote")     /* EIP samples: kernel text from another node */ \
	X(TEXT_REPOINT,     "text_repoint")    /* text PMD entries of a copy rewritten */ \
	X(TEXT_REMOTE_SWITCH, "text_remote_switch") /* per-mm: a switch leaves a thread on remote text */ \
	X(FPU_SWITCH,       "fpu_switch")      /* FPU states saved or loaded */ \
	X(SWITCH_INVLPG,    "switch_invlpg")   /* per-cpu: window pages a switch INVLPGs */

#define UKVA_COUNTER_ENUM(id, name) CNT_##id,
enum ukva_counter { UKVA_COUNTERS(UKVA_COUNTER_ENUM) NR_UKVA_COUNTERS };
#undef UKVA_COUNTER_ENUM

/* What ukva_meminfo(buf, size) fills. */
struct ukva_meminfo {
	uint32_t mode;                  /* enum ukva_mode */
	uint32_t free_pages;            /* in every zone */
	uint32_t free_lowmem_pages;
	uint32_t free_highmem_pages;
	uint32_t tasks;                 /* task structs not yet freed */
	uint32_t cpus;                  /* online */
	/* What the calling task and its mm cost in this mode, in bytes (mm/ukva/cost.c). */
	uint32_t task_pgtable_bytes, task_lowmem_bytes;
	uint32_t mm_pgtable_bytes, mm_lowmem_bytes;
};

/* ukva_profile(op, cpu, buf, n) operations (kernel/profile.c). */
enum ukva_profile_op {
	UKVA_PROFILE_TOTALS,    /* buf: one struct ukva_profile_totals */
	UKVA_PROFILE_KERNEL,    /* buf: a struct ukva_profile_entry per kernel function hit */
	UKVA_PROFILE_USER,      /* buf: a struct ukva_profile_entry per user page hit */
	UKVA_PROFILE_RESET,     /* zero every count (all CPUs) */
};

struct ukva_profile_totals {
	uint32_t kernel;        /* kernel-mode samples */
	uint32_t kernel_other;  /* ... of them outside kernel text */
	uint32_t user;          /* user-mode samples */
	uint32_t user_other;    /* ... of them on pages the per-CPU table had no room for */
	uint32_t hz;            /* samples per second per CPU */
};

struct ukva_profile_entry {
	uint32_t addr;          /* function start, or user page address */
	uint32_t hits;
};

/* A caller that passes size 0 gets the first version: the fields up to cpus. */
#define UKVA_MEMINFO_V1_SIZE    24

/* CPU numbers ukva_textwalk reports on (the kernel's NR_CPUS). */
#define UKVA_NR_CPUS            16

/* One CPU's walk of its kernel text from its live CR3 (numa/locality.h): ukva_textwalk. */
struct ukva_textwalk {
	int32_t cpu;                    /* -1: not online */
	int32_t node;                   /* the CPU's NUMA node */
	int32_t replica;                /* node whose text replica it maps; -1: none or torn */
	uint32_t pages;                 /* text+rodata pages walked */
	uint32_t local;                 /* of those, on the CPU's node */
	uint32_t cr3;                   /* the PGD it was walked from */
};

#endif
