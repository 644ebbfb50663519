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

/* mmap2, mprotect */
#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_POPULATE  0x8000

/* clone: the low byte holds the signal sent to the parent at exit. */
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_THREAD         0x00010000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000

/* futex operations */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

/* Signal numbers that the kernel reports for faults (and SIGCHLD for clone). */
#define SIGILL   4
#define SIGTRAP  5
#define SIGFPE   8
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGCHLD 17

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
