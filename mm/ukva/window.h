/*
 * The UKVA window: the top 8 MiB of the kernel's space, kernel PMD entries
 * 508-511, private to an mm (mm=per-mm) or to a task (mm=per-task).
 *
 *   0xFF800000 +------------------------------------+ PMD 508
 *              | linear PTE map: the PTEs of all    | PMD 508+i -> user PMD i,
 *              | 3 GiB of user space, in order      | used as a page table
 *              | PTE of v at UKVA_PTES + (v>>12)*8   |
 *   0xFFE00000 +------------------------------------+ PMD 511 -> the window page
 *              | slot 0-2   the three user PMDs     |
 *              | slot 4     this kernel PMD copy    |
 *              | slot 5     this window page itself |
 *              | slot 7     guard (never mapped)    |
 *              | slot 8-9   kernel stack (per-task) |  TSS.esp0 = UKVA_STACK_TOP
 *              | slot 10    guard                   |
 *              | slot 16-47 private area (per-task) |  demand-filled from highmem
 *   0xFFFFFFFF +------------------------------------+
 *
 * Window entries are never global: they differ between address spaces,
 * so a CR3 write must drop them from the TLB.  Supervisor only: the
 * window's PMD entries have no user bit.
 */
#ifndef MM_UKVA_WINDOW_H
#define MM_UKVA_WINDOW_H

#include "mm/memlayout.h"
#include "abi/ukva.h"

#define UKVA_PTES               UKVA_START                      /* 0xFF800000 */
#define UKVA_SELF_PMD           511
#define UKVA_SELF               0xFFE00000u                     /* PMD 511 */
#define UKVA_SLOT(n)            (UKVA_SELF + (n) * 4096u)

#define UKVA_SLOT_USER_PMD      0                               /* 0, 1, 2 */
#define UKVA_SLOT_KERNEL_PMD    4
#define UKVA_SLOT_WINDOW        5
#define UKVA_SLOT_STACK         8
#define UKVA_STACK_PAGES        2                               /* = KSTACK_SIZE */
#define UKVA_STACK_BOTTOM       UKVA_SLOT(UKVA_SLOT_STACK)
#define UKVA_STACK_TOP          UKVA_SLOT(UKVA_SLOT_STACK + UKVA_STACK_PAGES)
#define UKVA_SLOT_PRIVATE       16
#define UKVA_PRIVATE_PAGES      UKVA_PRIVATE_AREA_PAGES         /* 32, abi/ukva.h */
#define UKVA_PRIVATE            UKVA_SLOT(UKVA_SLOT_PRIVATE)
#define UKVA_PRIVATE_END        UKVA_SLOT(UKVA_SLOT_PRIVATE + UKVA_PRIVATE_PAGES)

#endif
