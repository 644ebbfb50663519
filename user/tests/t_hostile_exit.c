/*
 * What hostile programs did to the kernel, part 1: processes and threads
 * that exit, and execve.  (t_hostile_mem: memory and pipes; t_hostile_tls:
 * futexes, clear_child_tid and TLS segments.)
 * Each crashed, hung or leaked the kernel before its fix (issue 11, whose
 * item number is in each comment), and each is Linux's behaviour, so it
 * passes on the host too.  Leaks are init's to catch (it compares free
 * frames and tasks around every program).
 */
#include <stdint.h>

#include "abi.h"
#include "child.h"
#include "futex.h"
#include "ktap.h"
#include "path.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"
#include "thread.h"
#include "tls.h"
#include "ukva.h"

static const struct timespec one_ms = { 0, 1000000 };
static const struct timespec forever = { 100000, 0 };

/* ---- 1: orphans of a process whose leader exited before its threads ---- */

static int orphan_fds[2];
static long orphan_parent;

/* The grandchild: wait until our parent process is gone, report getppid. */
static void grandchild(void)
{
	long ppid = sys_getppid();

	for (int i = 0; i < 5000 && ppid == orphan_parent; i++) {
		sys_nanosleep(&one_ms, NULL);
		ppid = sys_getppid();
	}
	sys_write(orphan_fds[1], &ppid, sizeof(ppid));
	sys_exit_group(0);
}

/* A non-leader thread forks after the leader has gone (a zombie leader). */
static int fork_from_thread(void *unused)
{
	(void)unused;
	if (sys_fork() == 0)
		grandchild();
	return 0;
}

static int orphan_maker(void *unused)
{
	struct thread *t;

	(void)unused;
	orphan_parent = sys_getpid();
	if (thread_create(&t, fork_from_thread, NULL) != 0)
		return 1;
	sys_exit(0);            /* the leader alone: the thread goes on */
	return 1;
}

/* The orphan is re-parented (not left pointing at its reaped parent), its
 * exit after that reaping does not touch freed memory, and it is reaped. */
static void orphan_of_threaded_parent(void)
{
	long ppid = 0;
	int status;

	if (!EXPECT_OK(sys_pipe(orphan_fds)))
		return;
	long pid = child_start(orphan_maker, NULL);
	if (EXPECT_GE(pid, 1)) {
		EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
		EXPECT_EXIT(status, 0);
		EXPECT_EQ(read_full(orphan_fds[0], &ppid, sizeof(ppid)), sizeof(ppid));
		EXPECT_NE(ppid, pid);
		EXPECT_GE(ppid, 1);
		struct ukva_meminfo mi;
		if (sys_ukva_meminfo(&mi) == 0)         /* here init (pid 1) is the reaper */
			EXPECT_EQ(ppid, 1);
	}
	sys_close(orphan_fds[0]);
	sys_close(orphan_fds[1]);
}

/* ---- 4: clone racing exit_group ---- */

static volatile int spawned;
static char tiny_stack[64] __attribute__((aligned(16)));

/* Threads that exit at once, as fast as clone makes them: the spawner
 * spends its time inside clone, where exit_group must not catch a thread
 * half made. (The children share one stack: they never touch it.) */
static int spawner(void *unused)
{
	(void)unused;
	for (;;) {
		long r;
		__asm__ volatile("int $0x80\n\t"
				 "testl %%eax, %%eax\n\t"
				 "jnz 1f\n\t"
				 "movl $1, %%eax\n\t"         /* exit(0), in the child */
				 "xorl %%ebx, %%ebx\n\t"
				 "int $0x80\n"
				 "1:"
				 : "=a"(r)
				 : "0"(120), "b"(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
						  CLONE_THREAD),
				   "c"(tiny_stack + sizeof(tiny_stack)), "d"(0), "S"(0), "D"(0)
				 : "memory");
		if (r > 0)
			__atomic_add_fetch(&spawned, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static int clone_vs_exit(void *arg)
{
	struct thread *t;
	int n = (int)(intptr_t)arg;

	if (thread_create(&t, spawner, NULL) != 0)
		return 1;
	while (__atomic_load_n(&spawned, __ATOMIC_RELAXED) < n)
		sys_sched_yield();
	sys_exit_group(7);
	return 1;
}

/* Threads being created while their process exits never run after it. */
static void clone_races_exit_group(void)
{
	for (int i = 0; i < 30; i++)
		EXPECT_EXIT(child_run(clone_vs_exit, (void *)(intptr_t)(i % 5)), 7);
}

/* ---- 8: exit_group against sleepers ---- */

static int sleep_long(void *unused)
{
	(void)unused;
	sys_nanosleep(&forever, NULL);
	return 0;
}

static int exit_while_sleeping(void *unused)
{
	struct thread *t[3];

	(void)unused;
	for (int i = 0; i < 3; i++)
		if (thread_create(&t[i], sleep_long, NULL) != 0)
			return 1;
	sys_nanosleep(&one_ms, NULL);
	sys_exit_group(4);
	return 1;
}

/* exit_group ends threads asleep in nanosleep at once (no hang). */
static void exit_group_wakes_sleepers(void)
{
	EXPECT_EXIT(child_run(exit_while_sleeping, NULL), 4);
}

/* ---- 10: threads share the children of their process ---- */

static int wait_in_thread(void *arg)
{
	int status = 0;
	long pid = *(long *)arg;

	return sys_wait4((int)pid, &status, 0, NULL) == pid && status == (9 << 8) ? 0 : 1;
}

static int fork_then_wait_in_thread(void *unused)
{
	struct thread *t;
	long pid;

	(void)unused;
	pid = sys_fork();
	if (pid == 0)
		sys_exit_group(9);
	if (pid < 0 || thread_create(&t, wait_in_thread, &pid) != 0)
		return 2;
	return thread_join(t);
}

/* wait4 in a thread other than the leader reaps the leader's child. */
static void wait_in_non_leader(void)
{
	EXPECT_EXIT(child_run(fork_then_wait_in_thread, NULL), 0);
}

/* ---- 10: execve from a process with other threads ---- */

static const char *self;        /* our argv[0] */
static char sleeper_stack[64] __attribute__((aligned(16)));

/* A thread with its own copy of the descriptor table (no CLONE_FILES),
 * asleep for good on a stack it never touches; returns its tid or -errno. */
static long start_sleeper_with_own_files(void)
{
	long r;

	__asm__ volatile("int $0x80\n\t"
			 "testl %%eax, %%eax\n\t"
			 "jnz 1f\n"
			 "2:\tmovl $162, %%eax\n\t"       /* nanosleep(&forever, 0) */
			 "movl %[ts], %%ebx\n\t"
			 "xorl %%ecx, %%ecx\n\t"
			 "int $0x80\n\t"
			 "jmp 2b\n"
			 "1:"
			 : "=a"(r)
			 : "0"(120), "b"(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD),
			   "c"(sleeper_stack + sizeof(sleeper_stack)), "d"(0), "S"(0), "D"(0),
			   [ts] "i"(&forever)
			 : "memory");
	return r;
}

static int exec_past_sleeper(void *arg)
{
	int *fds = arg;         /* x[0], x[1], y[0], y[1] */
	char path[128], fd[12];

	if (start_sleeper_with_own_files() < 0)
		return 1;
	sys_close(fds[1]);      /* now only the sleeper holds x's write end */
	if (path_sibling(path, sizeof(path), self, "h_read") != 0)
		return 2;
	snprintf(fd, sizeof(fd), "%d", fds[2]);
	char *argv[] = { path, fd, "5", NULL };
	sys_execve(path, argv, NULL);
	return 3;
}

/* execve ends the other threads: the sleeper's descriptor table goes with
 * it, so its end of the pipe closes (EOF), and the new program runs alone
 * until it exits with its own status. */
static void exec_ends_other_threads(void)
{
	int fds[4], status;
	char c;

	if (!EXPECT_OK(sys_pipe(fds)) || !EXPECT_OK(sys_pipe(fds + 2)))
		return;
	long pid = child_start(exec_past_sleeper, fds);
	sys_close(fds[1]);
	if (EXPECT_GE(pid, 1)) {
		EXPECT_EQ(sys_read(fds[0], &c, 1), 0);          /* EOF: the sleeper is gone */
		EXPECT_EQ(sys_write(fds[3], "g", 1), 1);
		EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
		EXPECT_EXIT(status, 5);
	}
	sys_close(fds[0]);
	sys_close(fds[2]);
	sys_close(fds[3]);
}

/* execve h_exit CODE; returns only if that fails. */
static void exec_from_thread_code(char *code)
{
	char path[128];

	if (path_sibling(path, sizeof(path), self, "h_exit") != 0)
		return;
	char *argv[] = { path, code, NULL };
	sys_execve(path, argv, NULL);
}

static int exec_from_thread(void *unused)
{
	(void)unused;
	exec_from_thread_code("6");
	return 3;
}

static int leader_sleeps_thread_execs(void *unused)
{
	struct thread *t;

	(void)unused;
	if (thread_create(&t, exec_from_thread, NULL) != 0)
		return 1;
	sys_nanosleep(&forever, NULL);  /* ended by the thread's execve */
	return 4;
}

/* execve from a thread other than the leader: the leader goes, the new
 * program's exit status is the process's. */
static void exec_from_non_leader(void)
{
	EXPECT_EXIT(child_run(leader_sleeps_thread_execs, NULL), 6);
}

long clone_thread(unsigned long flags, void *stack, int *parent_tid,
		  struct user_desc *tls, int *child_tid);          /* lib/clone.S */

static int *cleartid_word;      /* in memory shared with the test */

static int exec_h_exit_4(void *unused)
{
	(void)unused;
	exec_from_thread_code("4");
	return 3;
}

static int thread_with_shared_cleartid_execs(void *unused)
{
	static uint32_t stack[1024] __attribute__((aligned(16)));
	uint32_t *sp = &stack[1024 - 8];

	(void)unused;
	sp[0] = (uint32_t)(uintptr_t)exec_h_exit_4;    /* clone_thread calls sp[0](sp[1]) */
	sp[1] = 0;
	if (clone_thread(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			 CLONE_CHILD_CLEARTID, sp, NULL, NULL, cleartid_word) < 0)
		return 1;
	sys_nanosleep(&forever, NULL);  /* ended by the thread's execve */
	return 2;
}

/* execve drops the caller's clear_child_tid: the new program does not
 * inherit it, and with no other task left on the old address space the
 * word is not written either (Linux's mm_release). */
static void exec_drops_clear_child_tid(void)
{
	cleartid_word = (int *)sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!EXPECT(!is_err((long)cleartid_word)))
		return;
	*cleartid_word = 0x55;
	EXPECT_EXIT(child_run(thread_with_shared_cleartid_execs, NULL), 4);
	EXPECT_EQ(*cleartid_word, 0x55);
	sys_munmap(cleartid_word, PAGE_SIZE);
}

/* ---- 10: execve from a thread: the new program is the process ---- */

/* execve h_ids with our pid and our parent's; returns only if that fails. */
static int exec_ids_from_thread(void *pids)
{
	char path[128], pid[16], ppid[16];

	if (path_sibling(path, sizeof(path), self, "h_ids") != 0)
		return 1;
	snprintf(pid, sizeof(pid), "%ld", ((long *)pids)[0]);
	snprintf(ppid, sizeof(ppid), "%ld", ((long *)pids)[1]);
	char *argv[] = { path, pid, ppid, NULL };
	sys_execve(path, argv, NULL);
	return 2;
}

static int leader_sleeps_thread_execs_ids(void *unused)
{
	static long pids[2];
	struct thread *t;

	(void)unused;
	pids[0] = sys_getpid();
	pids[1] = sys_getppid();
	if (thread_create(&t, exec_ids_from_thread, pids) != 0)
		return 1;
	sys_nanosleep(&forever, NULL);  /* ended by the thread's execve */
	return 4;
}

/* As Linux's de_thread: the thread that calls execve takes over the
 * leader's pid (getpid and gettid both say it, sched_getaffinity finds
 * it), the old leader goes, and the parent reaps the same pid it forked. */
static void exec_from_thread_takes_leader_pid(void)
{
	int status;
	long pid = child_start(leader_sleeps_thread_execs_ids, NULL);

	if (EXPECT_GE(pid, 1)) {
		EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
		EXPECT_EXIT(status, 0);
	}
}

/* ---- 13: errno details ---- */

/* execve of a path at the last byte of user space: EFAULT (nothing is
 * mapped there), not a lookup of whatever string happens to be there. */
static void execve_path_at_the_top(void)
{
	EXPECT_ERRNO(sys_execve((const char *)0xbfffffff, NULL, NULL), EFAULT);
}

/* execve of a path in the kernel's part of the address space: EFAULT.
 * (With memory gone it once said ENOMEM first: a_exhaust checks that.) */
static void execve_path_in_the_kernel(void)
{
	EXPECT_ERRNO(sys_execve((const char *)0xc0000000, NULL, NULL), EFAULT);
	EXPECT_ERRNO(sys_execve((const char *)0xffffe000, NULL, NULL), EFAULT);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(orphan_of_threaded_parent),
	KTAP_CASE(clone_races_exit_group),
	KTAP_CASE(exit_group_wakes_sleepers),
	KTAP_CASE(wait_in_non_leader),
	KTAP_CASE(exec_ends_other_threads),
	KTAP_CASE(exec_from_non_leader),
	KTAP_CASE(exec_from_thread_takes_leader_pid),
	KTAP_CASE(exec_drops_clear_child_tid),
	KTAP_CASE(execve_path_at_the_top),
	KTAP_CASE(execve_path_in_the_kernel),
};

int main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/t_hostile_exit";
	return ktap_run("t_hostile_exit", cases, ARRAY_SIZE(cases));
}
