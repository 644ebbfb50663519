/*
 * Actors: a worker process's main actor and its threads (clone with
 * random flags, TLS descriptors and clear_child_tid words), and the loop
 * every actor runs. Forks and children are in procs.c.
 *
 * Each process has MAX_THREADS slots: an actor, its scratch buffer (with a
 * PROT_NONE guard page after it) and a stack. All live in the image (bss),
 * below the playground, so no fuzzed munmap or mprotect can reach them.
 */
#include "fuzz.h"
#include "printf.h"

#define STACK_SIZE      (16 * 1024)
#define PROGRESS_CALLS  100000          /* a worker reports every so many */

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

void futex_nap(int *w, int v)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	raw_syscall(__NR_futex, (long)w, 0 /* FUTEX_WAIT */, v, (long)&ts, 0, 0);
}

void reap_children(bool block)
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

void threads_forget(const struct actor *keep)
{
	for (int i = 1; i < MAX_THREADS; i++)
		if (&slots[i].actor != keep)
			slots[i].used = 0;
}

void threads_exec(void)
{
	exec_from_thread = 1;
	for (int i = 0; i < 20; i++)
		futex_nap((int *)&exec_from_thread, 1);
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


/* The child of a clone that should have failed: it exits at once. */
static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

/* A clone Linux refuses (EINVAL) whatever the memory: the rules between
 * flags. Fails the run if it succeeds. */
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
