/*
 * wait4 and waitpid: status words, WNOHANG, and every way to call them
 * wrongly.
 */
#include "child.h"
#include "ktap.h"
#include "syscall.h"

/* Child side of most cases: exits with code. */
static int exit_with(void *code)
{
	return (int)(long)code;
}

/* The status word is exactly code << 8 for a normal exit. */
static void status_encoding(void)
{
	static const int codes[] = { 0, 1, 42, 127, 128, 255 };
	int status;

	for (int i = 0; i < ARRAY_SIZE(codes); i++) {
		long pid = child_start(exit_with, (void *)(long)codes[i]);

		EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
		EXPECT_EQ(status, codes[i] << 8);
	}
}

/* The old waitpid entry point (7) behaves like wait4 without rusage. */
static void waitpid_syscall(void)
{
	long pid = child_start(exit_with, (void *)9);
	int status;

	EXPECT_EQ(sys_waitpid((int)pid, &status, 0), pid);
	EXPECT_EXIT(status, 9);
	EXPECT_ERRNO(sys_waitpid(-1, &status, 0), ECHILD);
}

/* A NULL status pointer is allowed: the child is reaped all the same. */
static void null_status(void)
{
	long pid = child_start(exit_with, (void *)1);

	EXPECT_EQ(sys_wait4((int)pid, NULL, 0, NULL), pid);
	EXPECT_ERRNO(sys_wait4((int)pid, NULL, 0, NULL), ECHILD);
}

/* Child side of wnohang: blocks until the parent writes to the pipe. */
static int wait_for_byte(void *fds)
{
	char c;

	sys_close(((int *)fds)[1]);
	return sys_read(((int *)fds)[0], &c, 1) == 1 ? 0 : 1;
}

/* WNOHANG returns 0 while the child runs, and its pid once it has exited. */
static void wnohang(void)
{
	int fds[2], status = -1;
	long pid;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	pid = child_start(wait_for_byte, fds);
	EXPECT_EQ(sys_wait4((int)pid, &status, WNOHANG, NULL), 0);
	EXPECT_EQ(sys_write(fds[1], "x", 1), 1);
	EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
	EXPECT_EXIT(status, 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

/* With no children at all, every form of wait says ECHILD, and WNOHANG
 * does not turn that into 0. */
static void no_children(void)
{
	int status;

	EXPECT_ERRNO(sys_wait4(-1, &status, 0, NULL), ECHILD);
	EXPECT_ERRNO(sys_wait4(-1, &status, WNOHANG, NULL), ECHILD);
	EXPECT_ERRNO(sys_waitpid(-1, &status, 0), ECHILD);
}

/* Waiting for a process that is not our child: ECHILD. */
static void not_a_child(void)
{
	int status;

	EXPECT_ERRNO(sys_wait4((int)sys_getpid(), &status, 0, NULL), ECHILD);
	EXPECT_ERRNO(sys_wait4((int)sys_getppid(), &status, 0, NULL), ECHILD);
	EXPECT_ERRNO(sys_wait4(0x3fffffff, &status, 0, NULL), ECHILD);
}

/* A status pointer the kernel cannot write: EFAULT. Linux has reaped the
 * child by then, so a second wait finds nothing. */
static void bad_status_pointer(void)
{
	long pid = child_start(exit_with, (void *)0);

	EXPECT_ERRNO(sys_wait4((int)pid, (int *)1, 0, NULL), EFAULT);
	EXPECT_ERRNO(sys_wait4((int)pid, NULL, 0, NULL), ECHILD);
	pid = child_start(exit_with, (void *)0);
	EXPECT_ERRNO(sys_wait4((int)pid, (int *)0xc0000000, 0, NULL), EFAULT);
	EXPECT_ERRNO(sys_wait4((int)pid, NULL, 0, NULL), ECHILD);
}

/* Unknown option bits: EINVAL, even with a child to wait for. */
static void bad_options(void)
{
	long pid = child_start(exit_with, (void *)0);
	int status;

	EXPECT_ERRNO(sys_wait4((int)pid, &status, 0x10, NULL), EINVAL);
	EXPECT_EXIT(child_wait(pid), 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(status_encoding),
	KTAP_CASE(waitpid_syscall),
	KTAP_CASE(null_status),
	KTAP_CASE(wnohang),
	KTAP_CASE(no_children),
	KTAP_CASE(not_a_child),
	KTAP_CASE(bad_status_pointer),
	KTAP_CASE(bad_options),
};

int main(void)
{
	return ktap_run("t_wait", cases, ARRAY_SIZE(cases));
}
