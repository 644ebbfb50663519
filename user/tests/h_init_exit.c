/*
 * Booted as init (init=/bin/h_init_exit): leaves a child and a grandchild
 * running and exits 0. The kernel must power off with that status ("init:
 * exited"), not re-parent init's children to the dying init forever
 * (issue 11, item 9).
 */
#include "syscall.h"

int main(void)
{
	const struct timespec forever = { 100000, 0 };

	if (sys_fork() == 0) {
		if (sys_fork() == 0)
			sys_nanosleep(&forever, NULL);
		sys_nanosleep(&forever, NULL);
	}
	sys_sched_yield();
	return 0;
}
