/* Kernel timers: a list sorted by expiry, checked on every tick. */
#include <stddef.h>
#include "kernel/timer.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "kernel/spinlock.h"
#include "kernel/compiler.h"

volatile unsigned long long jiffies;

static spinlock_t timer_lock = SPINLOCK_INIT;
static struct list_head timer_list = LIST_HEAD_INIT(timer_list);

void add_timer(struct timer *t)
{
	struct list_head *pos;
	uint32_t flags = spin_lock_irqsave(&timer_lock);

	list_for_each(pos, &timer_list)
		if (list_entry(pos, struct timer, link)->expires > t->expires)
			break;
	list_add_tail(&t->link, pos);   /* before the first later timer */
	t->pending = true;
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool del_timer(struct timer *t)
{
	uint32_t flags = spin_lock_irqsave(&timer_lock);
	bool was_pending = t->pending;

	if (was_pending) {
		list_del_init(&t->link);
		t->pending = false;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

/* Take the earliest timer if it is due; NULL otherwise. */
static struct timer *pop_expired(void)
{
	struct timer *t = NULL;
	uint32_t flags = spin_lock_irqsave(&timer_lock);

	if (!list_empty(&timer_list)) {
		t = list_first_entry(&timer_list, struct timer, link);
		if (t->expires <= jiffies) {
			list_del_init(&t->link);
			t->pending = false;
		} else {
			t = NULL;
		}
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return t;
}

void timer_tick(void)
{
	jiffies++;
	for (struct timer *t; (t = pop_expired());)
		t->fn(t->data);
}

static void wake_sleeper(void *task)
{
	wake_up_process(task);
}

/*
 * Sleep until the timer fires; other wake-ups just put us back to sleep.
 * The timer is the task's own, not a stack variable (see wait.h).
 */
void schedule_timeout(unsigned long ticks)
{
	struct timer *t = &current->sleep_timer;

	*t = (struct timer){ .expires = jiffies + ticks, .fn = wake_sleeper, .data = current };
	add_timer(t);
	for (;;) {
		current->state = TASK_SLEEPING;
		/* A dying process stops sleeping at once (exit_group, Linux's SIGKILL). */
		if (!READ_ONCE(t->pending) || fatal_signal_pending())
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
	del_timer(t);
}
