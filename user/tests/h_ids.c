/*
 * Helper for t_hostile_exit: h_ids PID PPID exits 0 when this process is
 * PID (getpid and gettid: a single-threaded process's one thread is its
 * leader), its parent is PPID and the scheduler finds it by that pid;
 * else the number of the first check that failed.
 */
#include "string.h"
#include "syscall.h"

int main(int argc, char **argv)
{
	uint32_t mask;

	if (argc != 3)
		return 100;
	long pid = atoi(argv[1]), ppid = atoi(argv[2]);
	if (sys_getpid() != pid)
		return 1;
	if (sys_gettid() != pid)
		return 2;
	if (sys_getppid() != ppid)
		return 3;
	if (sys_sched_getaffinity((int)pid, sizeof(mask), &mask) <= 0)
		return 4;
	return 0;
}
