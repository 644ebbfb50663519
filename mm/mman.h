/*
 * mmap and mprotect: the constants user space passes (the ABI, in
 * abi/mman.h) and the kernel's policy around them.
 */
#ifndef MM_MMAN_H
#define MM_MMAN_H

#include "abi/mman.h"

/*
 * Not ABI but policy: the lowest address a user mapping may cover, Linux's
 * vm.mmap_min_addr.  We take 64 KiB, the value Kconfig's help recommends
 * for x86 and Debian and Ubuntu set (the Kconfig default is 4096): a NULL
 * pointer plus any small offset faults.  Static binaries load far above.
 */
#define MMAP_MIN_ADDR           0x10000

#endif
