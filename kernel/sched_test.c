/*
 * Scheduler tests with kernel threads: creation and reaping without leaks,
 * strict alternation through yield, preemption of a thread that never
 * yields, wait queues, and timed sleeps.
 */
#include "kernel/ktest.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "mm/page_alloc.h"

static int return_arg(void *arg)
{
	return (int)(uintptr_t)arg;
}

static void kthreads_run_and_are_reaped(struct ktest *t)
{
	unsigned long frames = nr_free_pages(), tasks = nr_tasks_allocated();
	struct task *th[8];

	for (int i = 0; i < 8; i++) {
		th[i] = kthread_create(return_arg, (void *)(uintptr_t)(100 + i), "ret");
		KTEST_ASSERT(t, th[i]);
	}
	for (int i = 0; i < 8; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 100 + i);
	KTEST_EXPECT_EQ(t, nr_tasks_allocated(), tasks);
	KTEST_EXPECT_EQ(t, nr_free_pages(), frames);
}

struct pingpong {
	volatile int turn;
	int rounds;
	int trace[64];
	volatile int pos;
};

static int pingpong_player(void *arg, int me)
{
	struct pingpong *p = arg;

	for (int i = 0; i < p->rounds; i++) {
		while (p->turn != me)
			sched_yield();
		p->trace[p->pos++] = me;
		p->turn = !me;
	}
	return 0;
}

static int player0(void *arg) { return pingpong_player(arg, 0); }
static int player1(void *arg) { return pingpong_player(arg, 1); }

static void yield_alternates_two_threads(struct ktest *t)
{
	static struct pingpong p;
	p = (struct pingpong){ .rounds = 32 };

	struct task *a = kthread_create(player0, &p, "ping");
	struct task *b = kthread_create(player1, &p, "pong");
	KTEST_ASSERT(t, a && b);
	kthread_join(a);
	kthread_join(b);
	KTEST_EXPECT_EQ(t, p.pos, 64);
	for (int i = 0; i < 64; i++)
		KTEST_EXPECT_EQ(t, p.trace[i], i & 1);
}

static volatile int spinner_saw_other;
static volatile int other_ran;

/* Never yields: only the timer can take the CPU away from it. */
static int spinner(void *arg)
{
	unsigned long long give_up = jiffies + 10 * HZ;

	while (!other_ran && jiffies < give_up)
		;
	spinner_saw_other = other_ran;
	return 0;
}

static int mark_ran(void *arg)
{
	other_ran = 1;
	return 0;
}

static void timer_preempts_a_spinning_thread(struct ktest *t)
{
	spinner_saw_other = other_ran = 0;
	struct task *s = kthread_create(spinner, NULL, "spin");
	struct task *m = kthread_create(mark_ran, NULL, "mark");
	KTEST_ASSERT(t, s && m);
	kthread_join(s);
	kthread_join(m);
	KTEST_EXPECT(t, spinner_saw_other);
}

struct channel {
	struct wait_queue_head wq;
	volatile int value;
	volatile bool full;
};

static int producer(void *arg)
{
	struct channel *c = arg;

	for (int i = 1; i <= 20; i++) {
		wait_event(c->wq, !c->full);
		c->value = i;
		c->full = true;
		wake_up(&c->wq);
	}
	return 0;
}

static void wait_queue_hands_over_values(struct ktest *t)
{
	static struct channel c;
	c = (struct channel){ 0 };
	init_waitqueue_head(&c.wq);

	struct task *p = kthread_create(producer, &c, "producer");
	KTEST_ASSERT(t, p);
	int sum = 0;
	for (int i = 1; i <= 20; i++) {
		wait_event(c.wq, c.full);
		KTEST_EXPECT_EQ(t, c.value, i);
		sum += c.value;
		c.full = false;
		wake_up(&c.wq);
	}
	kthread_join(p);
	KTEST_EXPECT_EQ(t, sum, 210);
}

static void sleep_lasts_at_least_its_ticks(struct ktest *t)
{
	unsigned long long start = jiffies;

	schedule_timeout(5);
	KTEST_EXPECT(t, jiffies - start >= 5);
}

static volatile bool preempted_came_back;

/* Preempted right after saying it will sleep, before arming any wake-up. */
static int preempted_while_going_to_sleep(void *unused)
{
	current->state = TASK_SLEEPING;
	this_cpu()->need_resched = true;
	preempt_disable();
	preempt_enable();                       /* the preemption point */
	current->state = TASK_RUNNING;
	preempted_came_back = true;
	return 0;
}

/*
 * Preemption is not sleep: a task preempted in TASK_SLEEPING stays on its
 * run queue (else nothing it has yet to arm could ever wake it).
 */
static void preemption_keeps_a_sleeping_task_queued(struct ktest *t)
{
	preempted_came_back = false;
	struct task *th = kthread_create(preempted_while_going_to_sleep, NULL, "preempted");
	KTEST_ASSERT(t, th);
	for (int i = 0; i < 20 && !preempted_came_back; i++)
		schedule_timeout(1);
	bool came_back = preempted_came_back;
	if (!came_back)
		wake_up_process(th);            /* lost: release it so it can be joined */
	kthread_join(th);
	KTEST_EXPECT(t, came_back);
}

KTEST_SUITE(sched,
	KTEST_CASE(kthreads_run_and_are_reaped),
	KTEST_CASE(yield_alternates_two_threads),
	KTEST_CASE(timer_preempts_a_spinning_thread),
	KTEST_CASE(wait_queue_hands_over_values),
	KTEST_CASE(sleep_lasts_at_least_its_ticks),
	KTEST_CASE(preemption_keeps_a_sleeping_task_queued));
