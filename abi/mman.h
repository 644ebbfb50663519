/*
 * The kernel/user ABI: Linux's mmap/mprotect constants for i386, as user
 * space passes them (include/uapi/asm-generic/mman-common.h,
 * asm-generic/mman.h, linux/mman.h and arch/x86/include/uapi/asm/mman.h):
 * a static binary built against Linux headers passes exactly these.
 * Included by the kernel (mm/mman.h) and by user space (user/lib/abi.h).
 */
#ifndef ABI_MMAN_H
#define ABI_MMAN_H

/* prot: what a mapping allows. */
#define PROT_NONE               0x0
#define PROT_READ               0x1
#define PROT_WRITE              0x2
#define PROT_EXEC               0x4
#define PROT_SEM                0x8             /* accepted and ignored on x86 */
#define PROT_GROWSDOWN          0x01000000      /* mprotect: extend to the vma's start */
#define PROT_GROWSUP            0x02000000      /* mprotect: extend to the vma's end */

/* flags: the mapping type (exactly one) ... */
#define MAP_SHARED              0x01
#define MAP_PRIVATE             0x02
#define MAP_SHARED_VALIDATE     0x03            /* MAP_SHARED, but reject unknown flags */
#define MAP_TYPE                0x0f            /* mask of the type */

/* ... and modifiers. */
#define MAP_FIXED               0x10            /* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS           0x20            /* no file: zero-filled memory */
#define MAP_32BIT               0x40            /* x86-64 only; meaningless on i386 */
#define MAP_GROWSDOWN           0x0100          /* stack-like: grows down on faults */
#define MAP_DENYWRITE           0x0800          /* ignored by Linux */
#define MAP_EXECUTABLE          0x1000          /* ignored by Linux */
#define MAP_LOCKED              0x2000
#define MAP_NORESERVE           0x4000          /* no swap reservation */
#define MAP_POPULATE            0x8000          /* prefault the pages */
#define MAP_NONBLOCK            0x10000         /* with MAP_POPULATE: no read-ahead */
#define MAP_STACK               0x20000         /* a hint only */
#define MAP_HUGETLB             0x40000
#define MAP_SYNC                0x80000         /* only with MAP_SHARED_VALIDATE */
#define MAP_FIXED_NOREPLACE     0x100000        /* MAP_FIXED, but EEXIST over a mapping */
#define MAP_UNINITIALIZED       0x4000000       /* honoured only on no-MMU kernels */

#define MAP_FILE                0               /* historical, no effect */
#define MAP_ANON                MAP_ANONYMOUS

#endif
