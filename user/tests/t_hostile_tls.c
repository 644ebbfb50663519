/*
 * What hostile programs did to the kernel, part 3: futexes,
 * clear_child_tid and TLS segments.
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

/* ---- 3: a thread killed by a fault, its clear_child_tid on a COW page ---- */

static volatile int cow_ready;

static int fault_when_ready(void *unused)
{
	(void)unused;
	while (!cow_ready)
		;
	/* #GP: a trap that, unlike a page fault, keeps interrupts off. */
	__asm__ volatile("hlt");
	return 0;
}

static int spin(void *unused)
{
	(void)unused;
	for (;;)
		;
	return 0;
}

static int cow_cleartid(void *unused)
{
	struct thread *spinner, *t;
	int status;

	(void)unused;
	/* A sibling spinning keeps the mm live on another CPU: the COW
	 * break must shoot its TLB down, which needs interrupts on. */
	if (thread_create(&spinner, spin, NULL) != 0 ||
	    thread_create(&t, fault_when_ready, NULL) != 0)
		return 1;
	/* The thread's tid word (in its mapping) becomes copy-on-write. */
	long pid = sys_fork();
	if (pid == 0)
		sys_exit_group(0);
	sys_wait4((int)pid, &status, 0, NULL);
	cow_ready = 1;
	thread_join(t);         /* never returns: the fault kills us all */
	return 2;
}

/* The dying thread's write of 0 to its tid word breaks the COW with
 * interrupts on; the process dies of the fault. */
static void fault_exit_cleartid_cow(void)
{
	for (int i = 0; i < 3; i++)
		EXPECT_SIGNAL(child_run(cow_cleartid, NULL), SIGSEGV);
}

/* ---- 13: errno and flag details ---- */

static int *wake_word;

static int futex_waiter(void *unused)
{
	(void)unused;
	futex_wait(wake_word, 0, NULL);
	return 0;
}

/* FUTEX_WAKE with nr_wake 0 wakes one waiter; FUTEX_CLOCK_REALTIME with
 * WAIT or WAKE is ENOSYS. */
static void futex_details(void)
{
	static int word;
	struct thread *t;
	long woken = 0;

	EXPECT_ERRNO(sys_futex(&word, FUTEX_WAKE | 256, 1, NULL, NULL, 0), ENOSYS);
	EXPECT_ERRNO(sys_futex(&word, FUTEX_WAIT | 256, 1, NULL, NULL, 0), ENOSYS);
	wake_word = &word;
	if (!EXPECT_OK(thread_create(&t, futex_waiter, NULL)))
		return;
	for (int i = 0; i < 5000 && woken == 0; i++) {
		woken = sys_futex(&word, FUTEX_WAKE, 0, NULL, NULL, 0);
		if (woken == 0)
			sys_nanosleep(&one_ms, NULL);
	}
	EXPECT_EQ(woken, 1);
	if (woken != 1)
		futex_wake(&word, 1);
	thread_join(t);
}

static int settid_word;

/* CLONE_CHILD_SETTID: the child finds its tid in its own copy; a word it
 * cannot write (read-only, or nothing there) is skipped, not an error. */
static void clone_child_settid(void)
{
	int status;
	long pid = sys_clone(SIGCHLD | CLONE_CHILD_SETTID, NULL, NULL, NULL, &settid_word);

	if (pid == 0)
		sys_exit_group(settid_word == sys_gettid() ? 0 : 1);
	if (EXPECT_GE(pid, 1)) {
		EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
		EXPECT_EXIT(status, 0);
	}
	EXPECT_EQ(settid_word, 0);

	int *ro = (int *)sys_mmap2(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!EXPECT(!is_err((long)ro)))
		return;
	int *targets[] = { ro, (int *)0x1000 };
	for (int i = 0; i < 2; i++) {
		pid = sys_clone(SIGCHLD | CLONE_CHILD_SETTID, NULL, NULL, NULL, targets[i]);
		if (pid == 0)
			sys_exit_group(i == 0 && *ro != 0 ? 1 : 0);
		if (EXPECT_GE(pid, 1)) {
			EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
			EXPECT_EXIT(status, 0);
		}
	}
	sys_munmap(ro, PAGE_SIZE);
}

/* ---- 2: a TLS selector in SS that stops being a usable stack segment ---- */

static int ss_goes_bad(void *unused)
{
	struct user_desc d, ro;

	(void)unused;
	tls_desc(&d, (uint32_t)-1, NULL);       /* flat: the stack works through it */
	if (sys_set_thread_area(&d) != 0)
		return 1;
	ro = d;
	ro.read_exec_only = 1;                  /* data, but not writable: no SS */
	long r = tls_set_under_ss(tls_selector(d.entry_number), &ro);
	return r == 0 ? 2 : 3;
}

/* The return to user mode with that SS kills the process, not the kernel. */
static void tls_stack_segment(void)
{
	EXPECT_SIGNAL(child_run(ss_goes_bad, NULL), SIGSEGV);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(fault_exit_cleartid_cow),
	KTAP_CASE(futex_details),
	KTAP_CASE(clone_child_settid),
	KTAP_CASE(tls_stack_segment),
};

int main(void)
{
	return ktap_run("t_hostile_tls", cases, ARRAY_SIZE(cases));
}
