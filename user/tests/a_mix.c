/*
 * Attack suite: a long, seeded random mix of cheap attacks, each child
 * doing a few of them in a row (bad pointers, faults, stray INT n, threads
 * that exit or fault, orphans, exit_group from a thread, execve from a
 * thread, pipes closed under their users). Every child must come back to
 * its parent's wait4, dead or alive; the kernel goes on; nothing leaks.
 * The same seed gives the same run.
 */
#include <stdint.h>

#include "abi.h"
#include "child.h"
#include "futex.h"
#include "ktap.h"
#include "path.h"
#include "syscall.h"
#include "thread.h"

#define CHILDREN        60
#define STEPS           6

static const char *self;
static uint32_t seed = 0x1157u;

/* xorshift32: deterministic per seed. */
static uint32_t next_rand(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static int thread_exit_now(void *u) { (void)u; return 0; }
static volatile int *volatile null_ptr;
static int thread_fault(void *u) { (void)u; *null_ptr = 0; return 0; }
static int thread_exit_group(void *u) { (void)u; sys_exit_group(9); return 0; }
static int thread_sleep(void *u)
{
	const struct timespec ts = { 100000, 0 };

	(void)u;
	sys_nanosleep(&ts, NULL);
	return 0;
}
static int thread_exec(void *u)
{
	char path[128];

	(void)u;
	if (path_sibling(path, sizeof(path), self, "h_exit") == 0) {
		char *argv[] = { path, "8", NULL };
		sys_execve(path, argv, NULL);
	}
	return 0;
}

/* One cheap attack, chosen by r. */
static void attack(uint32_t r)
{
	struct thread *t;
	int fds[2];

	switch (r % 12) {
	case 0: sys_write(1, (void *)0xc0000000, 16); break;
	case 1: sys_read(0, (void *)0xfffff000, 4096); break;
	case 2: sys_pipe((int *)0xbffffffe); break;
	case 3: thread_create(&t, thread_exit_now, NULL); break;
	case 4: thread_create(&t, thread_sleep, NULL); break;
	case 5:
		if (sys_pipe(fds) == 0) {
			sys_close(fds[0]);
			sys_write(fds[1], "x", 1);      /* SIGPIPE */
		}
		break;
	case 6:
		if (sys_fork() == 0) {                  /* an orphan-to-be */
			thread_create(&t, thread_sleep, NULL);
			sys_sched_yield();
			sys_exit_group(0);
		}
		break;
	case 7: sys_munmap((void *)0x08048000, 4096); break;   /* our own text */
	case 8: thread_create(&t, thread_fault, NULL); break;
	case 9: thread_create(&t, thread_exit_group, NULL); break;
	case 10: thread_create(&t, thread_exec, NULL); break;
	case 11: __asm__ volatile("int $0x41"); break;
	}
	sys_sched_yield();
}

static int attacker(void *arg)
{
	seed = (uint32_t)(uintptr_t)arg;
	for (int i = 0; i < STEPS; i++)
		attack(next_rand());
	sys_exit_group(0);
	return 0;
}

/* Every attacker is reaped, whatever it did to itself. */
static void random_mix(void)
{
	long pids[CHILDREN];
	int started = 0;

	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = child_start(attacker, (void *)(uintptr_t)(next_rand() | 1));
		if (pids[i] > 0)
			started++;
	}
	EXPECT_EQ(started, CHILDREN);
	for (int i = 0; i < CHILDREN; i++) {
		if (pids[i] <= 0)
			continue;
		long status = child_wait(pids[i]);
		EXPECT(status >= 0);
	}
	EXPECT_ERRNO(sys_wait4(-1, NULL, WNOHANG, NULL), ECHILD);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(random_mix),
};

int main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/a_mix";
	return ktap_run("a_mix", cases, ARRAY_SIZE(cases));
}
