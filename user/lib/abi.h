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
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

/* Signal numbers */
#include "abi/signal.h"

/* wait4 options and the status word: exit code << 8, or the signal number in
 * the low 7 bits (bit 7 flags a core dump, which the host may set). */
#define WNOHANG 1
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s)    ((s) & 0x7f)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)

/* Auxiliary vector keys (the pairs after envp on the initial stack). */
#define AT_NULL   0
#define AT_PAGESZ 6

#endif
