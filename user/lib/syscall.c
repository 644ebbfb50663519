/* Typed wrappers over raw_syscall, one per Linux system call we use. */
#include "syscall.h"

/* Shorthand: the kernel ignores the registers a call does not use. */
#define SC(nr, a, b, c, d, e, f) \
	raw_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
		    (long)(f))

/* Ends the calling thread only; the process lives on while others run. */
_Noreturn void sys_exit(int code)
{
	SC(__NR_exit, code, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

/* Ends every thread of the process with exit status code. */
_Noreturn void sys_exit_group(int code)
{
	SC(__NR_exit_group, code, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

/* Returns the child's pid in the parent, 0 in the child, or -errno. */
long sys_fork(void)
{
	return SC(__NR_fork, 0, 0, 0, 0, 0, 0);
}

/* Returns the number of bytes read (0 at end of file) or -errno. */
long sys_read(int fd, void *buf, size_t count)
{
	return SC(__NR_read, fd, buf, count, 0, 0, 0);
}

/* Returns the number of bytes written or -errno. */
long sys_write(int fd, const void *buf, size_t count)
{
	return SC(__NR_write, fd, buf, count, 0, 0, 0);
}

/* Reads exactly n bytes (several reads if need be); returns n, or what the
 * last read said (0 at end of file, or -errno). */
long read_full(int fd, void *buf, long n)
{
	long done = 0;

	while (done < n) {
		long r = sys_read(fd, (char *)buf + done, (size_t)(n - done));
		if (r <= 0)
			return r;
		done += r;
	}
	return done;
}

/* Returns 0 or -errno. */
long sys_close(int fd)
{
	return SC(__NR_close, fd, 0, 0, 0, 0, 0);
}

/* The old i386 entry point: wait4 without rusage. Returns a pid or -errno. */
long sys_waitpid(int pid, int *status, int options)
{
	return SC(__NR_waitpid, pid, status, options, 0, 0, 0);
}

/* Returns the pid reaped (0 with WNOHANG if none is ready) or -errno. */
long sys_wait4(int pid, int *status, int options, void *rusage)
{
	return SC(__NR_wait4, pid, status, options, rusage, 0, 0);
}

/* Returns only on failure, with -errno. */
long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return SC(__NR_execve, path, argv, envp, 0, 0, 0);
}

/* Returns the process id (the thread group id). */
long sys_getpid(void)
{
	return SC(__NR_getpid, 0, 0, 0, 0, 0, 0);
}

/* Returns the parent's process id. */
long sys_getppid(void)
{
	return SC(__NR_getppid, 0, 0, 0, 0, 0, 0);
}

/* Returns the calling thread's id (equal to getpid in the first thread). */
long sys_gettid(void)
{
	return SC(__NR_gettid, 0, 0, 0, 0, 0, 0);
}

/* Fills fds with a read end and a write end; returns 0 or -errno. */
long sys_pipe(int *fds)
{
	return SC(__NR_pipe, fds, 0, 0, 0, 0, 0);
}

/* Moves the program break to addr; returns the new break, which stays the old
 * one if the move failed (brk does not return -errno). brk(0) queries. */
long sys_brk(void *addr)
{
	return SC(__NR_brk, addr, 0, 0, 0, 0, 0);
}

/* Maps len bytes; pgoff is in 4096-byte units. Returns the address or
 * -errno: test with is_err, since addresses can look negative. */
long sys_mmap2(void *addr, size_t len, int prot, int flags, int fd,
	       unsigned long pgoff)
{
	return SC(__NR_mmap2, addr, len, prot, flags, fd, pgoff);
}

/* Returns 0 or -errno. */
long sys_munmap(void *addr, size_t len)
{
	return SC(__NR_munmap, addr, len, 0, 0, 0, 0);
}

/* Returns 0 or -errno. */
long sys_mprotect(void *addr, size_t len, int prot)
{
	return SC(__NR_mprotect, addr, len, prot, 0, 0, 0);
}

/* clone with i386's argument order (flags, stack, parent_tid, tls,
 * child_tid). With a new stack the child cannot return through C frames;
 * thread_create uses clone_thread (clone.S) instead. Returns the child's id,
 * 0 in the child, or -errno. */
long sys_clone(unsigned long flags, void *stack, int *parent_tid,
	       struct user_desc *tls, int *child_tid)
{
	return SC(__NR_clone, flags, stack, parent_tid, tls, child_tid, 0);
}

/* Returns 0. */
long sys_sched_yield(void)
{
	return SC(__NR_sched_yield, 0, 0, 0, 0, 0, 0);
}

/* Returns 0 after at least *req has passed, or -errno. */
long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return SC(__NR_nanosleep, req, rem, 0, 0, 0, 0);
}

/* Returns 0 or -errno. */
long sys_clock_gettime(int clock, struct timespec *ts)
{
	return SC(__NR_clock_gettime, clock, ts, 0, 0, 0, 0);
}

/* Returns what op returns (woken count for FUTEX_WAKE, 0 for FUTEX_WAIT) or
 * -errno. */
long sys_futex(int *uaddr, int op, int val, const struct timespec *timeout,
	       int *uaddr2, int val3)
{
	return SC(__NR_futex, uaddr, op, val, timeout, uaddr2, val3);
}

/* Returns 0 or -errno. mask is len bytes of CPU bits. */
long sys_sched_setaffinity(int pid, size_t len, const void *mask)
{
	return SC(__NR_sched_setaffinity, pid, len, mask, 0, 0, 0);
}

/* Returns the number of mask bytes the kernel wrote, or -errno. */
long sys_sched_getaffinity(int pid, size_t len, void *mask)
{
	return SC(__NR_sched_getaffinity, pid, len, mask, 0, 0, 0);
}

/* Installs a TLS descriptor; returns 0 or -errno. */
long sys_set_thread_area(struct user_desc *desc)
{
	return SC(__NR_set_thread_area, desc, 0, 0, 0, 0, 0);
}

/* Linux only: returns the request's result or -errno. */
long sys_ioctl(int fd, unsigned long request, unsigned long arg)
{
	return SC(__NR_ioctl, fd, request, arg, 0, 0, 0);
}

/* Grants (on != 0) the caller access to num I/O ports from from; Linux
 * only.  Returns 0 or -errno. */
long sys_ioperm(unsigned long from, unsigned long num, int on)
{
	return SC(__NR_ioperm, from, num, on, 0, 0, 0);
}

/* Linux's reboot(2): returns only on failure, with -errno. */
long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, void *arg)
{
	return SC(__NR_reboot, magic1, magic2, cmd, arg, 0, 0);
}
