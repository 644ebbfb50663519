/*
 * fork: one call, two returns; children, grandchildren and zombies; and
 * wait4 collecting each child exactly once.
 */
#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define NCHILDREN 16

/* fork returns the child's pid in the parent and 0 in the child, whose
 * getppid is the parent. */
static void fork_returns_twice(void)
{
	long parent = sys_getpid();
	long pid = sys_fork();
	int status;

	if (pid == 0)
		sys_exit_group(sys_getppid() == parent && sys_getpid() != parent
				       ? 0 : 1);
	if (!EXPECT_GE(pid, 1))
		return;
	EXPECT_NE(pid, parent);
	EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
	EXPECT_EXIT(status, 0);
}

/* Child side of several cases: exits with code. */
static int exit_with(void *code)
{
	return (int)(long)code;
}

/* Many children, each with its own exit code, reaped by pid in reverse
 * order of creation. */
static void many_children(void)
{
	long pids[NCHILDREN];

	for (int i = 0; i < NCHILDREN; i++)
		pids[i] = child_start(exit_with, (void *)(long)(i + 1));
	for (int i = NCHILDREN - 1; i >= 0; i--)
		if (EXPECT_GE(pids[i], 1))
			EXPECT_EXIT(child_wait(pids[i]), i + 1);
}

/* wait4(-1) returns each child exactly once, then -ECHILD. */
static void wait_any_child(void)
{
	long pids[5];
	int seen = 0, status;

	for (int i = 0; i < 5; i++)
		pids[i] = child_start(exit_with, (void *)(long)i);
	for (int n = 0; n < 5; n++) {
		long pid = sys_wait4(-1, &status, 0, NULL);

		for (int i = 0; i < 5; i++) {
			if (pid == pids[i]) {
				EXPECT_EQ(seen & 1 << i, 0);
				EXPECT_EXIT(status, i);
				seen |= 1 << i;
			}
		}
	}
	EXPECT_EQ(seen, 0x1f);
	EXPECT_ERRNO(sys_wait4(-1, &status, 0, NULL), ECHILD);
}

/* Child side of grandchild: forks one more level and passes its exit code
 * up, plus one. */
static int middle(void *arg)
{
	long status = child_run(exit_with, arg);

	return WIFEXITED(status) ? WEXITSTATUS(status) + 1 : 100;
}

/* A child can fork and wait for its own children. */
static void grandchild(void)
{
	EXPECT_EXIT(child_run(middle, (void *)5), 6);
}

/* A child that exited stays a zombie until waited for: its status is not
 * lost however late the parent asks. */
static void zombie_waits_for_parent(void)
{
	const struct timespec ms20 = { 0, 20 * 1000 * 1000 };
	long pid = child_start(exit_with, (void *)33);

	EXPECT_OK(sys_nanosleep(&ms20, NULL));
	EXPECT_EXIT(child_wait(pid), 33);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(fork_returns_twice),
	KTAP_CASE(many_children),
	KTAP_CASE(wait_any_child),
	KTAP_CASE(grandchild),
	KTAP_CASE(zombie_waits_for_parent),
};

int main(void)
{
	return ktap_run("t_fork", cases, ARRAY_SIZE(cases));
}
