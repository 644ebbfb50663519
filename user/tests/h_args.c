/*
 * Helper for t_exec: h_args FD [ARG...] reports how it was started by
 * writing to file descriptor FD (inherited across execve) one line per
 * fact: "pid=N", then "arg=S" for each argv entry, then "env=S" for each
 * environment entry.
 */
#include "printf.h"
#include "string.h"
#include "syscall.h"

int main(int argc, char **argv, char **envp)
{
	int fd;

	if (argc < 2)
		return 2;
	fd = atoi(argv[1]);
	fprintf(fd, "pid=%ld\n", sys_getpid());
	for (int i = 0; i < argc; i++)
		fprintf(fd, "arg=%s\n", argv[i]);
	for (char **e = envp; *e != NULL; e++)
		fprintf(fd, "env=%s\n", *e);
	return 0;
}
