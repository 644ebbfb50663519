/*
 * Helper for t_hostile_exit: h_read FD CODE reads one byte from file descriptor
 * FD (inherited across execve) and exits with status CODE.
 */
#include "string.h"
#include "syscall.h"

int main(int argc, char **argv)
{
	char c;

	if (argc != 3)
		return 100;
	sys_read(atoi(argv[1]), &c, 1);
	return atoi(argv[2]);
}
