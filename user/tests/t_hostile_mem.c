/*
 * What hostile programs did to the kernel, part 2: memory and pipes.
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

/* ---- 5, 12: pipes ---- */

/* Linux's pipe holds 64 KiB before a writer blocks. */
static void pipe_holds_64k(void)
{
	static char buf[65536];
	int fds[2];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	EXPECT_EQ(sys_write(fds[1], buf, sizeof(buf)), sizeof(buf));
	static char back[65536];
	EXPECT_EQ(read_full(fds[0], back, sizeof(back)), sizeof(back));
	EXPECT(memcmp(buf, back, sizeof(buf)) == 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

/* A write of at most PIPE_BUF bytes whose buffer faults part way returns
 * (EFAULT, nothing written: it is all or nothing) instead of waiting for
 * room again; the pipe still works. */
static void pipe_atomic_write_faults(void)
{
	static char fill[60000];
	char *map, *back;
	int fds[2];

	map = (char *)sys_mmap2(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!EXPECT(!is_err((long)map)) || !EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_OK(sys_munmap(map + PAGE_SIZE, PAGE_SIZE));
	memset(fill, 'f', sizeof(fill));
	EXPECT_EQ(sys_write(fds[1], fill, sizeof(fill)), sizeof(fill));
	/* 4096 bytes from the last 2048 of the mapped page on. */
	EXPECT_ERRNO(sys_write(fds[1], map + PAGE_SIZE / 2, 4096), EFAULT);
	EXPECT_EQ(sys_write(fds[1], "m", 1), 1);
	back = map;
	long got = 0;
	char last = 0;
	for (long left = (long)sizeof(fill) + 1; left > 0;) {
		long r = sys_read(fds[0], back, left < PAGE_SIZE ? (size_t)left : PAGE_SIZE);
		if (!EXPECT_GE(r, 1))
			break;
		got += r;
		left -= r;
		last = back[r - 1];
	}
	EXPECT_EQ(got, (long)sizeof(fill) + 1);
	EXPECT_EQ(last, 'm');
	sys_close(fds[0]);
	sys_close(fds[1]);
	sys_munmap(map, PAGE_SIZE);
}

/* ---- 11: shared anonymous memory ---- */

static int write_shared(void *arg)
{
	volatile int *w = arg;

	if (w[0] != 1 || w[1024] != 2)
		return 1;
	w[0] = 10;                      /* seen by the parent */
	w[1024] = 20;
	return 0;
}

/* MAP_SHARED|MAP_ANONYMOUS memory is the same memory in parent and child
 * after fork, both ways, also after an mprotect round trip; a PROT_NONE
 * one can be made too. */
static void shared_anonymous_memory(void)
{
	volatile int *w = (volatile int *)sys_mmap2(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
						    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (!EXPECT(!is_err((long)w)))
		return;
	w[0] = 1;
	w[1024] = 2;
	EXPECT_OK(sys_mprotect((void *)w, 2 * PAGE_SIZE, PROT_READ));
	EXPECT_OK(sys_mprotect((void *)w, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE));
	EXPECT_EXIT(child_run(write_shared, (void *)w), 0);
	EXPECT_EQ(w[0], 10);
	EXPECT_EQ(w[1024], 20);
	EXPECT_OK(sys_munmap((void *)w, 2 * PAGE_SIZE));

	long none = sys_mmap2(NULL, PAGE_SIZE, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (EXPECT(!is_err(none)))
		EXPECT_OK(sys_munmap((void *)none, PAGE_SIZE));
}

/* ---- 11: a shared mapping replaced by another thread as it is made ---- */

#define RACE_PAGES      256
#define RACE_ROUNDS     24
#define RACE_DELAY      4000            /* spins per round of delay */

static volatile char *race_at;
static volatile int race_go, race_done;

/* Once per round, as soon as the round starts and after a delay that
 * grows with the round: replace the area with a private, read-only
 * mapping (while the other thread maps it shared, if they overlap). */
static int remap_private(void *unused)
{
	(void)unused;
	for (int round = 1; round <= RACE_ROUNDS; round++) {
		while (race_go < round)
			sys_sched_yield();
		for (volatile int i = 0; i < (round % 8) * RACE_DELAY; i++)
			;
		sys_mmap2((void *)race_at, RACE_PAGES * PAGE_SIZE, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		race_done = round;
	}
	return 0;
}

/* Exits 0 when the area is writable (the shared mapping won), else dies. */
static int write_probe(void *unused)
{
	(void)unused;
	race_at[1] = 1;                 /* a byte the marks below never use */
	return 0;
}

/* Make the area writable in this (forked) copy and mark every page. */
static int mark_every_page(void *unused)
{
	(void)unused;
	if (sys_mprotect((void *)race_at, RACE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE))
		return 1;
	for (int i = 0; i < RACE_PAGES; i++)
		race_at[i * PAGE_SIZE] = 0x5a;
	return 0;
}

/* Whichever mapping is at race_at is wholly what it is: a child's marks
 * reach every page of a shared one and no page of a private one. */
static bool area_consistent(int round)
{
	long probe = child_run(write_probe, NULL);
	bool shared = WIFEXITED(probe) && WEXITSTATUS(probe) == 0;
	int marked = 0;

	EXPECT(shared || (WIFSIGNALED(probe) && WTERMSIG(probe) == SIGSEGV));
	EXPECT_EXIT(child_run(mark_every_page, NULL), 0);
	for (int i = 0; i < RACE_PAGES; i++)
		marked += race_at[i * PAGE_SIZE] == 0x5a;
	if (EXPECT_EQ(marked, shared ? RACE_PAGES : 0))
		return true;
	ktap_diag("round %d: %d of %d pages of a %s mapping shared", round, marked,
		  RACE_PAGES, shared ? "shared" : "private");
	return false;
}

/*
 * One thread maps shared memory at a fixed address while another
 * replaces it with private memory, once per round, a little later each
 * round.  Once, the shared mapping's pages were filled after mm->lock was
 * dropped, then marked shared over whatever was mapped by then: private
 * pages became shared (fork shared them writable).  That needs two CPUs
 * and the replacement landing inside the filling, hence the rounds.
 */
static void shared_map_replaced_meanwhile(void)
{
	const size_t len = RACE_PAGES * PAGE_SIZE;
	long r = sys_mmap2(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct thread *t;

	if (!EXPECT(!is_err(r)))
		return;
	race_at = (volatile char *)r;
	race_go = race_done = 0;
	if (!EXPECT_OK(thread_create(&t, remap_private, NULL)))
		return;
	int round;
	for (round = 1; round <= RACE_ROUNDS; round++) {
		race_go = round;
		EXPECT_EQ(sys_mmap2((void *)race_at, len, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0), r);
		while (race_done != round)
			sys_sched_yield();
		if (!area_consistent(round))
			break;
	}
	race_go = RACE_ROUNDS;          /* after a failure: let the thread finish */
	thread_join(t);
	sys_munmap((void *)race_at, len);
}

/* ---- 13: errno details ---- */

/* mmap2(MAP_FIXED) running past the top of user space: ENOMEM. */
static void mmap_fixed_past_the_top(void)
{
	struct ukva_meminfo mi;

	EXPECT_ERRNO(sys_mmap2((void *)0xfffff000, 2 * PAGE_SIZE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	if (sys_ukva_meminfo(&mi) == 0)   /* a 3G/1G split: the top is 0xc0000000 */
		EXPECT_ERRNO(sys_mmap2((void *)0xbffff000, 2 * PAGE_SIZE, PROT_READ,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(pipe_holds_64k),
	KTAP_CASE(pipe_atomic_write_faults),
	KTAP_CASE(shared_anonymous_memory),
	KTAP_CASE(shared_map_replaced_meanwhile),
	KTAP_CASE(mmap_fixed_past_the_top),
};

int main(void)
{
	return ktap_run("t_hostile_mem", cases, ARRAY_SIZE(cases));
}
