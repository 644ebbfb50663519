/*
 * The benchmarks of ukva_bench.  Each reports its metrics itself (see
 * measure.h) and returns 0, or -errno when it could not run to the end.
 *
 * Sizes are chosen so that a whole run stays under about 30 s of guest
 * time under QEMU TCG per mode (docs/benchmarks.md has the timings).
 */
#ifndef USER_BENCH_BENCH_H
#define USER_BENCH_BENCH_H

#define SYSCALL_N       50000   /* getppid calls per repetition */
#define SYSCALL_REPS    15
#define YIELD_N         5000    /* yields per side per repetition */
#define YIELD_REPS      15
#define FORK_N          200     /* fork + exit + wait per repetition */
#define FORK_REPS       7
#define FAULT_PAGES     1024    /* pages touched per repetition (4 MiB) */
#define FAULT_REPS      15
#define FOOTPRINT_K     64      /* processes or threads held at once */
#define SHOOT_N         200     /* munmaps of one page per repetition */
#define SHOOT_REPS      9
#define HANDOFF_N       2000    /* token handoffs per repetition (both ways) */
#define HANDOFF_REPS    9

/* Yield ping-pong of two threads of one mm on one CPU. */
int bench_yield_threads(void);
/* The same with 1, 8, 32 private window pages per thread (skipped where there are none). */
int bench_yield_threads_private(void);
/* Yield ping-pong of two processes on one CPU. */
int bench_yield_processes(void);
/* Memory held by FOOTPRINT_K blocked child processes (this kernel only). */
int bench_footprint_processes(void);
/* Memory held by FOOTPRINT_K blocked threads of this process (this kernel only). */
int bench_footprint_threads(void);

/* Which two CPUs the SMP benchmarks use (b < 0: only one is allowed). */
void bench_smp_cpus(int a, int b);
/* munmap of one page alone, next to a sleeping and a spinning thread on B. */
int bench_smp_shootdown(void);
/* Token handoff between two threads both on A, then on A and B. */
int bench_smp_handoff(void);

/* With profile= on this kernel: reset the kernel's profile before a
 * benchmark, print its top functions after (a PROFILE line; profile.c). */
void bench_profile_begin(void);
void bench_profile_end(const char *name);

/* Ends the program with status; as Linux's PID 1 (no parent to exit to),
 * powers the machine off instead (linux_init.c). */
_Noreturn void bench_exit(int status);

#endif
