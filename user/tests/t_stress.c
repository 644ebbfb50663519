/*
 * Many threads of one process, spread over every CPU, each in a loop:
 * map memory, write it, fork a child that writes its copy and exits, wait
 * for it, check our copy, unmap.  Bounded by a round count, not by time.
 * Afterwards every frame must be back: /init's leak check around this
 * program proves it on our kernel.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "thread.h"

#define PAGE 4096
#define THREADS 8
#define ROUNDS 12
#define PAGES 4

/* The CPUs this process may use, as a bit mask. */
static uint32_t allowed_cpus(void)
{
	uint32_t mask[32] = { 0 };
	return sys_sched_getaffinity(0, sizeof(mask), mask) > 0 ? mask[0] : 1;
}

/* The child of one round: scribble over its copy and leave. */
static int scribble(void *p)
{
	for (int i = 0; i < PAGES; i++)
		((volatile unsigned *)p)[i * PAGE / 4] = 0xdead;
	return 0;
}

/* One thread's rounds; returns the number of rounds that went wrong. */
static int worker(void *arg)
{
	unsigned id = (unsigned)(long)arg;
	uint32_t cpus = allowed_cpus();
	int bad = 0;

	/* Spread: thread i on the i-th allowed CPU, round robin. */
	unsigned n = (unsigned)__builtin_popcount(cpus), want = id % n;
	for (unsigned c = 0; c < 32; c++)
		if ((cpus >> c) & 1 && want-- == 0) {
			uint32_t mask = 1u << c;
			sys_sched_setaffinity(0, sizeof(mask), &mask);
			break;
		}
	for (int r = 0; r < ROUNDS; r++) {
		long p = sys_mmap2(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (is_err(p)) {
			bad++;
			continue;
		}
		volatile unsigned *w = (volatile unsigned *)p;
		for (int i = 0; i < PAGES; i++)
			w[i * PAGE / 4] = id * 1000 + (unsigned)r;
		long status = child_run(scribble, (void *)p);
		for (int i = 0; i < PAGES; i++)
			bad += w[i * PAGE / 4] != id * 1000 + (unsigned)r;
		bad += status != 0;
		bad += sys_munmap((void *)p, PAGES * PAGE) != 0;
	}
	return bad;
}

static void threads_fork_map_unmap_everywhere(void)
{
	struct thread *t[THREADS];

	for (long i = 0; i < THREADS; i++)
		if (!EXPECT_OK(thread_create(&t[i], worker, (void *)i)))
			return;
	for (int i = 0; i < THREADS; i++)
		EXPECT_EQ(thread_join(t[i]), 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(threads_fork_map_unmap_everywhere),
};

int main(void)
{
	return ktap_run("t_stress", cases, ARRAY_SIZE(cases));
}
