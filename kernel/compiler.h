/* Small helpers every kernel file may use. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#define ARRAY_SIZE(a)           (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)          (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)        ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)        (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)               ((a) < (b) ? (a) : (b))
#define MAX(a, b)               ((a) > (b) ? (a) : (b))
#define DIV_ROUND_UP(n, d)      (((n) + (d) - 1) / (d))

#define __section(s)            __attribute__((section(s)))
#define __used                  __attribute__((used))
#define __noreturn              __attribute__((noreturn))
#define __packed                __attribute__((packed))
#define likely(x)               __builtin_expect(!!(x), 1)
#define unlikely(x)             __builtin_expect(!!(x), 0)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define READ_ONCE(x)            (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)        (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()               __asm__ volatile("" ::: "memory")

#endif
