/*
 * A picture of the scheduler for post-mortems: every task with its state
 * and CPU, every CPU's run queue.  Printed when an NMI of unknown reason
 * arrives, which the test harness sends to a machine that hangs (QEMU's
 * monitor command "nmi"), like Linux's sysrq-t.  It reads without taking
 * the scheduler's locks (a hung machine may hold them): the picture can
 * be slightly inconsistent, never deadlocked.
 */
#include "kernel/sched.h"
#include "kernel/sched_internal.h"
#include "kernel/printk.h"

static const char *state_name(enum task_state s)
{
	switch (s) {
	case TASK_RUNNING:  return "running";
	case TASK_SLEEPING: return "sleeping";
	case TASK_ZOMBIE:   return "zombie";
	case TASK_DEAD:     return "dead";
	}
	return "?";
}

void sched_show_state(void)
{
	static int shown;
	struct list_head *pos;

	/* Every CPU takes the NMI; one picture is enough. */
	if (__atomic_exchange_n(&shown, 1, __ATOMIC_ACQ_REL))
		return;
	pr_emerg("sched: state at NMI, seen from CPU %u (jiffies %llu)\n", this_cpu()->id, jiffies);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpus[c].online)
			continue;
		const struct runqueue *rq = cpu_rq(c);
		pr_emerg("sched:  cpu %u: running %s (tid %d), %u queued, need_resched %d, preempt %d\n",
			 c, rq->curr ? rq->curr->comm : "?", rq->curr ? rq->curr->tid : -1,
			 rq->nr_running, cpus[c].need_resched, cpus[c].preempt_count);
	}
	list_for_each(pos, &init_task.all_list) {
		const struct task *t = list_entry(pos, struct task, all_list);
		pr_emerg("sched:  tid %d %s: %s on cpu %u%s, allowed 0x%x\n", t->tid, t->comm,
			 state_name(t->state), t->cpu, t->on_rq ? " (queued)" : "", t->cpus_allowed);
	}
}
