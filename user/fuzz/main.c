/*
 * fuzz: random system calls, deterministic per seed, checked call by call.
 *
 *   fuzz [--seed N] [--calls N] [--procs N] [--threads N] [--avoid LIST] [--trace]
 *
 * --calls is the total over all workers (default 20000); --procs worker
 * processes (default 3) run at once, each with --threads actors (default 3,
 * at most 8). --avoid 1,3,5 steers around items of issue 11 that are known
 * kernel bugs not yet fixed (default: none, provoke them all). --trace prints every
 * call before it is made (to find the one that hangs). Run as /init
 * (init=/bin/fuzz -- --seed 7), it also checks that every frame and task
 * comes back, and its exit status is the machine's verdict.
 *
 * Output is KTAP: progress and the rate as diagnostics, then
 *   ok 1 calls          no invariant broken, every worker exited cleanly
 *   ok 2 nothing_leaked free frames and tasks as before (this kernel only)
 * A failure names the seed, worker, actor and call; the same command line
 * makes the same calls in the same order per actor (the interleaving of
 * actors is the scheduler's).
 */
#include "fuzz.h"
#include "leak.h"
#include "printf.h"
#include "string.h"

struct fuzz_opts opts = {
	.seed = 1, .calls = 20000, .procs = 3, .threads = 3,
	.avoid = 0,
};

/* Parses a decimal number (no sign). */
static unsigned long long number(const char *s)
{
	unsigned long long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

/* "1,3,5" -> AVOID(1) | AVOID(3) | AVOID(5); "none" -> 0. */
static unsigned avoid_list(const char *s)
{
	unsigned bits = 0;

	while (*s >= '0' && *s <= '9') {
		bits |= AVOID(number(s) & 31);
		while (*s >= '0' && *s <= '9')
			s++;
		if (*s == ',')
			s++;
	}
	return bits;
}

/* Reads the options; returns false on a word it does not know. */
static bool parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(o, "--seed") == 0)
			opts.seed = number(v);
		else if (strcmp(o, "--calls") == 0)
			opts.calls = (unsigned long)number(v);
		else if (strcmp(o, "--procs") == 0)
			opts.procs = (int)number(v);
		else if (strcmp(o, "--threads") == 0)
			opts.threads = (int)number(v);
		else if (strcmp(o, "--avoid") == 0)
			opts.avoid = avoid_list(v);
		else if (strcmp(o, "--trace") == 0)
			opts.trace = true, i--;
		else
			return false;
		i++;
	}
	if (opts.procs < 1)
		opts.procs = 1;
	if (opts.threads < 1 || opts.threads > MAX_THREADS)
		opts.threads = opts.threads < 1 ? 1 : MAX_THREADS;
	return true;
}

/* Seconds on the monotonic clock, in milliseconds. */
static uint64_t now_ms(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Forks the workers, collects their call counts through a pipe and their
 * exit statuses; prints the result. Returns true if all ended cleanly. */
static bool run_workers(void)
{
	uint64_t start = now_ms(), ms;
	unsigned long total = 0, n;
	int fds[2], fail[2], status, bad = 0;
	char byte;
	long r;

	if (sys_pipe(fds) != 0 || sys_pipe(fail) != 0)
		return false;
	opts.fail_fd = fail[1];
	for (int w = 0; w < opts.procs; w++) {
		r = sys_fork();
		if (r == 0) {
			sys_close(fds[0]);
			worker_run(w);
			n = worker_calls();
			sys_write(fds[1], &n, sizeof(n));
			sys_exit_group(0);
		}
		if (r < 0) {
			printf("# fuzz: fork of worker %d: %ld\n", w, r);
			bad++;
		}
	}
	sys_close(fds[1]);
	sys_close(fail[1]);
	while ((r = sys_wait4(-1, &status, 0, NULL)) > 0) {
		if (status != 0) {
			printf("# fuzz: FAIL seed=%llu: process %ld %s %d\n",
			       (unsigned long long)opts.seed, r,
			       WIFSIGNALED(status) ? "killed by signal" : "exited with status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			bad++;
		}
	}
	while (sys_read(fds[0], &n, sizeof(n)) == (long)sizeof(n))
		total += n;
	sys_close(fds[0]);
	/* End of file once every process that had the pipe is gone. */
	if (sys_read(fail[0], &byte, 1) > 0) {
		printf("# fuzz: FAIL seed=%llu: some process reported a failure\n",
		       (unsigned long long)opts.seed);
		bad++;
	}
	sys_close(fail[0]);
	ms = now_ms() - start;
	printf("# fuzz: %lu calls in %llu.%03llu s: %llu calls/s\n", total,
	       (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000),
	       (unsigned long long)(ms ? total * 1000ull / ms : 0));
	return bad == 0;
}

int main(int argc, char **argv)
{
	struct ukva_meminfo before;
	bool ok_calls, ok_leak = true;
	int status = 0;
	long pid;

	printf("KTAP version 1\n1..2\n");
	if (!parse_args(argc, argv)) {
		printf("# usage: fuzz [--seed N] [--calls N] [--procs N] [--threads N] [--avoid 1,3|none] [--trace]\n");
		printf("not ok 1 calls\nnot ok 2 nothing_leaked\n");
		return 1;
	}
	opts.on_ukva = sys_ukva_meminfo(&before) == 0;
	canary_init(opts.seed);
	printf("# fuzz: seed=%llu calls=%lu procs=%d threads=%d avoid=0x%x on %s\n",
	       (unsigned long long)opts.seed, opts.calls, opts.procs, opts.threads,
	       opts.avoid, opts.on_ukva ? "ukva" : "the host");
	/* The runs happen in a child, so that this process touches nothing
	 * between the two counts but what this first fork already did. */
	if (sys_fork() == 0)
		sys_exit_group(0);
	while (sys_wait4(-1, NULL, 0, NULL) > 0)
		;
	sys_ukva_meminfo(&before);
	pid = sys_fork();
	if (pid == 0)
		sys_exit_group(run_workers() ? 0 : 1);
	if (pid < 0 || sys_wait4((int)pid, &status, 0, NULL) != pid)
		status = -1;
	/* As /init we inherit orphans: every one must end too. */
	while (sys_wait4(-1, NULL, 0, NULL) > 0)
		;
	ok_calls = status == 0;
	if (opts.on_ukva)
		ok_leak = nothing_leaked("fuzz", &before);
	printf("%s 1 calls\n", ok_calls ? "ok" : "not ok");
	if (opts.on_ukva)
		printf("%s 2 nothing_leaked\n", ok_leak ? "ok" : "not ok");
	else
		printf("ok 2 nothing_leaked # SKIP no meminfo off this kernel\n");
	printf("# fuzz: %s seed=%llu\n", ok_calls && ok_leak ? "PASS" : "FAIL",
	       (unsigned long long)opts.seed);
	return ok_calls && ok_leak ? 0 : 1;
}
