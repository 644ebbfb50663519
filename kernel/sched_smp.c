/*
 * The scheduler across CPUs: where new and moved tasks go, idle CPUs
 * pulling work, and CPU affinity.  Balancing is by pulling: an idle CPU
 * (each tick, or whenever its queue runs dry) takes a queued task from
 * the busiest queue it can lock at once; new tasks start on the least
 * loaded CPU they may use.
 */
#include <stddef.h>
#include "kernel/sched.h"
#include "kernel/sched_internal.h"
#include "kernel/smp.h"
#include "kernel/errno.h"

/* Work waiting on cpu, counting a running non-idle task. */
static unsigned cpu_load(unsigned cpu)
{
	const struct runqueue *rq = cpu_rq(cpu);
	return READ_ONCE(rq->nr_running) + (READ_ONCE(rq->curr) != cpus[cpu].idle);
}

unsigned select_task_cpu(const struct task *t)
{
	unsigned self = this_cpu()->id;
	unsigned best = cpu_allowed(t, self) && cpus[self].online ? self : NR_CPUS;

	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpus[c].online || !cpu_allowed(t, c))
			continue;
		if (best == NR_CPUS || cpu_load(c) < cpu_load(best))
			best = c;
	}
	return best == NR_CPUS ? self : best;
}

/*
 * A busy CPU picks the new work up at its next tick; an idle one is
 * halted, so it gets an IPI now.
 */
void kick_cpu(unsigned cpu)
{
	if (cpu == this_cpu()->id) {
		this_cpu()->need_resched = true;
		return;
	}
	WRITE_ONCE(cpus[cpu].need_resched, true);
	if (READ_ONCE(cpu_rq(cpu)->curr) == cpus[cpu].idle)
		smp_send_reschedule(cpu);
}

void place_task(struct task *t)
{
	unsigned cpu = select_task_cpu(t);
	struct runqueue *rq = cpu_rq(cpu);
	uint32_t flags = spin_lock_irqsave(&rq->lock);

	t->cpu = cpu;
	enqueue(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
	kick_cpu(cpu);
}

/* The first task on rq that may run on cpu, or NULL.  rq->lock held. */
static struct task *find_movable(struct runqueue *rq, unsigned cpu)
{
	struct list_head *pos;

	list_for_each(pos, &rq->queue) {
		struct task *t = list_entry(pos, struct task, run_list);
		if (cpu_allowed(t, cpu))
			return t;
	}
	return NULL;
}

struct task *pull_task(struct runqueue *this_rq)
{
	unsigned self = this_cpu()->id;

	for (unsigned c = 0; c < NR_CPUS; c++) {
		struct runqueue *rq = cpu_rq(c);
		if (c == self || !cpus[c].online || !READ_ONCE(rq->nr_running))
			continue;
		/* Only tried: taking it outright while holding ours could deadlock. */
		if (!spin_trylock(&rq->lock))
			continue;
		struct task *t = find_movable(rq, self);
		if (t) {
			dequeue(rq, t);
			t->cpu = self;
		}
		spin_unlock(&rq->lock);
		if (t)
			return t;
	}
	return NULL;
}

/*
 * Restrict t to mask (which must name an online CPU: else -EINVAL).  A
 * queued task moves at once; a running one moves
 * when it next leaves its CPU (at once if it is the caller: the affinity
 * holds when sched_setaffinity returns, as on Linux); a sleeping one when
 * it wakes.
 */
int sched_set_cpus_allowed(struct task *t, uint32_t mask)
{
	if (!(mask & cpus_online_mask()))
		return -EINVAL;
	uint32_t flags;
	struct runqueue *rq = task_rq_lock(t, &flags);

	t->cpus_allowed = mask;
	unsigned cpu = t->cpu;
	bool queued_elsewhere = !cpu_allowed(t, cpu) && t->on_rq;
	bool running_elsewhere = !cpu_allowed(t, cpu) && rq->curr == t;
	if (queued_elsewhere)
		dequeue(rq, t);
	task_rq_unlock(rq, flags);

	if (queued_elsewhere)
		place_task(t);
	else if (running_elsewhere && t == current)
		schedule();                     /* leaves this CPU for an allowed one */
	else if (running_elsewhere)
		kick_cpu(cpu);
	return 0;
}
