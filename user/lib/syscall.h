/*
 * System calls. Each sys_* function makes one Linux i386 system call through
 * int $0x80 and returns the kernel's raw result: a value, or -errno in
 * [-4095, -1]. Nothing is hidden: no retry, no global errno.
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>

#include "abi.h"
#include "errno.h"
#include "sysnr.h"

/* Makes system call nr with six arguments (unused ones are ignored by the
 * kernel); returns the kernel's eax. Written in assembly: raw_syscall.S. */
long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* Returns true if r, a raw system call result, is -errno rather than a value
 * (an address returned by mmap2 may be "negative" as a long). */
static inline bool is_err(long r)
{
	return (unsigned long)r >= (unsigned long)-MAX_ERRNO;
}

_Noreturn void sys_exit(int code);
_Noreturn void sys_exit_group(int code);
long sys_fork(void);
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
/* Reads exactly n bytes from fd; returns n, or what the last read said. */
long read_full(int fd, void *buf, long n);
long sys_close(int fd);
long sys_waitpid(int pid, int *status, int options);
long sys_wait4(int pid, int *status, int options, void *rusage);
long sys_execve(const char *path, char *const argv[], char *const envp[]);
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_pipe(int *fds);
long sys_brk(void *addr);
long sys_mmap2(void *addr, size_t len, int prot, int flags, int fd,
	       unsigned long pgoff);
long sys_munmap(void *addr, size_t len);
long sys_mprotect(void *addr, size_t len, int prot);
long sys_clone(unsigned long flags, void *stack, int *parent_tid,
	       struct user_desc *tls, int *child_tid);
long sys_sched_yield(void);
/* Linux only (this kernel answers -ENOSYS): ioctl, port access, power-off. */
long sys_ioctl(int fd, unsigned long request, unsigned long arg);
long sys_ioperm(unsigned long from, unsigned long num, int on);
long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, void *arg);
long sys_nanosleep(const struct timespec *req, struct timespec *rem);
long sys_clock_gettime(int clock, struct timespec *ts);
long sys_futex(int *uaddr, int op, int val, const struct timespec *timeout,
	       int *uaddr2, int val3);
long sys_sched_setaffinity(int pid, size_t len, const void *mask);
long sys_sched_getaffinity(int pid, size_t len, void *mask);
long sys_set_thread_area(struct user_desc *desc);

#endif
