/*
 * The kernel/user ABI: Linux's error numbers (asm-generic/errno-base.h and
 * errno.h).  System calls return them negated: -EFAULT, not -1 with a
 * global errno.  Included by the kernel (kernel/errno.h) and by user
 * space (user/lib/errno.h): the one definition both sides use.
 */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

#define EPERM            1
#define ENOENT           2
#define ESRCH            3
#define EINTR            4
#define EIO              5
#define ENXIO            6
#define E2BIG            7
#define ENOEXEC          8
#define EBADF            9
#define ECHILD          10
#define EAGAIN          11
#define ENOMEM          12
#define EACCES          13
#define EFAULT          14
#define EBUSY           16
#define EEXIST          17
#define ENODEV          19
#define ENOTDIR         20
#define EISDIR          21
#define EINVAL          22
#define ENFILE          23
#define EMFILE          24
#define ENOTTY          25
#define EFBIG           27
#define ENOSPC          28
#define ESPIPE          29
#define EROFS           30
#define EMLINK          31
#define EPIPE           32
#define ERANGE          34
#define EDEADLK         35
#define ENAMETOOLONG    36
#define ENOSYS          38
#define EOPNOTSUPP      95
#define ETIMEDOUT       110

/* Linux reserves the top 4095 values of the return register for -errno. */
#define MAX_ERRNO       4095

#endif
