/*
 * One handler per system call: it draws the arguments, makes the call
 * through fuzz_call, and checks what that call's result must satisfy.
 * Calls that could block forever are shaped so they cannot: reads only
 * from pipes with data, writes only within the room left, waits with
 * WNOHANG, futex waits on a changed value or with a short timeout.
 */
#include "fuzz.h"
#include "string.h"

#define NSEC_PER_SEC 1000000000L
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

/* Fails the run unless r is one of the errors a call on a bad fd may give. */
static void expect_ebadf(struct actor *a, long r)
{
	if (r != -EBADF)
		fuzz_fail(a, r, "expected EBADF on a descriptor that is not open that way");
}

static void call_read(struct actor *a)
{
	struct fpipe *p;
	bool is_read;
	int fd = gen_fd(a, &p, &is_read);
	uint32_t len, buf = gen_buf(a, &len, SCRATCH_PAGES * PAGE_SIZE);
	long r;

	if (p && is_read && p->bytes == 0 && p->wfd >= 0)
		return;                 /* would block: nothing to read */
	r = fuzz_call(a, __NR_read, fd, buf, len, 0, 0, 0);
	if (!p || !is_read) {
		expect_ebadf(a, r);
		return;
	}
	if (r > 0 && hits_kernel(buf, (uint32_t)r))
		fuzz_fail(a, r, "read wrote into kernel memory");
	if (r > 0 && ((uint32_t)r > len || (uint32_t)r > p->bytes))
		fuzz_fail(a, r, "read returned more than was asked or written");
	if (r == 0 && len > 0 && p->bytes > 0)
		fuzz_fail(a, r, "read returned 0 from a pipe with data");
	if (r > 0)
		p->bytes -= (uint32_t)r;
	else if (r < 0)
		p->stale = true;        /* how much a faulting read consumed varies */
}

/* A buffer and length for a write that cannot block: the length fits the
 * room left unless the buffer starts in the kernel's part. (A NULL buffer
 * is a user address like any other: the writer waits for room first.) */
static uint32_t write_buf(struct actor *a, uint32_t room, uint32_t *len)
{
	uint32_t buf = gen_buf(a, len, room);

	if (hits_kernel(buf, 1))
		return buf;             /* access_ok fails: EFAULT, never waits */
	if (*len > room)
		*len = rnd_below(a, room + 1);
	/* Item 5: no buffer that faults part way (page 0 faults at once). */
	if ((opts.avoid & AVOID_PIPE_FAULT) && buf >= NULL_PAGE && !in_scratch(a, buf, *len))
		buf = (uint32_t)(uintptr_t)a->scratch;
	return buf;
}

static void call_write(struct actor *a)
{
	struct fpipe *p;
	bool is_read;
	int fd = gen_fd(a, &p, &is_read);
	uint32_t room = p ? PIPE_ROOM - p->bytes : PIPE_ROOM;
	uint32_t len, buf = write_buf(a, room, &len);
	bool faults_now = hits_kernel(buf, 1);
	long r;

	if (p && !is_read && room == 0 && !faults_now)
		return;                 /* would block: the pipe is full */
	if (p && !is_read && p->rfd < 0)
		return;                 /* SIGPIPE */
	r = fuzz_call(a, __NR_write, fd, buf, len, 0, 0, 0);
	if (!p || is_read) {
		expect_ebadf(a, r);
		return;
	}
	if (r > 0 && hits_kernel(buf, 1))
		fuzz_fail(a, r, "write read kernel memory into a pipe");
	if (r > 0 && (uint32_t)r > len)
		fuzz_fail(a, r, "write wrote more than it was given");
	if (in_scratch(a, buf, len) && r != (long)len)
		fuzz_fail(a, r, "write of a valid buffer that fits was not complete");
	if (r > 0)
		p->bytes += (uint32_t)r;
	if (r < 0 || p->bytes > PIPE_ROOM)
		p->stale = true;
}

static void call_close(struct actor *a)
{
	struct fpipe *p;
	bool is_read;
	int fd = gen_fd(a, &p, &is_read);
	long r = fuzz_call(a, __NR_close, fd, 0, 0, 0, 0, 0);

	if (!p) {
		expect_ebadf(a, r);
		return;
	}
	if (r != 0)
		fuzz_fail(a, r, "close of our own pipe end failed");
	if (is_read)
		p->rfd = -1;
	else
		p->wfd = -1;
	p->stale = true;            /* replaced, both ends, next round */
}

static void call_pipe(struct actor *a)
{
	uint32_t ptr = gen_ptr(a);
	long r = fuzz_call(a, __NR_pipe, ptr, 0, 0, 0, 0, 0);

	no_kernel_access(a, r, ptr, 8);
	/* Close the two fds if we may read them: memory only this actor maps
	 * (another thread may unmap anything else at any time). Elsewhere they
	 * stay open until the process ends. */
	if (r == 0 && (in_scratch(a, ptr, 8) || in_play(a, ptr, 8) ||
		       (opts.on_ukva && ptr >= USER_TOP - PAGE_SIZE))) {
		int *fds = (int *)(uintptr_t)ptr;
		fuzz_call(a, __NR_close, fds[0], 0, 0, 0, 0, 0);
		fuzz_call(a, __NR_close, fds[1], 0, 0, 0, 0, 0);
	}
}

static void call_ids(struct actor *a)
{
	long pid = fuzz_call(a, __NR_getpid, 0, 0, 0, 0, 0, 0);
	long tid = fuzz_call(a, __NR_gettid, 0, 0, 0, 0, 0, 0);
	long ppid = fuzz_call(a, __NR_getppid, 0, 0, 0, 0, 0, 0);

	if (pid <= 0 || tid <= 0 || ppid < 0)
		fuzz_fail(a, pid, "getpid, gettid or getppid out of range");
	if (!a->is_thread && pid != tid)
		fuzz_fail(a, tid, "a process's main thread has tid != pid");
	fuzz_call(a, __NR_sched_yield, 0, 0, 0, 0, 0, 0);
}

/* A timespec in scratch: short, zero, or invalid; returns its address. */
static uint32_t gen_timespec(struct actor *a, bool *valid)
{
	struct timespec *ts = (struct timespec *)(a->scratch + PAGE_SIZE);

	ts->tv_sec = 0;
	ts->tv_nsec = (long)rnd_below(a, 1000000);      /* under 1 ms */
	*valid = true;
	switch (rnd_below(a, 6)) {
	case 0: ts->tv_nsec = NSEC_PER_SEC + (long)rnd_below(a, 1000); *valid = false; break;
	case 1: ts->tv_nsec = -1 - (long)rnd_below(a, 1000); *valid = false; break;
	case 2: ts->tv_sec = -1; *valid = false; break;
	case 3: ts->tv_nsec = 0; break;
	}
	return (uint32_t)(uintptr_t)ts;
}

/* A pointer that faults on its first byte (never blocks on its contents).
 * Only page 0 is sure to be unmapped: Linux's mmap_min_addr may be 4096,
 * and the fuzzer maps what it may. */
static uint32_t bad_ptr(struct actor *a)
{
	if (one_in(a, 4) || !opts.on_ukva)
		return one_in(a, 2) ? 0 : rnd_below(a, NULL_PAGE);
	return USER_TOP + rnd(a) % (0u - USER_TOP);
}

static void call_nanosleep(struct actor *a)
{
	bool valid = false;
	uint32_t req = one_in(a, 3) ? bad_ptr(a) : gen_timespec(a, &valid);
	long r = fuzz_call(a, __NR_nanosleep, req, gen_ptr(a), 0, 0, 0, 0);

	if (r == 0 && !valid)
		fuzz_fail(a, r, "nanosleep accepted a bad or invalid timespec");
	if (valid && r != 0)
		fuzz_fail(a, r, "nanosleep refused a valid timespec");
}

static void call_clock_gettime(struct actor *a)
{
	uint32_t clock = one_in(a, 2) ? rnd_below(a, 2) : gen_int(a);
	uint32_t ts = one_in(a, 2) ? (uint32_t)(uintptr_t)a->scratch : gen_ptr(a);
	long r = fuzz_call(a, __NR_clock_gettime, clock, ts, 0, 0, 0, 0);

	no_kernel_access(a, r, ts, 8);
	if (r == 0 && in_scratch(a, ts, 8)) {
		const struct timespec *t = (const struct timespec *)(uintptr_t)ts;
		if (t->tv_nsec < 0 || t->tv_nsec >= NSEC_PER_SEC)
			fuzz_fail(a, t->tv_nsec, "clock_gettime gave tv_nsec out of range");
	}
}

static void call_futex(struct actor *a)
{
	static const int ops[] = { 0, 1, 0, 1, 10, 14, 15, 127 };
	int op = ops[rnd_below(a, ARRAY_SIZE(ops))];
	int *word = (int *)(a->scratch + (rnd_below(a, 256) & ~3u));
	uint32_t uaddr = (uint32_t)(uintptr_t)word;
	uint32_t val, timeout = 0;
	bool valid_ts;
	long r;

	if (one_in(a, 2))
		op |= FUTEX_PRIVATE_FLAG;
	if (one_in(a, 8))
		op |= FUTEX_CLOCK_REALTIME;
	if (one_in(a, 3))
		uaddr = one_in(a, 2) ? bad_ptr(a) : uaddr + 1 + rnd_below(a, 3);  /* unaligned */
	val = (uint32_t)*word + 1 + rnd_below(a, 100);  /* never the value: no sleep */
	if ((op & 127) == 0 && !in_scratch(a, uaddr, 4))
		timeout = gen_timespec(a, &valid_ts);   /* bounded, in case */
	else if (one_in(a, 4))
		timeout = bad_ptr(a);
	if ((op & 127) != 0)
		val = gen_int(a);
	r = fuzz_call(a, __NR_futex, uaddr, op, val, timeout, 0, 0);
	no_kernel_access(a, r, uaddr, 4);
}

static void call_affinity(struct actor *a)
{
	static const int bad_pids[] = { -1, 0x3fffffff, (int)0x80000000 };
	uint32_t mask_ptr = (uint32_t)(uintptr_t)a->scratch;
	uint32_t len = 4u << rnd_below(a, 4);
	int pid = 0;
	long r;

	if (one_in(a, 3))
		pid = (int)fuzz_call(a, __NR_gettid, 0, 0, 0, 0, 0, 0);
	else if (one_in(a, 3))
		pid = bad_pids[rnd_below(a, ARRAY_SIZE(bad_pids))];
	if (one_in(a, 3))
		mask_ptr = gen_ptr(a);
	if (one_in(a, 4))
		len = gen_len(a, mask_ptr);
	if (one_in(a, 2)) {
		r = fuzz_call(a, __NR_sched_getaffinity, pid, len, mask_ptr, 0, 0, 0);
		no_kernel_access(a, r, mask_ptr, r > 0 ? (uint32_t)r : 0);
		return;
	}
	if (in_scratch(a, mask_ptr, 4))
		*(uint32_t *)(uintptr_t)mask_ptr = one_in(a, 4) ? 0 : 1u + rnd_below(a, 15);
	fuzz_call(a, __NR_sched_setaffinity, pid, len, mask_ptr, 0, 0, 0);
}

/* Fills a user_desc in scratch with random, often plausible, fields. */
uint32_t gen_user_desc(struct actor *a)
{
	static const uint32_t entries[] = { 0xffffffffu, 6, 7, 8, 0, 5, 9, 12, 0x10000 };
	struct user_desc *d = (struct user_desc *)(a->scratch + 64);
	uint32_t flags = rnd(a);

	*d = (struct user_desc){
		.entry_number = entries[rnd_below(a, ARRAY_SIZE(entries))],
		.base_addr = one_in(a, 2) ? (uint32_t)(uintptr_t)a->scratch : gen_ptr(a),
		.limit = one_in(a, 2) ? 0xfffff : gen_int(a),
		.seg_32bit = one_in(a, 4) ? 0 : 1,
		.contents = one_in(a, 3) ? flags & 3 : 0,
		.read_exec_only = one_in(a, 4),
		.limit_in_pages = one_in(a, 4) ? 0 : 1,
		.seg_not_present = one_in(a, 4),
		.useable = flags >> 8 & 1,
	};
	if (one_in(a, 8))
		memset(d, 0, sizeof(*d));               /* the "clear" request */
	return (uint32_t)(uintptr_t)d;
}

static void call_set_thread_area(struct actor *a)
{
	uint32_t d = one_in(a, 4) ? gen_ptr(a) : gen_user_desc(a);
	long r = fuzz_call(a, __NR_set_thread_area, d, 0, 0, 0, 0, 0);

	no_kernel_access(a, r, d, 16);
}

static void call_wait4(struct actor *a)
{
	static const int pids[] = { -1, -1, 0, 0x3fffffff, (int)0x80000000, -2 };
	uint32_t status = one_in(a, 2) ? (uint32_t)(uintptr_t)(a->scratch + 128) : gen_ptr(a);
	uint32_t options = 1;           /* WNOHANG: never block */
	bool use_waitpid = one_in(a, 4);
	long r;

	if (one_in(a, 8))
		options |= gen_int(a);
	r = fuzz_call(a, use_waitpid ? __NR_waitpid : __NR_wait4,
		      pids[rnd_below(a, ARRAY_SIZE(pids))], status, options,
		      use_waitpid ? 0 : (one_in(a, 4) ? gen_ptr(a) : 0), 0, 0);
	if (r > 0 && hits_kernel(status, 4))
		fuzz_fail(a, r, "wait4 stored a status into kernel memory");
}

static void call_execve_bad(struct actor *a)
{
	/* The first three exist here: a bad argv or envp must give EFAULT. */
	static const char *const paths[] = {
		"/bin/h_exit", "//bin//h_exit", "/bin/h_notelf", "/nonexistent", "", "/bin",
	};
	int which = (int)rnd_below(a, ARRAY_SIZE(paths));
	uint32_t argv_ptr = (uint32_t)(uintptr_t)(a->scratch + 256);
	uint32_t *argv = (uint32_t *)(uintptr_t)argv_ptr;
	uint32_t path = (uint32_t)(uintptr_t)paths[which];
	uint32_t envp = 0;
	bool must_efault = false;
	long r;

	/* Valid path, so some argument must be bad enough to fail the call. */
	argv[0] = path;
	argv[1] = bad_ptr(a);
	argv[2] = 0;
	switch (rnd_below(a, 4)) {
	case 0: path = bad_ptr(a); must_efault = true; break;
	case 1: argv_ptr = bad_ptr(a); must_efault = argv_ptr != 0; break;
	case 2: envp = bad_ptr(a); must_efault = envp != 0; break;
	default: must_efault = argv[1] != 0; break;
	}
	if (!must_efault)
		return;                 /* NULL argv is legal: it would succeed */
	r = fuzz_call(a, __NR_execve, path, argv_ptr, envp, 0, 0, 0);
	if (r >= 0)
		fuzz_fail(a, r, "execve with a bad pointer returned success");
	/* Linux opens the file before it reads argv: a missing one says so.
	 * ENOMEM: the kernel may allocate its argument buffer first. */
	if (r != -EFAULT && r != -ENOMEM && (hits_kernel(path, 1) || (opts.on_ukva && which < 3)))
		fuzz_fail(a, r, "execve with a bad pointer did not give EFAULT");
}

static void call_ukva(struct actor *a)
{
	uint32_t buf = one_in(a, 2) ? (uint32_t)(uintptr_t)a->scratch : gen_ptr(a);
	uint32_t n = one_in(a, 2) ? rnd_below(a, 64) : gen_int(a);
	long r;

	if (one_in(a, 2)) {
		r = fuzz_call(a, __NR_ukva_counters, (long)gen_int(a) % 8 - 1, buf, n, 0, 0, 0);
		no_kernel_access(a, r, buf, r > 0 && n > 0 ? 4 : 0);
	} else {
		r = fuzz_call(a, __NR_ukva_meminfo, buf, n, 0, 0, 0, 0);
		no_kernel_access(a, r, buf, n ? 4 : 0);
	}
}

/* A system call number this kernel does not have: ENOSYS. Only here: on
 * Linux an unknown number may be a call with real effects. */
static void call_unknown(struct actor *a)
{
	static const long known[] = {
		1, 2, 3, 4, 6, 7, 11, 20, 42, 45, 64, 91, 114, 120, 125, 158, 162,
		192, 224, 240, 241, 242, 243, 252, 265,
	};
	long nr = one_in(a, 2) ? (long)rnd_below(a, 450) : (long)gen_int(a);
	long r;

	/* 4000 up to 4099: this kernel's own calls (ukva.h and later ones). */
	if (!opts.on_ukva || (nr >= __NR_ukva_counters && nr < __NR_ukva_counters + 100))
		return;
	for (int i = 0; i < ARRAY_SIZE(known); i++)
		if (nr == known[i])
			return;
	r = fuzz_call(a, nr, gen_int(a), gen_int(a), gen_int(a), gen_int(a), gen_int(a), gen_int(a));
	if (r != -ENOSYS)
		fuzz_fail(a, r, "an unknown system call did not give ENOSYS");
}


/* The calls, with weights: cheap ones often, forks and clones rarely. */
static const struct {
	void (*fn)(struct actor *);
	unsigned weight;
} calls[] = {
	{ call_read, 12 }, { call_write, 12 }, { call_close, 3 }, { call_pipe, 3 },
	{ call_brk, 3 }, { call_mmap2, 8 }, { call_munmap, 6 }, { call_mprotect, 6 },
	{ call_ids, 3 }, { call_nanosleep, 2 }, { call_clock_gettime, 4 },
	{ call_futex, 6 }, { call_affinity, 3 }, { call_set_thread_area, 3 },
	{ call_wait4, 3 }, { call_execve_bad, 2 }, { call_ukva, 2 }, { call_unknown, 2 },
	{ fuzz_segments, 1 }, { fuzz_fork, 1 }, { fuzz_clone, 1 },
};

void fuzz_one(struct actor *a)
{
	static unsigned total;
	uint32_t pick;

	if (total == 0)
		for (int i = 0; i < ARRAY_SIZE(calls); i++)
			total += calls[i].weight;
	pick = rnd_below(a, total);
	for (int i = 0; i < ARRAY_SIZE(calls); i++) {
		if (pick < calls[i].weight) {
			calls[i].fn(a);
			return;
		}
		pick -= calls[i].weight;
	}
}
