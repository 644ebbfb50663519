/*
 * The system call table and dispatcher.  Every number not in the table
 * returns -ENOSYS, as Linux does for calls it does not have.
 */
#include "kernel/syscall.h"
#include "kernel/unistd.h"
#include "kernel/errno.h"
#include "kernel/task.h"
#include "kernel/counters.h"
#include "arch/i386/traps.h"
#include "arch/i386/cpu.h"

/* Linux's numbers, and this kernel's own (numbered from __NR_ukva_counters). */
#define LINUX_SYSCALLS(X)                                               \
	X(exit) X(fork) X(read) X(write) X(close) X(waitpid) X(execve)  \
	X(getpid) X(brk) X(pipe) X(getppid) X(munmap) X(wait4) X(clone) \
	X(mprotect) X(sched_yield) X(nanosleep) X(mmap2) X(gettid)      \
	X(futex) X(sched_setaffinity) X(sched_getaffinity)              \
	X(set_thread_area) X(exit_group) X(clock_gettime)
#define LOCAL_SYSCALLS(X) X(ukva_counters) X(ukva_meminfo) X(ukva_textwalk) X(ukva_profile) \
	X(ukva_private_touch)

#define DECLARE(name) long sys_##name(const struct trap_frame *regs);
LINUX_SYSCALLS(DECLARE)
LOCAL_SYSCALLS(DECLARE)

#define LINUX_ENTRY(name) [__NR_##name] = sys_##name,
#define LOCAL_ENTRY(name) [__NR_##name - __NR_ukva_counters] = sys_##name,
static const syscall_fn linux_table[NR_LINUX_SYSCALLS] = { LINUX_SYSCALLS(LINUX_ENTRY) };
static const syscall_fn local_table[] = { LOCAL_SYSCALLS(LOCAL_ENTRY) };

#define NR_LOCAL_SYSCALLS (sizeof(local_table) / sizeof(local_table[0]))

static syscall_fn lookup(uint32_t nr)
{
	if (nr < NR_LINUX_SYSCALLS)
		return linux_table[nr];
	if (nr - __NR_ukva_counters < NR_LOCAL_SYSCALLS)
		return local_table[nr - __NR_ukva_counters];
	return NULL;
}

struct trap_frame *current_user_frame(void)
{
	/* Entry from ring 3 leaves the frame at the very top of the kernel stack. */
	return (struct trap_frame *)current->thread.esp0 - 1;
}

void syscall_trap(struct trap_frame *f)
{
	syscall_fn fn = lookup(f->eax);

	count_event_cpu(CNT_SYSCALL);
	f->eax = fn ? (uint32_t)fn(f) : (uint32_t)-ENOSYS;
	local_irq_disable();
	trap_exit_work(f);
}
