/*
 * Actors: the threads of a worker process, the short-lived children they
 * fork, and what those do with clone, fork, exit and exec.
 *
 * Each process has MAX_THREADS slots: an actor, its scratch buffer (with a
 * PROT_NONE guard page after it) and a stack. All live in the image (bss),
 * below the playground, so no fuzzed munmap or mprotect can reach them.
 */
#include "fuzz.h"
#include "printf.h"
#include "string.h"

#define STACK_SIZE      (16 * 1024)
#define CHILD_CALLS     40              /* at most, in a forked child's life */
#define MAX_DEPTH       2               /* forks of forks */
#define PROGRESS_CALLS  100000          /* a worker reports every so many */

/* Thread flags every fuzzing thread needs, and ones it may add. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_PARENT_SETTID)
#define CLONE_SYSVSEM      0x00040000
#define CLONE_DETACHED     0x00400000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWNS        0x00020000
#define SIGCHLD_FLAG       17

struct slot {
	struct actor actor;
	int tid;                        /* CLONE_PARENT_SETTID */
	int *exit_word;                 /* cleared at exit: &tid or in cow_ctid */
	int used;                       /* running, or lost (never reusable) */
	bool joinable;                  /* tid will be cleared by the kernel */
	uint8_t stack[STACK_SIZE] __attribute__((aligned(16)));
};

static struct slot slots[MAX_THREADS];
/* clear_child_tid words on a page of their own that user code never
 * writes once the threads run: a fork leaves it copy-on-write, and a
 * thread's exit is the first write to it (issue 11, item 3). */
static int cow_ctid[PAGE_SIZE / sizeof(int)] __attribute__((aligned(PAGE_SIZE)));
/* Calls made by threads whose slots were taken over by new ones. */
static unsigned long retired_calls;
/* Set by a child's main thread: its threads should execve now. */
static volatile int exec_from_thread;
static uint8_t scratch_pool[MAX_THREADS][(SCRATCH_PAGES + 1) * PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE)));

/* The clone wrapper of user/lib (clone.S): the child calls fn(arg) on stack
 * and then exit(2)s. */
long clone_thread(unsigned long flags, void *stack, int *parent_tid,
		  struct user_desc *tls, int *child_tid);

/* Gives actor a of slot i its scratch buffer, guard page and playground. */
static void actor_place(struct actor *a, int i)
{
	a->index = i;
	a->scratch = scratch_pool[i];
	a->play = PLAY_BASE + (uint32_t)i * (PLAY_PAGES / MAX_THREADS) * PAGE_SIZE;
	a->play_pages = PLAY_PAGES / MAX_THREADS;
	raw_syscall(__NR_mprotect, (long)(a->scratch + SCRATCH_PAGES * PAGE_SIZE),
		    PAGE_SIZE, PROT_NONE, 0, 0, 0);
}

/* Blocks until futex word *w is no longer v, or 10 ms passed. */
static void futex_nap(int *w, int v)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	raw_syscall(__NR_futex, (long)w, 0 /* FUTEX_WAIT */, v, (long)&ts, 0, 0);
}

/* Reaps every child of this process; with block, waits for them to end. */
static void reap_children(bool block)
{
	while (raw_syscall(__NR_wait4, -1, 0, block ? 0 : 1 /* WNOHANG */, 0, 0, 0) > 0)
		;
}

int threads_alive(void)
{
	int n = 0;

	for (int i = 1; i < MAX_THREADS; i++)
		if (slots[i].used && (!slots[i].joinable || *slots[i].exit_word != 0))
			n++;
	return n;
}

void threads_join(void)
{
	for (int i = 1; i < MAX_THREADS; i++) {
		struct slot *s = &slots[i];

		if (!s->used || !s->joinable)
			continue;
		for (int tid; (tid = __atomic_load_n(s->exit_word, __ATOMIC_ACQUIRE)) != 0; )
			futex_nap(s->exit_word, tid);
		__atomic_store_n(&s->used, 0, __ATOMIC_RELEASE);
	}
}

/* The body of a fuzzing thread. */
static int thread_main(void *arg)
{
	actor_run(arg);
	return 0;
}

/* Claims a free slot (one whose thread has ended counts); returns it, or
 * -1. Any actor may call it, so the claim is atomic. */
static int claim_slot(void)
{
	for (int i = 1; i < MAX_THREADS; i++) {
		struct slot *s = &slots[i];
		int v = __atomic_load_n(&s->used, __ATOMIC_ACQUIRE);

		if (v == 2 || (v == 1 && (!s->joinable ||
					 __atomic_load_n(s->exit_word, __ATOMIC_ACQUIRE) != 0)))
			continue;       /* being started, running, or lost */
		if (__atomic_compare_exchange_n(&s->used, &v, 2, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			__atomic_add_fetch(&retired_calls, s->actor.calls, __ATOMIC_RELAXED);
			return i;
		}
	}
	return -1;
}

long thread_spawn(struct actor *parent, unsigned long flags, uint32_t tls,
		  uint32_t ctid, bool joinable, unsigned long budget)
{
	int i = claim_slot();
	struct slot *s;
	uint32_t *sp;
	long r;

	if (i < 0)
		return -EAGAIN;
	s = &slots[i];
	s->actor = (struct actor){
		.rng = rng_seed(parent->rng, (uint64_t)i), .worker = parent->worker,
		.depth = parent->depth, .is_thread = true,
		.budget = budget, .may_fork = false,
	};
	actor_place(&s->actor, i);
	s->tid = 0;
	s->joinable = joinable;
	s->exit_word = &s->tid;
	if (joinable && (flags & CLONE_CHILD_SETTID) && !(opts.avoid & AVOID_COW_CTID)) {
		s->exit_word = &cow_ctid[i];
		*s->exit_word = -1;     /* until CLONE_CHILD_SETTID stores the tid */
	}
	sp = (uint32_t *)(void *)(s->stack + STACK_SIZE);
	*--sp = (uint32_t)(uintptr_t)&s->actor;
	*--sp = (uint32_t)(uintptr_t)thread_main;
	if (joinable)
		ctid = (uint32_t)(uintptr_t)s->exit_word;
	fuzz_begin(parent, __NR_clone, (long)flags, (long)sp, (long)&s->tid,
		   (long)tls, (long)ctid, 0);
	r = clone_thread(flags, sp, &s->tid, (struct user_desc *)(uintptr_t)tls,
			 (int *)(uintptr_t)ctid);
	fuzz_end(parent, r);
	/* 1: running (or, unjoinable, lost for good); 0: clone failed. */
	__atomic_store_n(&s->used, r < 0 ? 0 : 1, __ATOMIC_RELEASE);
	return r;
}


/* A clone Linux refuses (EINVAL) whatever the memory: the rules between
 * flags. Its child, should one appear, exits at once on slot 0's stack... no:
 * on a stack of its own. */
static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

static void clone_must_fail(struct actor *a)
{
	static const unsigned long bad[] = {
		CLONE_THREAD | CLONE_VM,                        /* THREAD without SIGHAND */
		CLONE_SIGHAND,                                  /* SIGHAND without VM */
		CLONE_THREAD | CLONE_SIGHAND,                   /* the same, one level down */
		CLONE_NEWNS | CLONE_FS,                         /* Linux: EINVAL */
	};
	static uint8_t stack[1024] __attribute__((aligned(16)));
	uint32_t *sp = (uint32_t *)(void *)(stack + sizeof(stack));
	unsigned long flags = bad[rnd_below(a, ARRAY_SIZE(bad))] | SIGCHLD_FLAG;
	long r;

	*--sp = 0;
	*--sp = (uint32_t)(uintptr_t)exit_at_once;
	fuzz_begin(a, __NR_clone, (long)flags, (long)sp, 0, 0, 0, 0);
	r = clone_thread(flags, sp, NULL, NULL, NULL);
	fuzz_end(a, r);
	if (r >= 0)
		fuzz_fail(a, r, "clone accepted flags Linux refuses");
}

void fuzz_clone(struct actor *a)
{
	unsigned long flags = THREAD_FLAGS;
	uint32_t tls = 0, ctid = 0, budget;
	bool joinable = true;

	if (one_in(a, 3)) {
		clone_must_fail(a);
		return;
	}
	if (one_in(a, 2))
		flags |= CLONE_SYSVSEM;
	if (one_in(a, 4))
		flags |= CLONE_DETACHED;
	if (one_in(a, 3)) {
		flags |= CLONE_SETTLS;
		tls = one_in(a, 4) ? gen_ptr(a) : gen_user_desc(a);
	}
	/* A clear_child_tid we cannot wait on: only where no fork makes it a
	 * copy-on-write page, and only in children (the slot is lost). */
	if (a->depth > 0 && !(a->may_fork && (opts.avoid & AVOID_COW_CTID)) && one_in(a, 3)) {
		joinable = false;
		ctid = gen_ptr(a);
	}
	if (joinable || one_in(a, 2))
		flags |= CLONE_CHILD_CLEARTID;
	if (one_in(a, 4))
		flags |= CLONE_CHILD_SETTID;
	/* The new thread's calls come out of this actor's budget. */
	budget = 1 + rnd_below(a, 200);
	if (a->budget - a->calls <= budget)
		return;
	if (thread_spawn(a, flags, tls, ctid, joinable, budget) > 0) {
		a->budget -= budget;
		if (opts.avoid & AVOID_COW_CTID)
			a->may_fork = false;    /* item 3: no COW under a live thread's ctid */
	}
}

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

/* execve("/bin/h_exit", "0"): the process ends with status 0 (if the
 * call fails, as on the host, the caller goes on). */
static void exec_exit(struct actor *a)
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
		if (threads && !(opts.avoid & AVOID_EXEC_THREADS)) {
			exec_from_thread = 1;        /* one of them will */
			for (int i = 0; i < 20; i++)
				futex_nap((int *)&exec_from_thread, 1);
		}
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
	for (int i = 1; i < MAX_THREADS; i++)   /* the parent's threads are not here */
		if (&slots[i].actor != a)
			slots[i].used = 0;
	/* The parent's pipes are its own: drop our copies of them. */
	for (int i = 0; i < ACTOR_PIPES; i++)
		a->pipe[i].stale = true;
	pipes_refresh(a);
	while (a->calls < a->budget)
		fuzz_one(a);
	child_end(a);
}

void actor_run(struct actor *a)
{
	bool reports = a->depth == 0 && !a->is_thread;
	unsigned long next_report = PROGRESS_CALLS;

	pipes_init(a);
	while (a->calls < a->budget) {
		fuzz_one(a);
		pipes_refresh(a);
		if (a->is_thread && exec_from_thread)
			exec_exit(a);
		if (reports && a->calls >= next_report) {
			struct ukva_meminfo mi = { 0 };

			sys_ukva_meminfo(&mi);
			printf("# fuzz: worker %d: %lu calls (%u frames free)\n", a->worker,
			       worker_calls(), (unsigned)mi.free_pages);
			next_report += PROGRESS_CALLS;
		}
	}
	pipes_selftest(a);
	pipes_close(a);
	for (int i = 0; i < ARRAY_SIZE(a->maps); i++)
		if (a->maps[i])
			fuzz_call(a, __NR_munmap, a->maps[i], a->map_len[i], 0, 0, 0, 0);
	if (!a->is_thread) {
		threads_join();
		reap_children(true);
	}
}

/* Starts the worker's actors: itself as slot 0, threads in the others. */
void worker_run(int worker)
{
	struct actor *a = &slots[0].actor;
	unsigned long share = opts.calls / (unsigned long)opts.procs /
			      (unsigned long)opts.threads + 1;

	*a = (struct actor){ .rng = rng_seed(opts.seed, (uint64_t)worker * 64),
			     .worker = worker, .budget = share,
			     .may_fork = worker % 2 == 0 || opts.threads == 1 ||
					 !(opts.avoid & AVOID_COW_CTID) };
	actor_place(a, 0);
	slots[0].used = 1;
	for (int i = 1; i < opts.threads; i++)
		thread_spawn(a, THREAD_FLAGS | CLONE_CHILD_CLEARTID, 0, 0, true, share);
	actor_run(a);
}

/* Calls made by every actor of this process so far. */
unsigned long worker_calls(void)
{
	unsigned long n = __atomic_load_n(&retired_calls, __ATOMIC_RELAXED);

	for (int i = 0; i < MAX_THREADS; i++)
		n += slots[i].actor.calls;
	return n;
}
