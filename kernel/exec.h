/* Replacing a process's program: execve, and the first user process. */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

/*
 * Turn the current kernel thread into the init process running path
 * (argv = { path }), and enter user mode.  Returns only on failure, with
 * a negative errno.
 */
int run_init_process(const char *path);

#endif
