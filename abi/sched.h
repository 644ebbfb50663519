/*
 * The kernel/user ABI: clone(2)'s flags, Linux's values
 * (include/uapi/linux/sched.h).  The low byte is the signal the parent
 * gets at the child's exit.  Included by the kernel (kernel/fork.c) and by
 * user space (user/lib/abi.h).
 */
#ifndef ABI_SCHED_H
#define ABI_SCHED_H

#define CSIGNAL                 0x000000ff      /* exit signal to the parent */
#define CLONE_VM                0x00000100
#define CLONE_FS                0x00000200
#define CLONE_FILES             0x00000400
#define CLONE_SIGHAND           0x00000800
#define CLONE_THREAD            0x00010000
#define CLONE_SYSVSEM           0x00040000
#define CLONE_SETTLS            0x00080000
#define CLONE_PARENT_SETTID     0x00100000
#define CLONE_CHILD_CLEARTID    0x00200000
#define CLONE_DETACHED          0x00400000      /* ignored, as by Linux */
#define CLONE_CHILD_SETTID      0x01000000

#endif
