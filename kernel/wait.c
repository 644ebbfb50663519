/* Wait queues; see wait.h. */
#include <stddef.h>
#include "kernel/wait.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "mm/mmdebug.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->sleepers);
}

void prepare_to_wait(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w = &current->wait;

	VM_BUG_ON_WINDOW_ADDR(wq, "wait queue");
	VM_BUG_ON_WINDOW_ADDR(w, "wait-queue entry");
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
	if (!w->task)
		return;
	uint32_t flags = spin_lock_irqsave(&wq->lock);
	list_del_init(&w->link);
	w->task = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(struct wait_queue_head *wq)
{
	struct list_head *pos;
	uint32_t flags = spin_lock_irqsave(&wq->lock);

	list_for_each(pos, &wq->sleepers)
		wake_up_process(list_entry(pos, struct wait_queue_entry, link)->task);
	spin_unlock_irqrestore(&wq->lock, flags);
}
