/*
 * capacity: how many tasks fit before the kernel says no, and what
 * running out looks like.  Boot it with init=/bin/capacity mm=MODE.
 *
 * Two phases: threads until clone fails, created by child processes of
 * HOST_THREADS threads each (the same in every mode: per-mm bounds the
 * threads of one mm), then child processes until fork fails.  The tasks
 * (cap_tasks.S) touch no user
 * memory, so what they consume is what the kernel spends on a task.  Each
 * phase reports (BENCH lines, as ukva_bench):
 *   capacity_threads / capacity_processes: the count, the errno that
 *     stopped it, free lowmem and highmem at the start, at the peak and
 *     after every task exited, lowmem and highmem per task, lowmem per
 *     task by category (low_*), and what did not come back;
 *   capacity_threads_curve / ..._processes_curve: about CURVE_POINTS
 *     (tasks, lowmem in use) pairs to draw the curve from.
 * Then KTAP checks that running out was boring: the errno is ENOMEM or
 * EAGAIN, every frame and task came back, fork and clone work again, and
 * mmap and brk say no as Linux does when the address space runs out.
 * Exit status 0 when every check passed (make test boots it on small
 * machines, make bench on big ones: docs/benchmarks.md).
 *
 * A phase also stops, with no errno, once it has consumed its budget of
 * frames (THREAD_BUDGET, PROCESS_BUDGET): a 64 GiB guest is backed lazily
 * by a host with less RAM.
 */
#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "futex.h"
#include "ktap.h"
#include "measure.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"
#include "ukva.h"

#define THREAD_FLAGS    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_THREAD | CLONE_SYSVSEM)

/*
 * Frames the thread phase may consume, and the process phase (which
 * reuses the frames the threads gave back): with the guest's boot and its
 * lowmem, a 64 GiB guest then touches about 11 GiB of its host's RAM
 * (docs/benchmarks.md, "Capacity").
 */
#define THREAD_BUDGET   ((10ull << 30) / PAGE_SIZE)
#define PROCESS_BUDGET  ((3ull << 30) / PAGE_SIZE)
#define HOST_THREADS    1024    /* threads per process: fewer than per-mm's stack slots */
#define CURVE_MAX       1024                            /* points kept while running */
#define CURVE_POINTS    32                              /* points printed */
#define SETTLE_NS       (10ull * 1000000000u)           /* for the last tasks to be freed */

long cap_clone_thread(unsigned long flags, void *stack);
long cap_fork(void);
/* Read by the tasks of cap_tasks.S. */
int cap_release;
int cap_hold[2];
char cap_byte;

/* The stack pointer every thread starts with; no thread ever uses it. */
static char unused_stack[64] __attribute__((aligned(16)));

struct point {
	unsigned tasks;
	uint32_t lowmem_used;           /* bytes of lowmem in use */
};

struct phase {
	const char *name;               /* "threads" */
	uint64_t budget;                /* frames it may consume */
	unsigned count;
	long err;                       /* what stopped it; 0: the frame budget */
	unsigned next_sample, step;
	struct ukva_meminfo base;       /* before the phase made anything (a pipe) */
	struct ukva_meminfo start, peak, after;
	struct point curve[CURVE_MAX];
	unsigned npoints;
};

static struct phase threads = { .name = "threads", .budget = THREAD_BUDGET };
static struct phase procs = { .name = "processes", .budget = PROCESS_BUDGET };

/* A thread host says how many threads it made, and why it stopped. */
struct host_report {
	int32_t count;
	int32_t err;
};
static int host_res[2];                 /* hosts write their reports here */
static unsigned nhosts;

static void meminfo(struct ukva_meminfo *mi)
{
	sys_ukva_meminfo(mi);
}

/* Records a curve point every step tasks, halving the points kept when
 * full; false when the phase has used its frame budget. */
static bool sample(struct phase *p)
{
	struct ukva_meminfo mi;

	if (p->count < p->next_sample)
		return true;
	p->next_sample += p->step;
	meminfo(&mi);
	if (p->npoints == CURVE_MAX) {
		for (unsigned i = 0; i < CURVE_MAX / 2; i++)
			p->curve[i] = p->curve[2 * i + 1];
		p->npoints = CURVE_MAX / 2;
		p->step *= 2;
	}
	p->curve[p->npoints++] = (struct point){ p->count, mi.lowmem_bytes[LOWMEM_IN_USE] };
	return (uint64_t)p->start.free_pages - mi.free_pages < p->budget;
}

/* Runs create (which makes some tasks, or says why not in *err) until it
 * fails or the budget is spent; the peak is read with every task alive. */
static void fill(struct phase *p, unsigned (*create)(long *err))
{
	p->count = p->npoints = 0;
	p->step = p->next_sample = 64;
	p->err = 0;
	meminfo(&p->start);
	while (p->err == 0) {
		p->count += create(&p->err);
		if (!sample(p))
			break;
	}
	meminfo(&p->peak);
}

/* Waits until the kernel has freed every task (and, with frames, every
 * frame) the phase took: a thread's stack goes with its last switch,
 * maybe a little after. */
static void settle_tasks(struct phase *p, bool frames)
{
	const struct timespec ms = { 0, 1000000 };
	uint64_t deadline = now_ns() + SETTLE_NS;

	do {
		meminfo(&p->after);
		if (p->after.tasks == p->base.tasks &&
		    (!frames || p->after.free_pages == p->base.free_pages))
			return;
		sys_nanosleep(&ms, NULL);
	} while (now_ns() < deadline);
}

static void settle(struct phase *p)
{
	settle_tasks(p, true);
}

static long new_thread(void)
{
	return cap_clone_thread(THREAD_FLAGS, unused_stack + sizeof(unused_stack));
}

/* Reads n bytes from fd (pipe reads may come short); 0 or -errno. */
static long read_n(int fd, void *buf, unsigned n)
{
	char *p = buf;

	while (n > 0) {
		long r = sys_read(fd, p, n);

		if (r <= 0)
			return r < 0 ? r : -EPIPE;
		p += r;
		n -= (unsigned)r;
	}
	return 0;
}

/* A thread host (a forked child): up to HOST_THREADS sleeping threads,
 * a report, then asleep until cap_hold's end of file, when it exits and
 * its threads with it (exit_group). */
static _Noreturn void host_main(void)
{
	struct host_report rep = { 0, 0 };
	char c;

	sys_close(cap_hold[1]);
	sys_close(host_res[0]);
	while (rep.count < HOST_THREADS) {
		long r = new_thread();

		if (r < 0) {
			rep.err = (int32_t)r;
			break;
		}
		rep.count++;
	}
	sys_write(host_res[1], &rep, sizeof(rep));
	while (sys_read(cap_hold[0], &c, 1) > 0)
		;
	sys_exit_group(0);
}

/* One more host; returns the threads it made. */
static unsigned new_host(long *err)
{
	struct host_report rep;
	long pid = sys_fork();

	if (pid == 0)
		host_main();
	if (pid < 0) {
		*err = pid;
		return 0;
	}
	nhosts++;
	*err = read_n(host_res[0], &rep, sizeof(rep));
	if (*err == 0)
		*err = rep.err;
	return *err == -EPIPE ? 0 : (unsigned)rep.count;
}

/* One more sleeping child process. */
static unsigned new_process(long *err)
{
	long pid = cap_fork();

	*err = pid < 0 ? pid : 0;
	return pid > 0;
}

/* Threads, in processes of HOST_THREADS (the same in every mode: per-mm
 * bounds the threads of one mm by its window's stack slots).  The hosts
 * inherit both ends of cap_hold; each closes the write end, so our close
 * is the last and they all see end of file. */
static void run_threads(void)
{
	meminfo(&threads.base);
	if (sys_pipe(cap_hold) < 0 || sys_pipe(host_res) < 0) {
		threads.err = -EMFILE;
		return;
	}
	cap_release = 0;
	fill(&threads, new_host);
	sys_close(cap_hold[1]);
	for (unsigned i = 0; i < nhosts; i++)
		sys_wait4(-1, NULL, 0, NULL);
	sys_close(cap_hold[0]);
	sys_close(host_res[0]);
	sys_close(host_res[1]);
	settle(&threads);
}

/* Child processes, each asleep reading cap_hold (see run_threads). */
static void run_processes(void)
{
	meminfo(&procs.base);
	if (sys_pipe(cap_hold) < 0) {
		procs.err = -EMFILE;
		return;
	}
	fill(&procs, new_process);
	sys_close(cap_hold[1]);
	for (unsigned i = 0; i < procs.count; i++)
		sys_wait4(-1, NULL, 0, NULL);
	sys_close(cap_hold[0]);
	settle(&procs);
}

static const char *stop_reason(long err)
{
	switch (err) {
	case 0: return "budget";
	case -ENOMEM: return "ENOMEM";
	case -EAGAIN: return "EAGAIN";
	default: return "other";
	}
}

static long long kib(uint32_t pages)
{
	return (long long)pages * (PAGE_SIZE / 1024);
}

static void report_phase(const struct phase *p)
{
	struct report r;
	char metric[48];
	unsigned n = p->count ? p->count : 1;
	long long low = (long long)p->start.free_lowmem_pages - p->peak.free_lowmem_pages;
	long long high = (long long)p->start.free_highmem_pages - p->peak.free_highmem_pages;

	snprintf(metric, sizeof(metric), "capacity_%s", p->name);
	report_begin(&r, metric, p->name);
	report_int(&r, "count", p->count);
	report_str(&r, "stopped", stop_reason(p->err));
	report_int(&r, "errno", -p->err);
	report_int(&r, "lowmem_per_task", low * PAGE_SIZE / n);
	report_int(&r, "highmem_per_task", high * PAGE_SIZE / n);
	/* How many would fit in the lowmem free at the start, at this cost. */
	report_int(&r, "lowmem_fit", low ? (long long)p->start.free_lowmem_pages * p->count / low : 0);
	report_json_int(&r, "lowmem_free_start_kib", kib(p->start.free_lowmem_pages));
	report_json_int(&r, "lowmem_free_peak_kib", kib(p->peak.free_lowmem_pages));
	report_json_int(&r, "lowmem_free_after_kib", kib(p->after.free_lowmem_pages));
	report_json_int(&r, "highmem_free_start_kib", kib(p->start.free_highmem_pages));
	report_json_int(&r, "highmem_free_peak_kib", kib(p->peak.free_highmem_pages));
	report_json_int(&r, "highmem_free_after_kib", kib(p->after.free_highmem_pages));
	report_int(&r, "pages_not_returned", (long long)p->base.free_pages - p->after.free_pages);
	report_int(&r, "tasks_not_freed", (long long)p->after.tasks - p->base.tasks);
	report_lowmem_split(&r, n, &p->start, &p->peak);
	report_end(&r);
}

/* CURVE_POINTS evenly spaced points of the curve, and the peak. */
static void report_curve(const struct phase *p)
{
	unsigned stride = p->npoints > CURVE_POINTS ? p->npoints / CURVE_POINTS : 1;

	for (unsigned i = 0; i < p->npoints; i += stride)
		printf("BENCH {\"metric\":\"capacity_%s_curve\",\"tasks\":%u,\"lowmem_used_kib\":%u}\n",
		       p->name, p->curve[i].tasks, p->curve[i].lowmem_used >> 10);
	printf("BENCH {\"metric\":\"capacity_%s_curve\",\"tasks\":%u,\"lowmem_used_kib\":%u}\n",
	       p->name, p->count, p->peak.lowmem_bytes[LOWMEM_IN_USE] >> 10);
}

/* A phase was refused as Linux refuses (or stopped by the budget). */
static void check_refused(const struct phase *p)
{
	ktap_diag("%s: %u before %s", p->name, p->count, stop_reason(p->err));
	if (p->err == 0) {
		ktap_skip("the frame budget stopped it first");
		return;
	}
	EXPECT(p->count > 0);
	EXPECT(p->err == -ENOMEM || p->err == -EAGAIN);
}

/* Every frame and task a phase took came back. */
static void check_back(const struct phase *p)
{
	EXPECT_EQ(p->after.free_pages, p->base.free_pages);
	EXPECT_EQ(p->after.tasks, p->base.tasks);
}

static void threads_refused(void) { check_refused(&threads); }
static void threads_all_back(void) { check_back(&threads); }
static void processes_refused(void) { check_refused(&procs); }
static void processes_all_back(void) { check_back(&procs); }

/* After running out, fork works again. */
static void fork_works_again(void)
{
	int status = -1;
	long pid = sys_fork();

	if (pid == 0)
		sys_exit(7);
	EXPECT(pid > 0);
	EXPECT_EQ(sys_wait4((int)pid, &status, 0, NULL), pid);
	EXPECT_EQ(status, 7 << 8);
}

/* ... and so does clone.  (A first thread, not counted, makes what stays
 * with the mm: in per-mm mode, the page table of its stack slots.) */
static void clone_works_again(void)
{
	struct ukva_meminfo before;

	for (int round = 0; round < 2; round++) {
		meminfo(&before);
		cap_release = 0;
		EXPECT(new_thread() > 0);
		__atomic_store_n(&cap_release, 1, __ATOMIC_RELEASE);
		futex_wake(&cap_release, 1);
		threads.base = before;
		settle_tasks(&threads, round == 1);
	}
	check_back(&threads);
}

/* mmap until the address space is full: ENOMEM, as Linux; then all back. */
static void mmap_enomem_when_full(void)
{
	enum { CHUNK = 64 << 20, MAX_CHUNKS = 64 };
	long addrs[MAX_CHUNKS], r = 0;
	int n = 0;

	while (n < MAX_CHUNKS) {
		r = sys_mmap2(NULL, CHUNK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (is_err(r))
			break;
		addrs[n++] = r;
	}
	for (int i = 0; i < n; i++)
		EXPECT_EQ(sys_munmap((void *)addrs[i], CHUNK), 0);
	EXPECT(n > 0 && n < MAX_CHUNKS);
	EXPECT_EQ(r, -ENOMEM);
}

/* brk past the user address space leaves the break where it was. */
static void brk_stays_past_the_end(void)
{
	long cur = sys_brk(NULL);

	EXPECT_EQ(sys_brk((void *)0xF0000000u), cur);
	EXPECT_EQ(sys_brk(NULL), cur);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(threads_refused),
	KTAP_CASE(threads_all_back),
	KTAP_CASE(processes_refused),
	KTAP_CASE(processes_all_back),
	KTAP_CASE(fork_works_again),
	KTAP_CASE(clone_works_again),
	KTAP_CASE(mmap_enomem_when_full),
	KTAP_CASE(brk_stays_past_the_end),
};

int main(void)
{
	struct ukva_meminfo mi;

	if (!bench_detect(&mi)) {
		/* On Linux, running the host out of tasks is not ours to do. */
		report_skip("capacity_threads", "threads", "needs ukva_meminfo");
		return 0;
	}
	memset(threads.curve, 0, sizeof(threads.curve));       /* touched before counting */
	memset(procs.curve, 0, sizeof(procs.curve));
	run_threads();
	report_phase(&threads);
	report_curve(&threads);
	run_processes();
	report_phase(&procs);
	report_curve(&procs);
	return ktap_run("capacity", cases, ARRAY_SIZE(cases));
}
