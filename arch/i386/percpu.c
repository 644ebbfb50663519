/* The per-CPU data (percpu.h).  Application processors fill theirs in smpboot.c. */
#include "arch/i386/percpu.h"
#include "kernel/task.h"

/* The boot CPU runs the boot thread from the first instruction on. */
struct cpu cpus[NR_CPUS] = {
	[0] = { .self = &cpus[0], .id = 0, .current_task = &init_task, .idle = &init_task, .online = true },
};
