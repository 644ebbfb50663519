/*
 * clone(2) called directly: as fork (flags = SIGCHLD), with the
 * CLONE_PARENT_SETTID and CLONE_CHILD_CLEARTID words, and with the flag
 * combinations Linux refuses. Threads made with clone are in t_thread.
 */
#include "ktap.h"
#include "syscall.h"

/* clone(SIGCHLD) with no new stack is fork: the child returns 0 and its
 * exit code reaches the parent's wait4. */
static void clone_as_fork(void)
{
	long pid = sys_clone(SIGCHLD, NULL, NULL, NULL, NULL);
	int status;

	if (pid == 0)
		sys_exit_group(sys_getppid() > 0 ? 3 : 4);
	if (!EXPECT_GE(pid, 1))
		return;
	EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
	EXPECT_EXIT(status, 3);
}

/* CLONE_PARENT_SETTID stores the child's id in the parent. In a process
 * that does not share memory with us (no CLONE_VM), the child's own copy of
 * the CLONE_CHILD_CLEARTID word is what the kernel clears: ours stays. */
static void tid_words(void)
{
	int ptid = 0, ctid = -1;
	long pid = sys_clone(SIGCHLD | CLONE_PARENT_SETTID |
				     CLONE_CHILD_CLEARTID,
			     NULL, &ptid, NULL, &ctid);
	int status;

	if (pid == 0)
		sys_exit_group(0);
	if (!EXPECT_GE(pid, 1))
		return;
	EXPECT_EQ(ptid, pid);
	EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
	EXPECT_EXIT(status, 0);
	EXPECT_EQ(ctid, -1);
}

/* Flag combinations that make no sense: a thread must share signal
 * handlers, and shared signal handlers need shared memory (EINVAL). */
static void bad_flags(void)
{
	long r;

	r = sys_clone(CLONE_THREAD | CLONE_VM, NULL, NULL, NULL, NULL);
	if (r == 0)
		sys_exit(0);
	EXPECT_ERRNO(r, EINVAL);
	r = sys_clone(CLONE_SIGHAND | SIGCHLD, NULL, NULL, NULL, NULL);
	if (r == 0)
		sys_exit_group(0);
	EXPECT_ERRNO(r, EINVAL);
}

/* A CLONE_SETTLS descriptor the kernel cannot read: EFAULT, and no child. */
static void bad_tls_pointer(void)
{
	int status;
	long r = sys_clone(SIGCHLD | CLONE_SETTLS, NULL, NULL, (void *)1,
			   NULL);

	if (r == 0)
		sys_exit_group(0);
	EXPECT_ERRNO(r, EFAULT);
	EXPECT_ERRNO(sys_wait4(-1, &status, WNOHANG, NULL), ECHILD);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(clone_as_fork),
	KTAP_CASE(tid_words),
	KTAP_CASE(bad_flags),
	KTAP_CASE(bad_tls_pointer),
};

int main(void)
{
	return ktap_run("t_clone", cases, ARRAY_SIZE(cases));
}
