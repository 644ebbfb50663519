/*
 * The kernel/user ABI: system call numbers.  Linux i386's
 * (arch/x86/entry/syscalls/syscall_32.tbl) for those implemented, so a
 * static Linux binary runs here unchanged and the user programs run on the
 * host Linux too; and this kernel's own calls above Linux's range, which
 * return -ENOSYS on Linux.  ioctl, reboot and ioperm are not implemented
 * here (-ENOSYS): ukva_bench uses them only as Linux's PID 1.  Included by the kernel (kernel/unistd.h) and
 * by user space (user/lib/sysnr.h).
 */
#ifndef ABI_UNISTD_H
#define ABI_UNISTD_H

#define __NR_exit               1
#define __NR_fork               2
#define __NR_read               3
#define __NR_write              4
#define __NR_close              6
#define __NR_waitpid            7
#define __NR_execve             11
#define __NR_getpid             20
#define __NR_pipe               42
#define __NR_brk                45
#define __NR_ioctl              54
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

#define NR_LINUX_SYSCALLS       512     /* above Linux i386's last number */

/* This kernel's own (abi/ukva.h): the research counters and memory state. */
#define __NR_ukva_counters      4000
#define __NR_ukva_meminfo       4001
#define __NR_ukva_textwalk      4002
#define __NR_ukva_profile       4003
#define __NR_ukva_private_touch 4004    /* map pages of the caller's private window area */

#endif
