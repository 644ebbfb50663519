/*
 * The kernel/user ABI: futex(2) operations, Linux's values
 * (include/uapi/linux/futex.h).  Included by the kernel (kernel/futex.c)
 * and by user space (user/lib/abi.h).
 */
#ifndef ABI_FUTEX_H
#define ABI_FUTEX_H

#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_CMD_MASK          (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#endif
