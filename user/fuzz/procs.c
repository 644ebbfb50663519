/*
 * Processes: forks whose children live a few dozen calls and end by exit,
 * exit_group, execve (also from a thread) or a fault; and children that
 * load TLS selectors into segment registers.
 */
#include "fuzz.h"
#include "string.h"

#define CHILD_CALLS     40              /* at most, in a forked child's life */
#define MAX_DEPTH       2               /* forks of forks */

/* Before a fork: collect exited children, so zombies do not pile up.
 * Forks are rare (1 in 16 of the times they are drawn): a fork and a
 * child's life cost a hundred ordinary calls under TCG. */
static bool can_fork(struct actor *a)
{
	if (!a->may_fork || a->depth >= MAX_DEPTH || !one_in(a, 16))
		return false;
	if ((opts.avoid & AVOID_COW_CTID) && threads_alive() > 0)
		return false;
	reap_children(false);
	return true;
}

void fuzz_fork(struct actor *a)
{
	long r;

	if (!can_fork(a))
		return;
	if (one_in(a, 4)) {
		/* clone without CLONE_VM: a fork, child on our stack */
		unsigned long flags = SIGCHLD_FLAG;

		if (one_in(a, 2))
			flags |= CLONE_PARENT_SETTID;
		if (one_in(a, 3))
			flags |= CLONE_CHILD_SETTID;
		if (!(opts.avoid & AVOID_COW_CTID) && one_in(a, 3))
			flags |= CLONE_CHILD_CLEARTID;
		/* A bad child_tid: Linux still forks (item 13 of issue 11). */
		uint32_t ctid = (uint32_t)(uintptr_t)(a->scratch + 516);

		if (!(opts.avoid & AVOID_SETTID_ERRNO) && one_in(a, 2))
			ctid = gen_ptr(a);
		r = fuzz_call(a, __NR_clone, (long)flags, 0, (long)(a->scratch + 512), 0, (long)ctid, 0);
	} else {
		r = fuzz_call(a, __NR_fork, 0, 0, 0, 0, 0, 0);
	}
	if (r == 0)
		child_life(a);
	if (r < 0 && r != -EAGAIN && r != -ENOMEM)
		fuzz_fail(a, r, "fork failed with a strange error");
}

/* Loads selector sel into segment register n (0 fs, 1 gs, 2 ds, 3 es,
 * 4 ss), makes getpid with it loaded, and puts the old value back; no
 * memory is touched while it is loaded. Returns getpid's result. */
static long segment_syscall(int n, uint32_t sel)
{
	long r;

#define SEG_CALL(reg)                                                          \
	__asm__ volatile("movw %%" reg ", %%dx\n\t"                            \
			 "movw %%cx, %%" reg "\n\t"                            \
			 "int $0x80\n\t"                                       \
			 "movw %%dx, %%" reg                                   \
			 : "=a"(r) : "a"(__NR_getpid), "c"(sel) : "edx", "memory")
	switch (n) {
	case 0:  SEG_CALL("fs"); break;
	case 1:  SEG_CALL("gs"); break;
	case 2:  SEG_CALL("ds"); break;
	case 3:  SEG_CALL("es"); break;
	default: SEG_CALL("ss"); break;
	}
#undef SEG_CALL
	return r;
}

/* Loads sel into %fs and leaves it there while the descriptor behind it
 * is changed under it (set_thread_area), then calls again. */
static void segment_swap(struct actor *a, uint32_t sel)
{
	__asm__ volatile("movw %%cx, %%fs" : : "c"(sel) : "memory");
	fuzz_call(a, __NR_getpid, 0, 0, 0, 0, 0, 0);
	fuzz_call(a, __NR_set_thread_area, gen_user_desc(a), 0, 0, 0, 0, 0);
	fuzz_call(a, __NR_sched_yield, 0, 0, 0, 0, 0, 0);
	__asm__ volatile("movw %%cx, %%fs" : : "c"(0) : "memory");
}

/* In a child of its own (a bad selector kills it with SIGSEGV or SIGBUS,
 * which is the right answer): TLS descriptors loaded into every segment
 * register, and changed while loaded. */
void fuzz_segments(struct actor *a)
{
	int status = 0;
	long pid;

	if (!can_fork(a))
		return;
	pid = fuzz_call(a, __NR_fork, 0, 0, 0, 0, 0, 0);
	if (pid < 0)
		return;
	if (pid == 0) {
		a->depth++;
		for (int i = 0; i < 8; i++) {
			struct user_desc *d = (struct user_desc *)(uintptr_t)gen_user_desc(a);
			int regs = (opts.avoid & AVOID_BAD_TLS) ? 2 : 5;
			uint32_t sel;

			if (one_in(a, 2))
				d->entry_number = 0xffffffffu;
			if (fuzz_call(a, __NR_set_thread_area, (long)d, 0, 0, 0, 0, 0) != 0)
				continue;
			sel = d->entry_number << 3 | 3;
			if (one_in(a, 8))
				sel = gen_int(a) & 0xffff;      /* any selector at all */
			if (one_in(a, 3))
				segment_swap(a, sel);
			else
				segment_syscall((int)rnd_below(a, (uint32_t)regs), sel);
		}
		sys_exit_group(0);
	}
	/* ECHILD: a sibling thread's wait4(-1) took it first. */
	if (raw_syscall(__NR_wait4, pid, (long)&status, 0, 0, 0, 0) != pid)
		return;
	if (status != 0 && status != SIGSEGV && status != 7 /* SIGBUS */)
		fuzz_fail(a, status, "segment child ended strangely (status in result)");
}

void exec_exit(struct actor *a)
{
	static char path[] = "/bin/h_exit", arg1[] = "0";
	char *argv[] = { path, arg1, NULL };

	fuzz_call(a, __NR_execve, (long)path, (long)argv, 0, 0, 0, 0);
}

/* How a forked child ends its life. */
static _Noreturn void child_end(struct actor *a)
{
	bool threads = threads_alive() > 0;

	if ((opts.avoid & AVOID_CLONE_EXIT) && threads)
		threads_join();
	if (opts.avoid & AVOID_ORPHANS)
		reap_children(true);
	switch (rnd_below(a, 6)) {
	case 0:
		if (!threads || !(opts.avoid & AVOID_EXEC_THREADS))
			exec_exit(a);
		break;                  /* not on this kernel's initrd (the host) */
	case 3:
		if (threads && !(opts.avoid & AVOID_EXEC_THREADS))
			threads_exec();                 /* one of them will */
		break;
	case 1:
		*(volatile int *)0 = 0;                 /* SIGSEGV */
		break;
	case 2:
		if (!(opts.avoid & AVOID_CLONE_EXIT))
			sys_exit(0);                    /* leader goes, threads stay */
		break;
	}
	sys_exit_group(0);
}

_Noreturn void child_life(struct actor *parent)
{
	struct actor *a = parent;       /* our copy of it, in our own memory */

	a->rng = rng_seed(a->rng, 0x6368696cull);
	a->depth++;
	a->is_thread = false;
	a->calls = 0;
	a->budget = 1 + rnd_below(a, CHILD_CALLS);
	a->may_fork = true;
	threads_forget(a);                      /* the parent's threads are not here */
	/* The parent's pipes are its own: drop our copies of them. */
	for (int i = 0; i < ACTOR_PIPES; i++)
		a->pipe[i].stale = true;
	pipes_refresh(a);
	while (a->calls < a->budget)
		fuzz_one(a);
	child_end(a);
}

