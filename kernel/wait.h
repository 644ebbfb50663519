/*
 * Wait queues: a task sleeps on a queue until a condition it checks holds.
 *
 *     wait_event(wq, cond);            sleep until cond is true
 *     wake_up(wq);                     wake every sleeper to re-check
 *
 * A woken sleeper leaves the queue (the wait_event loops queue it again
 * before each check), so a wake_up costs the sleepers it wakes, once.
 *
 * The sleeper marks itself asleep *before* testing the condition, so a
 * wake-up between the test and schedule() is never lost: it just makes
 * the sleeper runnable again.
 *
 * The queue entry is the task's own (task->wait), never a stack variable:
 * in the per-task address-space mode every kernel stack lives at the same
 * window address, so another task walking the queue would read its own
 * stack instead.  A task waits on one queue at a time.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"
#include <stdbool.h>
#include "kernel/spinlock.h"

struct task;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head sleepers;
};

struct wait_queue_entry {
	struct task *task;
	struct list_head link;
};

void init_waitqueue_head(struct wait_queue_head *wq);
/* Queue the current task on wq (once) and mark it sleeping. */
void prepare_to_wait(struct wait_queue_head *wq);
/* Mark the current task running and take it off wq. */
void finish_wait(struct wait_queue_head *wq);
/* Wake every task sleeping on wq and take it off wq; any context. */
void wake_up(struct wait_queue_head *wq);

void schedule(void);
/* fatal_signal_pending(), which wait_event_killable uses: kernel/task.h. */

#define wait_event(wq, cond)                                            \
	do {                                                            \
		for (;;) {                                              \
			prepare_to_wait(&(wq));                         \
			if (cond)                                       \
				break;                                  \
			schedule();                                     \
		}                                                       \
		finish_wait(&(wq));                                     \
	} while (0)

/*
 * As wait_event, but give up when the process is dying (exit_group from
 * another thread, a fatal signal): evaluates to 0, or -EINTR.  Every wait
 * on behalf of a system call uses this, so a process can always be killed.
 */
#define wait_event_killable(wq, cond)                                   \
	({                                                              \
		int __ret = 0;                                          \
		for (;;) {                                              \
			prepare_to_wait(&(wq));                         \
			if (cond)                                       \
				break;                                  \
			if (fatal_signal_pending()) {                   \
				__ret = -EINTR;                         \
				break;                                  \
			}                                               \
			schedule();                                     \
		}                                                       \
		finish_wait(&(wq));                                     \
		__ret;                                                  \
	})

#endif
