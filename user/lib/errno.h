/*
 * Linux error numbers, from the kernel/user ABI header abi/errno.h.
 * System calls return them negated: -EFAULT, not -1 with a global errno.
 */
#ifndef USER_ERRNO_H
#define USER_ERRNO_H

#include "abi/errno.h"

/* Returns the symbolic name of error number e ("EFAULT"), or "?". */
const char *errno_name(long e);

#endif
