/*
 * Attack suite: resource exhaustion. Each case takes one resource until
 * the kernel says no (an errno) or kills the attacker (a fault it cannot
 * back with a frame); the kernel must go on, every call must return, and
 * everything must come back (init compares free frames and tasks around
 * this program). Run by /attack on a small and a highmem machine, never
 * on the host.
 */
#include <stdint.h>

#include "abi.h"
#include "child.h"
#include "futex.h"
#include "ktap.h"
#include "syscall.h"
#include "thread.h"
#include "ukva.h"

#define MAX_FORKS       20000
#define MAX_THREADS     4000

static bool fork_failed(long r)
{
	return r == -EAGAIN || r == -ENOMEM;
}

/* Calls that allocate, made while memory is gone: each returns, an errno
 * or a success. Returns false on a result Linux would not give. */
static bool allocate_while_exhausted(void)
{
	int fds[2];
	long r = sys_pipe(fds);
	bool ok = true;

	if (r == 0) {
		r = sys_write(fds[1], "x", 1);
		ok &= r == 1 || r == -ENOMEM || r == -EFAULT;
		sys_close(fds[0]);
		sys_close(fds[1]);
	} else {
		ok &= r == -ENOMEM || r == -EMFILE;
	}
	r = sys_mmap2(NULL, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (!is_err(r))
		sys_munmap((void *)r, 16 * PAGE_SIZE);
	else
		ok &= r == -ENOMEM;
	r = sys_fork();
	if (r == 0)
		sys_exit_group(0);
	if (r > 0)
		sys_wait4((int)r, NULL, 0, NULL);
	else
		ok &= fork_failed(r);
	return ok;
}

/*
 * Fork until fork fails, every child asleep on a pipe; make calls that
 * allocate; then let the children all exit at once (an exit storm) and
 * reap them. Exit 0, or 1 on a wrong errno. Each page this process writes
 * after its first fork is copy-on-write and memory is gone: it may well
 * be killed instead, and then init reaps its orphans.
 */
static int bomber(void *unused)
{
	int gate[2];
	long n = 0, r = 0;
	bool ok;

	(void)unused;
	if (sys_pipe(gate) != 0)
		return 1;
	for (; n < MAX_FORKS; n++) {
		r = sys_fork();
		if (r == 0) {
			char c;
			sys_close(gate[1]);
			sys_read(gate[0], &c, 1);
			sys_exit_group(0);
		}
		if (r < 0)
			break;
	}
	ok = n >= 1 && (n == MAX_FORKS || fork_failed(r));
	if (n < MAX_FORKS)
		ok &= allocate_while_exhausted();
	struct timespec t0, t1;
	sys_clock_gettime(CLOCK_MONOTONIC, &t0);
	sys_close(gate[1]);
	sys_close(gate[0]);
	long reaped = 0;
	while (sys_wait4(-1, NULL, 0, NULL) > 0)
		reaped++;
	sys_clock_gettime(CLOCK_MONOTONIC, &t1);
	/* For the record (docs/testing.md), never judged: the exit storm's cost. */
	ktap_diag("%ld children, then fork said %ld; reaped %ld in %ld ms", n, r, reaped,
		  (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return ok && reaped == n ? 0 : 1;
}

/* The bomber's children, if it was killed, are init's to reap: wait until
 * the task count is back, so that the next case has memory again. */
static void fork_bomb(void)
{
	const struct timespec ms = { 0, 1000000 };
	struct ukva_meminfo before, now;

	if (!EXPECT_OK(sys_ukva_meminfo(&before)))
		return;
	long status = child_run(bomber, NULL);
	EXPECT(status == 0 || WIFSIGNALED(status));
	for (int i = 0; i < 10000; i++) {
		if (sys_ukva_meminfo(&now) != 0 || now.tasks <= before.tasks)
			break;
		sys_nanosleep(&ms, NULL);
	}
	EXPECT_EQ(now.tasks, before.tasks);
}

static int block_on_futex(void *word)
{
	while (__atomic_load_n((int *)word, __ATOMIC_ACQUIRE) == 0)
		futex_wait(word, 0, NULL);
	return 0;
}

/* Threads (futex waiters, each with a 64 KiB stack mapping) until clone or
 * mmap fails; then one FUTEX_WAKE for all of them, and joins. */
static int thread_bomb(void *unused)
{
	static struct thread *t[MAX_THREADS];
	static int word;
	int n = 0, r = 0;

	(void)unused;
	for (; n < MAX_THREADS; n++) {
		r = thread_create(&t[n], block_on_futex, &word);
		if (r != 0)
			break;
	}
	ktap_diag("%d threads, then %d", n, r);
	if (n < MAX_THREADS && r != -ENOMEM && r != -EAGAIN)
		return 1;
	__atomic_store_n(&word, 1, __ATOMIC_RELEASE);
	futex_wake(&word, MAX_THREADS);
	for (int i = 0; i < n; i++)
		thread_join(t[i]);
	return n > 0 ? 0 : 2;
}

/* Killed, or exited 0: what a process that took all memory may get. */
static void expect_died_or_ok(long status)
{
	EXPECT(status == 0 || WIFSIGNALED(status));
}

/* (A new thread's first touch of its stack may find no frame: then the
 * process dies, which is its right answer too.) */
static void threads_and_futex_waiters(void)
{
	expect_died_or_ok(child_run(thread_bomb, NULL));
}

static int touch_all_memory(void *unused)
{
	(void)unused;
	for (;;) {
		long r = sys_mmap2(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (is_err(r))
			return r == -ENOMEM ? 0 : 1;
		for (long off = 0; off < (1 << 20); off += PAGE_SIZE)
			((volatile char *)r)[off] = 1;  /* no frame: killed */
	}
}

/* Anonymous memory touched until the frames run out. */
static void mmap_until_out(void)
{
	expect_died_or_ok(child_run(touch_all_memory, NULL));
}

static int grow_heap(void *unused)
{
	char *end = (char *)sys_brk(0);

	(void)unused;
	for (;;) {
		char *want = end + (1 << 20);
		if ((char *)sys_brk(want) != want)
			return 0;                       /* brk refused */
		for (char *p = end; p < want; p += PAGE_SIZE)
			*(volatile char *)p = 1;
		end = want;
	}
}

/* The heap grown until brk refuses or the frames run out. */
static void brk_until_out(void)
{
	expect_died_or_ok(child_run(grow_heap, NULL));
}

static int fill_pipes(void *unused)
{
	static char buf[16 * PAGE_SIZE];

	(void)unused;
	for (;;) {
		int fds[2];
		long r = sys_pipe(fds);
		if (r == -EMFILE)
			return 0;
		if (r != 0)
			return r == -ENOMEM ? 0 : 1;
		r = sys_write(fds[1], buf, sizeof(buf));
		if (r != sizeof(buf))
			return r == -ENOMEM || (r > 0 && r < (long)sizeof(buf)) ? 0 : 1;
	}
}

/* Processes holding full pipes until the frames (or descriptors) run
 * out; the children's writes fail rather than wait. */
static void pipes_until_out(void)
{
	long pid[64];
	int n;

	for (n = 0; n < 64; n++) {
		pid[n] = child_start(fill_pipes, NULL);
		if (pid[n] < 0)
			break;
	}
	for (int i = 0; i < n; i++) {
		long status = child_wait(pid[i]);
		EXPECT(status == 0 || WIFSIGNALED(status));
	}
}

/*
 * A shared anonymous area twice the size of free memory, one page
 * touched, then fork: this kernel gives every page of such an area its
 * frame at fork (there is no object to find them by later), so the fork
 * fails with ENOMEM, and at once, taking no frame for nothing.  (Linux's
 * fork would succeed.)  Exit 0, or the number of the check that failed.
 */
static int fork_with_huge_shared_area(void *unused)
{
	struct ukva_meminfo before, after;

	(void)unused;
	if (sys_ukva_meminfo(&before) != 0)
		return 1;
	size_t len = (size_t)before.free_pages * 2 * PAGE_SIZE;
	if (len > (1u << 30))
		len = 1u << 30;
	long r = sys_mmap2(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (is_err(r))
		return 2;
	*(volatile char *)r = 1;
	long pid = sys_fork();
	if (pid == 0)
		sys_exit_group(0);
	if (pid > 0) {
		sys_wait4((int)pid, NULL, 0, NULL);
		return 3;
	}
	if (pid != -ENOMEM)
		return 4;
	if (sys_ukva_meminfo(&after) != 0)
		return 1;
	return after.free_pages + 64 >= before.free_pages ? 0 : 5;
}

static void fork_shared_area_bigger_than_memory(void)
{
	EXPECT_EXIT(child_run(fork_with_huge_shared_area, NULL), 0);
}

/* Touch depth KiB of stack now, so that later calls need no new frame. */
static int prefault_stack(int depth)
{
	volatile char kib[1024];

	kib[0] = (char)depth;
	return depth > 1 ? prefault_stack(depth - 1) + kib[0] : kib[0];
}

/*
 * Take lowmem with populated mappings (the kernel fills them: a frame it
 * cannot have just ends the filling, it kills nobody) until an execve's
 * argument buffer (32 contiguous pages) cannot be had, then execve a path
 * in the kernel's part: EFAULT, as on Linux, which looks at the path
 * before anything can run out.  Exit 0, 1 on another result, 2 when
 * memory did not run low.
 */
static int execve_kernel_path_exhausted(void *unused)
{
	struct ukva_meminfo mi;
	uint32_t last = 0;

	(void)unused;
	prefault_stack(16);
	while (sys_ukva_meminfo(&mi) == 0 && mi.free_lowmem_pages >= 32 &&
	       mi.free_pages != last) {
		last = mi.free_pages;   /* highmem goes first, where there is some */
		sys_mmap2(NULL, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
			  -1, 0);
	}
	if (mi.free_lowmem_pages >= 32)
		return 2;
	return sys_execve((const char *)0xc0000000, NULL, NULL) == -EFAULT ? 0 : 1;
}

/* execve with a kernel path while memory is gone: EFAULT, not ENOMEM. */
static void execve_efault_before_enomem(void)
{
	EXPECT_EXIT(child_run(execve_kernel_path_exhausted, NULL), 0);
}

static volatile int stop_depth = -1;     /* never reached: GCC cannot know */

static int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == stop_depth)
		return 0;
	return recurse(depth + 1) + frame[0];
}

static int recurse_forever(void *unused)
{
	(void)unused;
	return recurse(0);
}

/* Unbounded recursion: the stack stops at its limit, the process dies. */
static void deep_recursion(void)
{
	long status = child_run(recurse_forever, NULL);

	EXPECT(WIFSIGNALED(status));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(fork_bomb),
	KTAP_CASE(threads_and_futex_waiters),
	KTAP_CASE(mmap_until_out),
	KTAP_CASE(brk_until_out),
	KTAP_CASE(pipes_until_out),
	KTAP_CASE(deep_recursion),
	KTAP_CASE(execve_efault_before_enomem),
	KTAP_CASE(fork_shared_area_bigger_than_memory),
};

int main(void)
{
	return ktap_run("a_exhaust", cases, ARRAY_SIZE(cases));
}
