/*
 * The Linux i386 user ABI: the structures and flag values that system calls
 * exchange with user space. Values are Linux's, so the same binary means the
 * same thing on the host Linux and on our kernel.
 */
#ifndef USER_ABI_H
#define USER_ABI_H

#include <stdint.h>

#define PAGE_SIZE 4096

/* The i386 "old" timespec: a 32-bit time_t, used by nanosleep (162) and
 * clock_gettime (265). */
struct timespec {
	long tv_sec;
	long tv_nsec;
};

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

/* set_thread_area(2) and CLONE_SETTLS: one TLS segment descriptor.
 * entry_number -1 asks the kernel to pick a free GDT slot and write it back. */
struct user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t seg_32bit : 1;
	uint32_t contents : 2;       /* 0 data, 1 expand-down, 2-3 code */
	uint32_t read_exec_only : 1;
	uint32_t limit_in_pages : 1;
	uint32_t seg_not_present : 1;
	uint32_t useable : 1;
};

/* mmap2, mprotect: PROT_*, MAP_* */
#include "abi/mman.h"

/* clone: CLONE_*, CSIGNAL */
#include "abi/sched.h"

/* futex operations */
#include "abi/futex.h"

/* Signal numbers */
#include "abi/signal.h"

/* wait4 options and the status word: W* */
#include "abi/wait.h"

/* Auxiliary vector keys (the pairs after envp on the initial stack). */
#include "abi/auxvec.h"

#endif
