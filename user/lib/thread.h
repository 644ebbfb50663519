/*
 * Threads over clone(2) and futexes. Each thread gets its own mmap2'd stack
 * and its own TLS segment: %gs:0 holds the address of its struct thread.
 */
#ifndef USER_THREAD_H
#define USER_THREAD_H

#include <stddef.h>

struct thread {
	struct thread *self;	/* first, so that %gs:0 points here */
	int tid;		/* set by CLONE_PARENT_SETTID; the kernel
				 * clears it and futex-wakes it at exit
				 * (CLONE_CHILD_CLEARTID) */
	int (*fn)(void *);
	void *arg;
	int result;		/* fn's return value */
	void *map;		/* the mapping holding the stack and this */
	size_t map_len;
};

/* Starts fn(arg) in a new thread of this process and stores its handle in
 * *t. Returns 0 or -errno. */
int thread_create(struct thread **t, int (*fn)(void *), void *arg);

/* Waits until t has exited, frees its stack; returns fn's return value. */
int thread_join(struct thread *t);

/* Returns the calling thread's struct thread (read through %gs), or NULL
 * if TLS could not be set up. */
struct thread *thread_self(void);

#endif
