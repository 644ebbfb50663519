/*
 * Thread-local storage segments: each task owns three GDT descriptors
 * (GDT entries 6-8, Linux's slots), copied into its CPU's GDT whenever
 * it is switched in.  A user thread loads one into %gs.
 */
#ifndef ARCH_I386_TLS_H
#define ARCH_I386_TLS_H

#include <stdbool.h>
#include <stdint.h>

struct task;

/*
 * set_thread_area for task t from the struct user_desc at uaddr.  With
 * can_allocate, entry_number -1 picks a free slot and writes it back.
 * Returns 0, -EFAULT, -EINVAL, or -ESRCH when no slot is free.
 */
int tls_set_from_user(struct task *t, uintptr_t uaddr, bool can_allocate);
/* dst starts with src's descriptors (fork, clone without CLONE_SETTLS). */
void tls_copy(struct task *dst, const struct task *src);
/* Empty every slot (exec). */
void tls_clear(struct task *t);
/*
 * May IRET load sel into SS on the way back to t's user mode?  A user
 * can put a TLS selector in SS and then empty or change that slot (or run
 * as a thread whose slot differs); IRET would then fault in the kernel.
 */
bool tls_user_ss_ok(const struct task *t, uint16_t sel);
/* Install t's descriptors in this CPU's GDT.  Interrupts off. */
void tls_load(const struct task *t);

#endif
