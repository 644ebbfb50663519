/*
 * What the scheduler's files share: the run queues.  Not for anyone else.
 *
 * Rules: a run queue's lock protects its queue and the on_rq and cpu
 * fields of the tasks on it; it is taken with interrupts off.  Two run
 * queue locks are taken in CPU order, or one is only tried (spin_trylock)
 * while the other is held.  A queued task is never in the middle of a
 * switch: its CPU holds the queue's lock across switch_to.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include "kernel/task.h"

struct runqueue {
	spinlock_t lock;
	struct list_head queue;         /* runnable tasks, not the running one */
	unsigned nr_running;            /* tasks on queue */
	struct task *curr;
};

extern struct runqueue runqueues[NR_CPUS];

static inline struct runqueue *cpu_rq(unsigned cpu)
{
	return &runqueues[cpu];
}

static inline bool cpu_allowed(const struct task *t, unsigned cpu)
{
	return t->cpus_allowed & (1u << cpu);
}

/*
 * Lock the run queue t belongs to.  t->cpu can change (another CPU pulls
 * t) until that queue's lock is held, so check again once it is.
 * Returns the queue; *flags is for task_rq_unlock.
 */
static inline struct runqueue *task_rq_lock(struct task *t, uint32_t *flags)
{
	for (;;) {
		struct runqueue *rq = cpu_rq(READ_ONCE(t->cpu));
		*flags = spin_lock_irqsave(&rq->lock);
		if (rq == cpu_rq(t->cpu))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

static inline void task_rq_unlock(struct runqueue *rq, uint32_t flags)
{
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Put t at the tail of rq / take it off.  rq->lock held. */
void enqueue(struct runqueue *rq, struct task *t);
void dequeue(struct runqueue *rq, struct task *t);

/* sched_smp.c */
/* The online CPU t may use with the least work queued (ties: this CPU). */
unsigned select_task_cpu(const struct task *t);
/* Make a runnable task that is on no queue and not running queue on a CPU it may use. */
void place_task(struct task *t);
/* Take a queued task this CPU may run from a busier CPU; this_rq->lock held. */
struct task *pull_task(struct runqueue *this_rq);
/* Ask cpu to reschedule: a flag here, an IPI to another CPU. */
void kick_cpu(unsigned cpu);

#endif
