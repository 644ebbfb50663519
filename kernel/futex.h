/* Fast user-space mutexes: FUTEX_WAIT and FUTEX_WAKE (futex(2)). */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <stdint.h>

struct mm;

/* Wake up to n tasks waiting on uaddr in mm; returns how many woke. */
int futex_wake(struct mm *mm, uintptr_t uaddr, int n);

#endif
