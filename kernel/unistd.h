/* System call numbers: the kernel/user ABI in abi/unistd.h. */
#ifndef KERNEL_UNISTD_H
#define KERNEL_UNISTD_H

#include "abi/unistd.h"

#endif
