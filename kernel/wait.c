/* Wait queues; see wait.h. */
#include <stddef.h>
#include "kernel/wait.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/compiler.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->sleepers);
}

void prepare_to_wait(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w = &current->wait;
	uint32_t flags = spin_lock_irqsave(&wq->lock);

	if (!w->task) {
		w->task = current;
		list_add_tail(&w->link, &wq->sleepers);
	}
	current->state = TASK_SLEEPING;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w = &current->wait;

	current->state = TASK_RUNNING;
	if (!READ_ONCE(w->task))
		return;                 /* a wake_up took us off already */
	uint32_t flags = spin_lock_irqsave(&wq->lock);
	list_del_init(&w->link);
	w->task = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

/*
 * Each sleeper woken also leaves the queue (Linux's autoremove): a queue
 * with many sleepers woken at once (a pipe closed under thousands of
 * readers) is walked once, not again by every later wake_up before each
 * of them has run.  A sleeper that still has to wait queues itself again.
 */
void wake_up(struct wait_queue_head *wq)
{
	uint32_t flags = spin_lock_irqsave(&wq->lock);

	while (!list_empty(&wq->sleepers)) {
		struct wait_queue_entry *w =
			list_first_entry(&wq->sleepers, struct wait_queue_entry, link);
		struct task *t = w->task;
		list_del_init(&w->link);
		WRITE_ONCE(w->task, NULL);
		wake_up_process(t);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}
