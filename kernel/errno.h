/* Linux's error numbers: the kernel/user ABI in abi/errno.h. */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include "abi/errno.h"

#endif
