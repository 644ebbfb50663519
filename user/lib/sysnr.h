/*
 * Linux i386 system call numbers (the subset this project uses) and this
 * kernel's own: the kernel/user ABI header abi/unistd.h, which the kernel
 * includes too.
 */
#ifndef USER_SYSNR_H
#define USER_SYSNR_H

#include "abi/unistd.h"

#endif
