/*
 * Linux i386 system call numbers: the subset this project uses, with the
 * values of Linux's arch/x86/entry/syscalls/syscall_32.tbl (the same as
 * <asm/unistd_32.h>). The kernel and these programs must agree on them, and
 * so must the host Linux that runs the same binaries.
 */
#ifndef USER_SYSNR_H
#define USER_SYSNR_H

#define __NR_exit               1
#define __NR_fork               2
#define __NR_read               3
#define __NR_write              4
#define __NR_close              6
#define __NR_waitpid            7
#define __NR_execve             11
#define __NR_getpid             20
#define __NR_pipe               42
#define __NR_ioctl              54
#define __NR_brk                45
#define __NR_getppid            64
#define __NR_reboot             88
#define __NR_munmap             91
#define __NR_ioperm             101
#define __NR_wait4              114
#define __NR_clone              120
#define __NR_mprotect           125
#define __NR_sched_yield        158
#define __NR_nanosleep          162
#define __NR_mmap2              192
#define __NR_gettid             224
#define __NR_futex              240
#define __NR_sched_setaffinity  241
#define __NR_sched_getaffinity  242
#define __NR_set_thread_area    243
#define __NR_exit_group         252
#define __NR_clock_gettime      265

#endif
