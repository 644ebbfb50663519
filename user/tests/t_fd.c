/*
 * File descriptors in general: read, write and close reject descriptors
 * that are not open (EBADF) and buffers the caller cannot access (EFAULT).
 */
#include "ktap.h"
#include "syscall.h"

/* A count of 0 transfers nothing and so touches no memory: even a NULL
 * buffer is fine, on an open descriptor. */
static void zero_count(void)
{
	int fds[2];

	EXPECT_EQ(sys_write(1, NULL, 0), 0);
	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_EQ(sys_write(fds[1], NULL, 0), 0);
	EXPECT_EQ(sys_read(fds[0], NULL, 0), 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

/* Descriptors that were never open, negative ones, and huge ones: EBADF. */
static void bad_fds(void)
{
	static const int bad[] = { 99, 1023, 1024, 65536, -1, 0x7fffffff };
	char c;

	for (int i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_ERRNO(sys_read(bad[i], &c, 1), EBADF);
		EXPECT_ERRNO(sys_write(bad[i], "x", 1), EBADF);
		EXPECT_ERRNO(sys_close(bad[i]), EBADF);
	}
}

/* A closed descriptor is gone: using or closing it again is EBADF. */
static void use_after_close(void)
{
	int fds[2];
	char c;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_OK(sys_close(fds[0]));
	EXPECT_OK(sys_close(fds[1]));
	EXPECT_ERRNO(sys_close(fds[0]), EBADF);
	EXPECT_ERRNO(sys_read(fds[0], &c, 1), EBADF);
	EXPECT_ERRNO(sys_write(fds[1], "x", 1), EBADF);
}

/* Bad buffer pointers on an open descriptor: EFAULT, whether NULL, low
 * garbage or a kernel address. */
static void bad_buffer_efault(void)
{
	EXPECT_ERRNO(sys_write(1, NULL, 1), EFAULT);
	EXPECT_ERRNO(sys_write(1, (void *)1, 1), EFAULT);
	EXPECT_ERRNO(sys_write(1, (void *)0xc0000000, 16), EFAULT);
	EXPECT_ERRNO(sys_write(1, (void *)0xfffff000, 16), EFAULT);
}

/* The descriptor check comes before the buffer check: a bad descriptor
 * with a bad buffer is EBADF. */
static void ebadf_before_efault(void)
{
	EXPECT_ERRNO(sys_write(99, (void *)1, 1), EBADF);
	EXPECT_ERRNO(sys_read(99, (void *)1, 1), EBADF);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(zero_count),
	KTAP_CASE(bad_fds),
	KTAP_CASE(use_after_close),
	KTAP_CASE(bad_buffer_efault),
	KTAP_CASE(ebadf_before_efault),
};

int main(void)
{
	return ktap_run("t_fd", cases, ARRAY_SIZE(cases));
}
