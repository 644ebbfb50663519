/* Helper for t_exec: h_exit CODE exits with status CODE. */
#include "string.h"

int main(int argc, char **argv)
{
	return argc == 2 ? atoi(argv[1]) : 100;
}
