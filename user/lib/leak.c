#include "leak.h"
#include "printf.h"
#include "syscall.h"

bool nothing_leaked(const char *who, const struct ukva_meminfo *before)
{
	const struct timespec ms = { 0, 1000000 };
	struct ukva_meminfo after;

	for (int tries = 0; tries < 2000; tries++) {
		while (sys_wait4(-1, NULL, WNOHANG, NULL) > 0)
			;
		if (sys_ukva_meminfo(&after) != 0)
			return true;
		if (after.free_pages == before->free_pages && after.tasks == before->tasks)
			return true;
		sys_nanosleep(&ms, NULL);
	}
	printf("# %s: leaked %d frames and %d tasks\n", who,
	       (int)(before->free_pages - after.free_pages),
	       (int)(after.tasks - before->tasks));
	return false;
}
