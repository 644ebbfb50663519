/*
 * Helper for t_exec: h_tree DEPTH builds a binary tree of processes. A node
 * of depth > 0 forks two children that execve h_tree DEPTH-1 (this same
 * program), waits for both, and exits with 1 + the sum of their exit codes:
 * so the root's exit code is the number of processes in the tree, and a
 * lost exit code anywhere shows at the top.
 */
#include "printf.h"
#include "string.h"
#include "syscall.h"

int main(int argc, char **argv)
{
	char arg[12];
	char *args[] = { argv[0], arg, NULL };
	char *env[] = { NULL };
	int depth = argc == 2 ? atoi(argv[1]) : 0;
	int sum = 1, status;
	long pids[2];

	if (depth <= 0)
		return 1;
	snprintf(arg, sizeof(arg), "%d", depth - 1);
	for (int i = 0; i < 2; i++) {
		pids[i] = sys_fork();
		if (pids[i] == 0) {
			sys_execve(argv[0], args, env);
			sys_exit_group(200);	/* execve failed */
		}
	}
	for (int i = 0; i < 2; i++) {
		if (pids[i] < 0 || sys_wait4((int)pids[i], &status, 0, NULL) < 0
		    || !WIFEXITED(status))
			return 200;
		sum += WEXITSTATUS(status);
	}
	return sum;
}
