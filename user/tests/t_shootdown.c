/*
 * TLB shootdown, seen from user space.  A thread on another CPU keeps
 * touching a page while the main thread unmaps it or takes its write
 * permission away.  Once munmap or mprotect has returned, the change must
 * hold on every CPU: the toucher's next access must fault.  An access that
 * succeeds after the change is a stale TLB entry on the toucher's CPU.
 *
 * Each trial runs in a child process, because the fault that is the right
 * outcome kills the whole process: the child dying of SIGSEGV is a pass,
 * the child exiting with STALE is a failure.  Needs two CPUs.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "thread.h"

#define PAGE 4096
#define STALE 3                 /* the toucher's exit code for a stale access */
#define TRIALS 20

struct trial {
	volatile unsigned *page;
	volatile int changed;           /* set once munmap/mprotect has returned */
	volatile int touching;          /* the toucher has started */
	int write;                      /* the toucher writes (mprotect) or reads (munmap) */
};

/* Pins the caller to one CPU; false if that CPU is not allowed. */
static bool pin(int cpu)
{
	uint32_t mask = 1u << cpu;
	return sys_sched_setaffinity(0, sizeof(mask), &mask) == 0;
}

/* The CPUs this process may use, as a bit mask. */
static uint32_t allowed_cpus(void)
{
	uint32_t mask[32] = { 0 };
	return sys_sched_getaffinity(0, sizeof(mask), mask) > 0 ? mask[0] : 1;
}

/* On the second CPU: touch the page until the change, then once more. */
static int toucher(void *arg)
{
	struct trial *t = arg;

	pin(1);
	for (;;) {
		int changed = __atomic_load_n(&t->changed, __ATOMIC_ACQUIRE);
		if (t->write)
			*t->page = 1;
		else
			(void)*t->page;
		t->touching = 1;
		if (changed)
			sys_exit_group(STALE);  /* that access should have faulted */
	}
}

/* One trial in a child: returns through its wait status. */
static int run_trial(void *arg)
{
	struct trial *t = arg;
	struct thread *th;

	pin(0);
	long p = sys_mmap2(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err(p))
		return 1;
	t->page = (volatile unsigned *)p;
	*t->page = 7;                   /* fault it in before the toucher starts */
	if (thread_create(&th, toucher, t) != 0)
		return 1;
	while (!t->touching)
		sys_sched_yield();
	long r = t->write ? sys_mprotect((void *)p, PAGE, PROT_READ) : sys_munmap((void *)p, PAGE);
	if (r != 0)
		return 1;
	__atomic_store_n(&t->changed, 1, __ATOMIC_RELEASE);
	for (;;)
		sys_sched_yield();      /* the toucher's fault ends us */
}

static void trials(int write)
{
	if ((allowed_cpus() & 3) != 3) {
		ktap_skip("needs CPUs 0 and 1");
		return;
	}
	for (int i = 0; i < TRIALS; i++) {
		struct trial t = { .write = write };
		EXPECT_SIGNAL(child_run(run_trial, &t), SIGSEGV);
	}
}

/* After munmap returns, a read on another CPU faults. */
static void munmap_reaches_other_cpus(void)
{
	trials(0);
}

/* After mprotect(PROT_READ) returns, a write on another CPU faults. */
static void mprotect_reaches_other_cpus(void)
{
	trials(1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(munmap_reaches_other_cpus),
	KTAP_CASE(mprotect_reaches_other_cpus),
};

int main(void)
{
	return ktap_run("t_shootdown", cases, ARRAY_SIZE(cases));
}
