/*
 * Regression tests for kernel bugs the fuzzer (user/fuzz) found, one case
 * each. The addresses are in the kernel's part both here (0xC0000000 up)
 * and for a 32-bit process on a 64-bit Linux (0xFFFFE000 up).
 */
#include "ktap.h"
#include "syscall.h"

#define LAST_PAGE ((void *)0xFFFFF000u)

/* FUTEX_WAKE on a word no user can have: EFAULT, not "woke 0". */
static void futex_wake_kernel_address(void)
{
	EXPECT_ERRNO(sys_futex(LAST_PAGE, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(futex_wake_kernel_address),
};

int main(void)
{
	return ktap_run("t_fuzzfound", cases, ARRAY_SIZE(cases));
}
