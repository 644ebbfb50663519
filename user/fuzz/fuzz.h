/*
 * fuzz: a random system call fuzzer, deterministic per seed (see main.c).
 *
 * Workers (processes) and their threads are "actors". Each actor draws its
 * calls from its own random stream, owns its pipes and its scratch buffer,
 * and checks every result against the invariants in check.c. Addresses
 * that a call may change (mmap2 MAP_FIXED, munmap, mprotect) are confined to
 * the actor's process's playground, so the fuzzer never destroys its own
 * code, data or stacks; pointers that a call only reads or writes range
 * over the whole 4 GiB, the kernel's half included.
 */
#ifndef USER_FUZZ_FUZZ_H
#define USER_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall.h"
#include "ukva.h"

/* Known kernel bugs (issue 11's numbered items) an option can steer
 * around: bit n set in opts.avoid means "do not provoke item n". */
#define AVOID(n)        (1u << (n))
#define AVOID_ORPHANS   AVOID(1)        /* children outliving their parent */
#define AVOID_BAD_TLS   AVOID(2)        /* unusable TLS selectors in SS */
#define AVOID_COW_CTID  AVOID(3)        /* clear_child_tid on a COW page */
#define AVOID_CLONE_EXIT AVOID(4)       /* clone racing exit_group */
#define AVOID_PIPE_FAULT AVOID(5)       /* pipe writes that fault part way */
#define AVOID_EXEC_THREADS AVOID(10)    /* execve from a threaded process */
#define AVOID_SETTID_ERRNO AVOID(13)    /* clone's child_tid at a bad address */

/* clone flags abi.h does not have, and the flags of a fuzzing thread. */
#define CLONE_NEWNS        0x00020000
#define CLONE_SYSVSEM      0x00040000
#define CLONE_DETACHED     0x00400000
#define CLONE_CHILD_SETTID 0x01000000
#define SIGCHLD_FLAG       17           /* a fork's exit signal, in clone's flags */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_PARENT_SETTID)

struct fuzz_opts {
	uint64_t seed;
	unsigned long calls;            /* in total, over all actors */
	int procs;                      /* worker processes */
	int threads;                    /* actors per worker, its main thread included */
	unsigned avoid;                 /* AVOID() bits */
	bool on_ukva;                   /* this kernel (meminfo answers), not Linux */
	bool trace;                     /* print every call before making it */
	int fail_fd;                    /* every process writes a byte here on failure */
};

extern struct fuzz_opts opts;

/* A pipe as the actor that made it believes it to be. A call whose effect
 * it cannot predict marks the pipe stale; the actor then replaces it. */
struct fpipe {
	int rfd, wfd;                   /* -1 once closed */
	unsigned bytes;                 /* unread bytes in it */
	bool stale;
};

#define ACTOR_PIPES     2
#define PIPE_ROOM       4096        /* the smallest pipe we may meet */

struct actor {
	uint64_t rng;
	int worker, index;              /* which worker, which thread of it */
	int depth;                      /* 0: a worker; >0: a forked child */
	bool is_thread;                 /* a clone(CLONE_THREAD) of the worker */
	unsigned long calls, budget;
	struct fpipe pipe[ACTOR_PIPES];
	uint8_t *scratch;               /* SCRATCH_PAGES pages, then a PROT_NONE guard */
	uint32_t play, play_pages;      /* this actor's slice of the playground */
	uint32_t maps[8], map_len[8];   /* its mmap2 results outside the playground */
	int children;                   /* forked and not yet reaped */
	bool may_fork;
	/* The call in progress, for the failure report. */
	long nr, args[6];
};

#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SCRATCH_PAGES   2
#define MAX_THREADS     8               /* actors per process */
/* The playground: where mmap2(MAP_FIXED), munmap and mprotect may act. */
#define PLAY_BASE       0x50000000u
#define PLAY_PAGES      1024
/* A range the fuzzer never maps on purpose (a pointer there is unmapped). */
#define HOLE_BASE       0x60000000u
#define HOLE_SIZE       0x10000000u
#define USER_TOP        0xC0000000u
#define NULL_PAGE       0x1000u         /* never mapped, anywhere */

/* rng.c */
uint32_t rnd(struct actor *a);
/* A number in [0, n). */
uint32_t rnd_below(struct actor *a, uint32_t n);
/* True with probability 1/n. */
bool one_in(struct actor *a, uint32_t n);
/* A seed for stream i of seed s. */
uint64_t rng_seed(uint64_t s, uint64_t i);

/* args.c: argument generators. */
enum ptr_use { PTR_IN, PTR_OUT };
/* A pointer of a random class: NULL, low, scratch, the end of scratch,
 * the playground, the hole, the top of the stack, spanning 0xC0000000, the
 * direct map, kernel text, vmalloc, the UKVA window, the last page. */
uint32_t gen_ptr(struct actor *a);
/* A pointer that is safe to write through (scratch) or one gen_ptr gives
 * and that the fuzzer's own state cannot be hurt by. */
uint32_t gen_buf(struct actor *a, uint32_t *len, uint32_t max_valid);
/* A length: 0, 1, small, a page, PIPE_BUF, huge, or one that wraps ptr. */
uint32_t gen_len(struct actor *a, uint32_t ptr);
/* An int: 0, -1, small, a boundary, or anything. */
uint32_t gen_int(struct actor *a);
/* A page-aligned (mostly) address in the playground, or a bad one. */
uint32_t gen_map_addr(struct actor *a, uint32_t *len);
/* On this kernel, does [p, p + len) reach into the kernel's part (so a
 * call that reads or writes it must fail)? Always false on the host. */
bool hits_kernel(uint32_t p, uint32_t len);
/* Is [p, p + len) wholly inside the actor's scratch buffer? */
bool in_scratch(struct actor *a, uint32_t p, uint32_t len);
/* Does [p, p + len) overlap the playground (any actor's slice)? */
bool in_any_play(uint32_t p, uint32_t len);
/* Is [p, p + len) wholly inside the actor's slice of the playground? */
bool in_play(struct actor *a, uint32_t p, uint32_t len);

/* check.c: per-call invariants. */
/* Makes call nr with args, counts it and checks what every call must
 * satisfy; returns the raw result. */
long fuzz_call(struct actor *a, long nr, long a1, long a2, long a3, long a4,
	       long a5, long a6);
/* fuzz_call in two halves, for calls made some other way (clone). */
void fuzz_begin(struct actor *a, long nr, long a1, long a2, long a3, long a4,
		long a5, long a6);
void fuzz_end(struct actor *a, long r);
/* Reports a broken invariant for the call in progress and ends the run. */
_Noreturn void fuzz_fail(struct actor *a, long r, const char *why);
/* Fails the run if a call that read or wrote [p, p + len) succeeded (r >= 0)
 * although that range reaches into the kernel. */
void no_kernel_access(struct actor *a, long r, uint32_t p, uint32_t len);
/* Fills the canary; checks it (canary_check fails the run if it changed). */
void canary_init(uint64_t seed);
void canary_check(struct actor *a);

/* pipes.c: the actor's pipes. */
void pipes_init(struct actor *a);
void pipes_close(struct actor *a);
void pipes_refresh(struct actor *a);
/* Writes a pattern through a fresh pipe and reads it back; fails the run
 * if it does not come back intact. */
void pipes_selftest(struct actor *a);
/* A random fd: one of ours, or one that is never open. */
int gen_fd(struct actor *a, struct fpipe **p, bool *is_read);

/* calls.c */
/* Makes one random system call. */
void fuzz_one(struct actor *a);
/* calls_mm.c: brk, mmap2, munmap, mprotect with random arguments. */
void call_brk(struct actor *a);
void call_mmap2(struct actor *a);
void call_munmap(struct actor *a);
void call_mprotect(struct actor *a);

/* actor.c and procs.c */
/* Runs an actor until its budget is spent; reaps its children. */
void actor_run(struct actor *a);
/* Runs a forked child's short life; never returns. */
_Noreturn void child_life(struct actor *parent);
/* Starts a fuzzing thread in this process: clone(flags) with TLS
 * descriptor tls; its clear_child_tid is its slot's tid word if joinable,
 * else ctid. Returns its tid or -errno. */
long thread_spawn(struct actor *parent, unsigned long flags, uint32_t tls,
		  uint32_t ctid, bool joinable, unsigned long budget);
/* Runs worker number worker: its main actor and opts.threads - 1 threads. */
void worker_run(int worker);
/* Calls made by every actor of this process so far. */
unsigned long worker_calls(void);
/* A user_desc with random, often plausible, fields, in scratch. */
uint32_t gen_user_desc(struct actor *a);
/* The less common calls (actor.c). */
void fuzz_segments(struct actor *a);
void fuzz_fork(struct actor *a);
void fuzz_clone(struct actor *a);
/* Blocks until futex word *w is no longer v, or 10 ms passed. */
void futex_nap(int *w, int v);
/* Reaps every child of this process; with block, waits for them to end. */
void reap_children(bool block);
/* In a forked child: forgets the parent's threads (all but keep's slot). */
void threads_forget(const struct actor *keep);
/* Asks this process's threads to execve now; waits a little for it. */
void threads_exec(void);
/* execve("/bin/h_exit", "0"); returns only if that fails (as on the host). */
void exec_exit(struct actor *a);
/* Waits for every thread this process started. */
void threads_join(void);
/* Number of threads currently alive in this process (besides main). */
int threads_alive(void);

#endif
