/*
 * The only ways the kernel touches user memory.  Each checks that the
 * range lies below USER_END, then copies with fault fixups: a bad user
 * pointer gives -EFAULT, never a kernel fault.  Demand paging happens
 * transparently inside a copy (the fault handler pages in valid areas).
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/memlayout.h"
#include "kernel/errno.h"

size_t __copy_user(void *dst, const void *src, size_t n);
long __strncpy_from_user(char *dst, const char *src, long max);

/* Does [addr, addr + n) lie in user space (and not wrap)? */
static inline bool access_ok(uintptr_t addr, size_t n)
{
	return addr <= USER_END && n <= USER_END - addr;
}

/* Copy n bytes from user space; returns 0 or -EFAULT. */
static inline int copy_from_user(void *dst, uintptr_t src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return __copy_user(dst, (const void *)src, n) ? -EFAULT : 0;
}

/* Copy n bytes to user space; returns 0 or -EFAULT. */
static inline int copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __copy_user((void *)dst, src, n) ? -EFAULT : 0;
}

/*
 * Copy a NUL-terminated string of at most max - 1 characters into dst
 * (max bytes).  Returns its length, -ENAMETOOLONG if it does not fit, or
 * -EFAULT.
 */
static inline long strncpy_from_user(char *dst, uintptr_t src, long max)
{
	if (src >= USER_END || max <= 0)
		return -EFAULT;
	/* Unsigned: the room left below USER_END can exceed LONG_MAX. */
	uintptr_t room = USER_END - src;
	long limit = room < (uintptr_t)max ? (long)room : max;
	long n = __strncpy_from_user(dst, (const char *)src, limit);
	if (n < 0)
		return n;
	if (n == max)
		return -ENAMETOOLONG;
	if (n == limit)                 /* ran into the kernel boundary */
		return -EFAULT;
	return n;
}

#define get_user_u32(val_ptr, uaddr)    copy_from_user((val_ptr), (uaddr), sizeof(uint32_t))
#define put_user_u32(val, uaddr)        ({ uint32_t __v = (val); copy_to_user((uaddr), &__v, sizeof(__v)); })

#endif
