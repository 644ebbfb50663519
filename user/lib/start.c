/* Process start-up: find argc, argv, envp and auxv, run main, exit. */
#include "start.h"

#include "string.h"
#include "syscall.h"

char **environ;
static unsigned long *auxv;

int main(int argc, char **argv, char **envp);

/* Called by _start (crt0.S) with the initial stack pointer; exits the whole
 * process with main's return value. */
_Noreturn void start_main(unsigned long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p != NULL)
		p++;
	auxv = (unsigned long *)(p + 1);
	environ = envp;
	sys_exit_group(main(argc, argv, envp));
}

/* Returns the value of environment variable name, or NULL if unset. */
const char *getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* Returns the auxiliary vector value for key (AT_PAGESZ...), or 0. */
unsigned long getauxval(unsigned long key)
{
	for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == key)
			return a[1];
	return 0;
}
