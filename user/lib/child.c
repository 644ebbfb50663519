/* Child processes for tests. */
#include "child.h"

#include "syscall.h"

/* Forks; the child runs fn(arg) and exits with its return value. Returns
 * the child's pid, or -errno. */
long child_start(int (*fn)(void *), void *arg)
{
	long pid = sys_fork();

	if (pid == 0)
		sys_exit_group(fn(arg));
	return pid;
}

/* Reaps child pid; returns its wait status word, or -errno. */
long child_wait(long pid)
{
	int status;
	long r = sys_wait4((int)pid, &status, 0, NULL);

	return r < 0 ? r : status;
}

/* child_start then child_wait: returns the wait status, or -errno. */
long child_run(int (*fn)(void *), void *arg)
{
	long pid = child_start(fn, arg);

	return pid < 0 ? pid : child_wait(pid);
}
