/*
 * The kernel/user ABI: wait4(2)'s options and its status word, Linux's
 * values (include/uapi/linux/wait.h and the W* macros of <sys/wait.h>).
 * The status word holds the exit code << 8, or the number of the signal
 * that killed the task in the low 7 bits (bit 7 flags a core dump, which
 * a host Linux may set).  Included by the kernel (kernel/exit.c) and by
 * user space (user/lib/abi.h).
 */
#ifndef ABI_WAIT_H
#define ABI_WAIT_H

#define WNOHANG         0x00000001
#define WUNTRACED       0x00000002
#define WCONTINUED      0x00000008
#define __WNOTHREAD     0x20000000
#define __WALL          0x40000000
#define __WCLONE        0x80000000

/* Making the status word (the kernel) ... */
#define W_EXITCODE(code)        (((code) & 0xFF) << 8)
#define W_SIGNALED(sig)         ((sig) & 0x7F)

/* ... and reading it (user space). */
#define WIFEXITED(s)            (((s) & 0x7f) == 0)
#define WEXITSTATUS(s)          (((s) >> 8) & 0xff)
#define WTERMSIG(s)             ((s) & 0x7f)
#define WIFSIGNALED(s)          (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)

#endif
