/* Linux's i386 signal numbers: the kernel/user ABI in abi/signal.h. */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "abi/signal.h"

#endif
