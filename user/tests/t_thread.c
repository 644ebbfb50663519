/*
 * Threads (clone with CLONE_VM|CLONE_THREAD|CLONE_SETTLS|...): they share
 * memory, have their own thread ids and TLS, are joined through
 * CLONE_CHILD_CLEARTID and a futex, and exit alone (exit) or take the whole
 * process with them (exit_group, or a fault).
 */
#include "child.h"
#include "futex.h"
#include "ktap.h"
#include "mutex.h"
#include "syscall.h"
#include "thread.h"

#define NTHREADS 4

/* Thread side of several cases: returns its argument. */
static int return_arg(void *arg)
{
	return (int)(long)arg;
}

/* A thread runs its function; join returns what it returned. */
static void create_join(void)
{
	struct thread *t;

	if (!EXPECT_OK(thread_create(&t, return_arg, (void *)42)))
		return;
	EXPECT_EQ(thread_join(t), 42);
}

/* Thread side of ids_and_tls: checks who it is; returns 0 if all is well. */
static int check_identity(void *main_pid)
{
	struct thread *self = thread_self();
	int wrong = 0;

	wrong |= (sys_getpid() != (long)main_pid) << 0;	/* same process */
	wrong |= (sys_gettid() == (long)main_pid) << 1;	/* its own tid */
	wrong |= (self == NULL || self->self != self) << 2;	/* %gs:0 */
	wrong |= (self == NULL || self->tid != sys_gettid()) << 3; /* SETTID */
	return wrong;
}

/* Each thread has the process's pid, a tid of its own (also written to the
 * CLONE_PARENT_SETTID word), and a TLS segment whose first word points at
 * its own struct thread; the main thread's is distinct. */
static void ids_and_tls(void)
{
	struct thread *t[NTHREADS];
	struct thread *self = thread_self();

	if (!EXPECT(self != NULL))
		return;
	EXPECT_EQ(self->tid, sys_gettid());
	for (int i = 0; i < NTHREADS; i++)
		if (!EXPECT_OK(thread_create(&t[i], check_identity,
					     (void *)sys_getpid())))
			return;
	for (int i = 0; i < NTHREADS; i++) {
		EXPECT(t[i] != self);
		EXPECT_EQ(thread_join(t[i]), 0);
	}
	EXPECT(thread_self() == self);
}

/* What the threads of shared_memory fill in. */
static int slots[NTHREADS];

/* Thread side of shared_memory: writes to its slot of a global array. */
static int fill_slot(void *arg)
{
	int i = (int)(long)arg;

	slots[i] = 100 + i;
	return 0;
}

/* Writes by threads are seen by the main thread, which shares the memory. */
static void shared_memory(void)
{
	struct thread *t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		slots[i] = 0;
	for (int i = 0; i < NTHREADS; i++)
		if (!EXPECT_OK(thread_create(&t[i], fill_slot,
					     (void *)(long)i)))
			return;
	for (int i = 0; i < NTHREADS; i++)
		thread_join(t[i]);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT_EQ(slots[i], 100 + i);
}

/* The counter of mutex_counter and the lock that guards it. */
static struct mutex lock = MUTEX_INIT;
static volatile int counter;

/* Thread side of mutex_counter: increments the counter under the lock,
 * yielding inside the critical section now and then to invite a race. */
static int add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		mutex_lock(&lock);
		int v = counter;

		if (i % 50 == 0)
			sys_sched_yield();
		counter = v + 1;
		mutex_unlock(&lock);
	}
	return 0;
}

/* A futex-based mutex keeps read-modify-write sequences whole. */
static void mutex_counter(void)
{
	struct thread *t[NTHREADS];

	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		if (!EXPECT_OK(thread_create(&t[i], add_many, NULL)))
			return;
	for (int i = 0; i < NTHREADS; i++)
		thread_join(t[i]);
	EXPECT_EQ(counter, NTHREADS * 500);
}

/* Thread side of thread_exit: leaves through exit(2) directly. */
static int exit_directly(void *arg)
{
	(void)arg;
	sys_exit(5);
}

/* exit(2) in a thread ends only that thread: the process goes on, and the
 * kernel still clears the tid word and wakes the joiner. */
static void thread_exit(void)
{
	struct thread *t;

	if (!EXPECT_OK(thread_create(&t, exit_directly, NULL)))
		return;
	thread_join(t);
	EXPECT_EQ(sys_getpid(), sys_gettid());
}

/* Thread side of nested: creates and joins a thread of its own. */
static int create_another(void *arg)
{
	struct thread *t;

	if (thread_create(&t, return_arg, arg) < 0)
		return -1;
	return thread_join(t) + 1;
}

/* Threads can create threads. */
static void nested(void)
{
	struct thread *t;

	if (!EXPECT_OK(thread_create(&t, create_another, (void *)6)))
		return;
	EXPECT_EQ(thread_join(t), 7);
}

/* Blocks the calling thread forever: a futex wait on a word nobody
 * changes. */
static _Noreturn void block_forever(void)
{
	static int never;

	for (;;)
		futex_wait(&never, 0, NULL);
}

/* Thread side of exit_group_ends_all: ends the process with 42. */
static int call_exit_group(void *arg)
{
	(void)arg;
	sys_exit_group(42);
}

/* Thread side of fault_kills_all: dereferences NULL (through a volatile
 * pointer, so that GCC emits the load rather than a trap of its own). */
static volatile int *volatile null_ptr = 0;

static int fault(void *arg)
{
	(void)arg;
	return *null_ptr;
}

/* Child side of exit_group_ends_all and fault_kills_all: starts a thread
 * running fn while the main thread sleeps forever. */
static int main_blocks(void *fn)
{
	struct thread *t;

	if (thread_create(&t, (int (*)(void *))fn, NULL) < 0)
		return 1;
	block_forever();
}

/* exit_group from any thread ends every thread of the process, with its
 * code, although the main thread is asleep in the kernel. */
static void exit_group_ends_all(void)
{
	EXPECT_EXIT(child_run(main_blocks, (void *)call_exit_group), 42);
}

/* A fault in one thread kills the whole process. */
static void fault_kills_all(void)
{
	EXPECT_SIGNAL(child_run(main_blocks, (void *)fault), SIGSEGV);
}

/* The start signal of many_threads: 0 until every thread exists. */
static int go;

/* Thread side of many_threads: waits for the start signal, returns its
 * tid. */
static int wait_then_tid(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == 0)
		futex_wait(&go, 0, NULL);
	return (int)sys_gettid();
}

/* Sixteen threads alive at once (none can finish before the last one is
 * created) have sixteen different tids. */
static void many_threads(void)
{
	struct thread *t[16];
	int tid[16], n = 0;

	go = 0;
	while (n < 16 && EXPECT_OK(thread_create(&t[n], wait_then_tid, NULL)))
		n++;
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	futex_wake(&go, n);
	for (int i = 0; i < n; i++)
		tid[i] = thread_join(t[i]);
	for (int i = 0; i < n; i++) {
		EXPECT_NE(tid[i], sys_getpid());
		for (int j = 0; j < i; j++)
			EXPECT_NE(tid[i], tid[j]);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(create_join),
	KTAP_CASE(ids_and_tls),
	KTAP_CASE(shared_memory),
	KTAP_CASE(mutex_counter),
	KTAP_CASE(thread_exit),
	KTAP_CASE(nested),
	KTAP_CASE(exit_group_ends_all),
	KTAP_CASE(fault_kills_all),
	KTAP_CASE(many_threads),
};

int main(void)
{
	return ktap_run("t_thread", cases, ARRAY_SIZE(cases));
}
