/*
 * Threads. A thread is one mmap2'd block: a guard page, the stack, and its
 * struct thread at the top. The first thread_create also gives the main
 * thread a TLS segment (set_thread_area with entry -1, so the kernel picks
 * the GDT slot); every later thread reuses that slot number with its own
 * base through CLONE_SETTLS, and inherits %gs from its creator.
 */
#include "thread.h"

#include <stdint.h>

#include "futex.h"
#include "syscall.h"
#include "tls.h"

#define THREAD_MAP_SIZE (64 * 1024)
#define THREAD_FLAGS                                                      \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |               \
	 CLONE_CHILD_CLEARTID)

long clone_thread(unsigned long flags, void *stack, int *parent_tid,
		  struct user_desc *tls, int *child_tid);

static struct thread main_thread;
static uint32_t tls_entry;	/* GDT slot for TLS; 0 until set up */

/* Gives the calling (main) thread its TLS segment, once. Returns 0 or
 * -errno. Only the main thread can get here first: nobody else exists yet. */
static long tls_setup(void)
{
	struct user_desc d;
	long r;

	if (tls_entry != 0)
		return 0;
	main_thread.self = &main_thread;
	main_thread.tid = (int)sys_gettid();
	tls_desc(&d, (uint32_t)-1, &main_thread);
	r = sys_set_thread_area(&d);
	if (r < 0)
		return r;
	tls_load_gs(tls_selector(d.entry_number));
	tls_entry = d.entry_number;
	return 0;
}

/* The first C function of a new thread (called by clone_thread in clone.S);
 * when it returns, the thread exits. */
static void thread_start(struct thread *t)
{
	t->result = t->fn(t->arg);
}

/* Starts fn(arg) in a new thread of this process and stores its handle in
 * *t. Returns 0 or -errno. */
int thread_create(struct thread **t, int (*fn)(void *), void *arg)
{
	struct user_desc d;
	struct thread *th;
	uint32_t *sp;
	long map, r;

	r = tls_setup();
	if (r < 0)
		return (int)r;
	map = sys_mmap2(NULL, THREAD_MAP_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is_err(map))
		return (int)map;
	/* A guard page: stack overflows fault instead of corrupting memory. */
	r = sys_mprotect((void *)map, PAGE_SIZE, PROT_NONE);
	if (r < 0)
		goto fail;

	th = (struct thread *)(map + THREAD_MAP_SIZE) - 1;
	*th = (struct thread){ .self = th, .fn = fn, .arg = arg,
			       .map = (void *)map, .map_len = THREAD_MAP_SIZE };
	/* clone_thread pops sp[0] and calls it with sp[1] as argument; the
	 * i386 ABI wants esp 16-byte aligned at that call, i.e. at &sp[1]. */
	sp = (uint32_t *)(((uintptr_t)th & ~(uintptr_t)15) - 20);
	sp[0] = (uint32_t)(uintptr_t)thread_start;
	sp[1] = (uint32_t)(uintptr_t)th;

	tls_desc(&d, tls_entry, th);
	r = clone_thread(THREAD_FLAGS, sp, &th->tid, &d, &th->tid);
	if (r < 0)
		goto fail;
	*t = th;
	return 0;
fail:
	sys_munmap((void *)map, THREAD_MAP_SIZE);
	return (int)r;
}

/* Waits until t has exited, frees its stack; returns fn's return value. */
int thread_join(struct thread *t)
{
	int tid, result;

	/* The kernel zeroes t->tid and wakes the futex only after the thread
	 * stopped using its stack, so unmapping it afterwards is safe. */
	while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)) != 0)
		futex_wait(&t->tid, tid, NULL);
	result = t->result;
	sys_munmap(t->map, t->map_len);
	return result;
}

/* Returns the calling thread's struct thread (read through %gs), or NULL
 * if TLS could not be set up. */
struct thread *thread_self(void)
{
	if (tls_setup() < 0)
		return NULL;
	return (struct thread *)(uintptr_t)tls_read(0);
}
