/*
 * Attack suite: races between the threads of one process, meant for 2 and
 * 4 CPUs (on one they interleave at ticks only): a buffer unmapped or
 * write-protected while another thread reads into it, exit_group against
 * threads asleep in every kind of wait, execve against busy threads, fork
 * against munmap. The attacker gets an errno or dies; the kernel goes on
 * and nothing leaks (init's check).
 */
#include <stdint.h>

#include "abi.h"
#include "child.h"
#include "futex.h"
#include "ktap.h"
#include "path.h"
#include "syscall.h"
#include "thread.h"

#define ROUNDS  100

static const char *self;
static volatile int stop;
static int race_fds[2];
static char *race_buf;          /* one page, remapped under the reader */

/* Reads into race_buf until told to stop: bytes or EFAULT, nothing else. */
static int reader(void *unused)
{
	(void)unused;
	while (!stop) {
		long r = sys_read(race_fds[0], race_buf, PAGE_SIZE);
		if (r != -EFAULT && r <= 0)
			return 1;
	}
	return 0;
}

static void map_race_buf(void)
{
	sys_mmap2(race_buf, PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/* mode 0: munmap and map again; 1: mprotect read-only and back. */
static int pull_the_buffer(void *arg)
{
	int mode = (int)(intptr_t)arg;
	struct thread *t;

	if (sys_pipe(race_fds) != 0)
		return 2;
	race_buf = (char *)sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err((long)race_buf) || thread_create(&t, reader, NULL) != 0)
		return 2;
	for (int i = 0; i < ROUNDS; i++) {
		sys_write(race_fds[1], "0123456789abcdef", 16);
		if (mode == 0) {
			sys_munmap(race_buf, PAGE_SIZE);
			map_race_buf();
		} else {
			sys_mprotect(race_buf, PAGE_SIZE, PROT_READ);
			sys_mprotect(race_buf, PAGE_SIZE, PROT_READ | PROT_WRITE);
		}
	}
	stop = 1;
	sys_write(race_fds[1], "x", 1);
	return thread_join(t);
}

/* A reader copying into a buffer that another thread unmaps or
 * write-protects gets its bytes or EFAULT. */
static void unmap_under_reader(void)
{
	EXPECT_EXIT(child_run(pull_the_buffer, (void *)0), 0);
}

static void mprotect_under_reader(void)
{
	EXPECT_EXIT(child_run(pull_the_buffer, (void *)1), 0);
}

static int futex_word, sleep_fds[2];

static int wait_futex(void *u) { (void)u; futex_wait(&futex_word, 0, NULL); return 0; }
static int wait_pipe(void *u) { char c; (void)u; sys_read(sleep_fds[0], &c, 1); return 0; }
static int wait_child(void *u) { (void)u; sys_wait4(-1, NULL, 0, NULL); return 0; }
static int wait_sleep(void *u)
{
	const struct timespec forever = { 100000, 0 };

	(void)u;
	sys_nanosleep(&forever, NULL);
	return 0;
}
static int spin(void *u) { (void)u; for (;;) sys_sched_yield(); return 0; }

/* Threads in each kind of sleep and one running; then exit_group. */
static int sleepers_then_exit(void *arg)
{
	int (*const fns[])(void *) = { wait_futex, wait_pipe, wait_child, wait_sleep, spin };
	struct thread *t;

	if (sys_pipe(sleep_fds) != 0)
		return 1;
	if (sys_fork() == 0) {          /* a child that outlives us: init reaps it */
		char c;
		sys_close(sleep_fds[1]);
		sys_read(sleep_fds[0], &c, 1);
		sys_exit_group(0);
	}
	for (int i = 0; i < ARRAY_SIZE(fns); i++)
		if (thread_create(&t, fns[i], NULL) != 0)
			return 1;
	for (int i = 0; i < (int)(intptr_t)arg; i++)
		sys_sched_yield();
	sys_exit_group(5);
	return 1;
}

static void exit_group_against_sleepers(void)
{
	for (int i = 0; i < 10; i++)
		EXPECT_EXIT(child_run(sleepers_then_exit, (void *)(intptr_t)i), 5);
}

static int busy(void *u)
{
	(void)u;
	for (;;) {
		sys_getpid();
		sys_sched_yield();
	}
	return 0;
}

static int threads_then_exec(void *arg)
{
	char path[128];
	struct thread *t;

	if (path_sibling(path, sizeof(path), self, "h_exit") != 0)
		return 1;
	for (int i = 0; i < 3; i++)
		if (thread_create(&t, busy, NULL) != 0)
			return 1;
	for (int i = 0; i < (int)(intptr_t)arg; i++)
		sys_sched_yield();
	char *argv[] = { path, "3", NULL };
	sys_execve(path, argv, NULL);
	return 2;
}

/* execve while three threads run: they go, the program runs alone. */
static void exec_against_threads(void)
{
	for (int i = 0; i < 10; i++)
		EXPECT_EXIT(child_run(threads_then_exec, (void *)(intptr_t)i), 3);
}

static char *fork_area;

static int forker(void *unused)
{
	(void)unused;
	while (!stop) {
		long pid = sys_fork();
		if (pid == 0)
			sys_exit_group(0);
		if (pid > 0)
			sys_wait4((int)pid, NULL, 0, NULL);
	}
	return 0;
}

static int fork_while_unmapping(void *unused)
{
	struct thread *t;

	(void)unused;
	fork_area = (char *)sys_mmap2(NULL, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err((long)fork_area) || thread_create(&t, forker, NULL) != 0)
		return 1;
	for (int i = 0; i < ROUNDS; i++) {
		for (int p = 0; p < 16; p++)
			fork_area[p * PAGE_SIZE] = (char)i;
		sys_munmap(fork_area, 16 * PAGE_SIZE);
		sys_mmap2(fork_area, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	stop = 1;
	return thread_join(t);
}

/* fork copying an address space another thread is unmapping and writing. */
static void fork_against_munmap(void)
{
	EXPECT_EXIT(child_run(fork_while_unmapping, NULL), 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(unmap_under_reader),
	KTAP_CASE(mprotect_under_reader),
	KTAP_CASE(exit_group_against_sleepers),
	KTAP_CASE(exec_against_threads),
	KTAP_CASE(fork_against_munmap),
};

int main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/a_race";
	return ktap_run("a_race", cases, ARRAY_SIZE(cases));
}
