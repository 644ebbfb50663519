/*
 * The scheduler core: per-CPU run queues, round robin, context switches.
 *
 * A run queue's lock is held across the switch itself: the task switched
 * to releases it in finish_task_switch(), on behalf of the one switched
 * from.  So at any moment exactly one CPU decides what runs from a queue.
 */
#include "kernel/sched.h"
#include "kernel/task.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "arch/i386/cpu.h"
#include "arch/i386/smp.h"
#include "arch/i386/tss.h"
#include "arch/i386/tls.h"
#include "arch/i386/tlb.h"
#include "kernel/counters.h"
#include "kernel/smp.h"

struct runqueue {
	spinlock_t lock;
	struct list_head queue;         /* runnable tasks, not the running one */
	unsigned nr_running;
	struct task *curr;
};

static struct runqueue runqueues[NR_CPUS];

struct task *switch_to(struct task *prev, struct task *next, uint32_t cr3);
void schedule_tail(struct task *prev);

static struct runqueue *cpu_rq(unsigned cpu)
{
	return &runqueues[cpu];
}

void sched_init(void)
{
	for (unsigned i = 0; i < NR_CPUS; i++) {
		spin_lock_init(&runqueues[i].lock);
		INIT_LIST_HEAD(&runqueues[i].queue);
	}
	cpu_rq(this_cpu()->id)->curr = current;
	this_cpu()->idle = current;
	this_cpu()->loaded_cr3 = read_cr3();
	init_task.cr3 = this_cpu()->loaded_cr3;
}

void sched_init_ap(struct task *idle)
{
	struct cpu *cpu = this_cpu();

	cpu->idle = idle;
	cpu->current_task = idle;
	cpu->loaded_cr3 = read_cr3();
	idle->cr3 = cpu->loaded_cr3;
	idle->cpu = cpu->id;
	cpu_rq(cpu->id)->curr = idle;
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
}

/* Make cpu reschedule: at its next interrupt exit, which an IPI brings now if it is another CPU. */
static void resched_cpu(unsigned cpu)
{
	cpus[cpu].need_resched = true;
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
}

static void enqueue(struct runqueue *rq, struct task *t)
{
	list_add_tail(&t->run_list, &rq->queue);
	t->on_rq = true;
	rq->nr_running++;
}

static struct task *pick_next(struct runqueue *rq)
{
	if (list_empty(&rq->queue))
		return this_cpu()->idle;
	struct task *t = list_first_entry(&rq->queue, struct task, run_list);
	list_del_init(&t->run_list);
	t->on_rq = false;
	rq->nr_running--;
	return t;
}

/*
 * t->cpu changes only while t is runnable and on no CPU and no queue
 * (finish_task_switch moving it), and never back to a CPU whose queue
 * lock we hold.  So a sleeping state read under rq's lock belongs to that
 * CPU if t->cpu, read after it, still names rq's CPU (x86 keeps loads in
 * order, and the mover stores cpu before t can run and sleep elsewhere).
 */
bool wake_up_process(struct task *t)
{
	struct runqueue *rq;
	uint32_t flags;
	bool was_asleep;

	for (;;) {
		unsigned cpu = READ_ONCE(t->cpu);
		rq = cpu_rq(cpu);
		flags = spin_lock_irqsave(&rq->lock);
		was_asleep = t->state == TASK_SLEEPING;
		barrier();
		if (READ_ONCE(t->cpu) == cpu)
			break;
		spin_unlock_irqrestore(&rq->lock, flags);
	}
	if (was_asleep) {
		t->state = TASK_RUNNING;
		/* A task still on its CPU (between prepare_to_wait and schedule) is not queued. */
		if (!t->on_rq && rq->curr != t)
			enqueue(rq, t);
		if (rq->curr == cpus[t->cpu].idle)
			resched_cpu(t->cpu);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return was_asleep;
}

void sched_start_task(struct task *t)
{
	struct runqueue *rq = cpu_rq(t->cpu);
	uint32_t flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_RUNNING;
	enqueue(rq, t);
	if (rq->curr == cpus[t->cpu].idle)
		resched_cpu(t->cpu);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* May t run on cpu? */
static bool cpu_allowed(const struct task *t, unsigned cpu)
{
	return t->cpus_allowed & (1u << cpu);
}

/*
 * Queue t, runnable but on no run queue and no CPU, on the first online
 * CPU it may run on.  No run-queue lock held.
 */
static void enqueue_on_allowed_cpu(struct task *t)
{
	unsigned cpu = (unsigned)__builtin_ctz(t->cpus_allowed & cpus_online_mask());
	struct runqueue *rq = cpu_rq(cpu);
	uint32_t flags = spin_lock_irqsave(&rq->lock);

	t->cpu = cpu;
	enqueue(rq, t);
	if (rq->curr == cpus[cpu].idle)
		resched_cpu(cpu);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/*
 * Runs first in the task switched to, with the run-queue lock still held
 * by the switch: release it, move prev to another CPU if schedule() left
 * it runnable but unqueued (its affinity excludes this CPU: now that its
 * stack is no longer in use here, another CPU may run it), and drop the
 * running reference of a task that will never run again.
 */
static void finish_task_switch(struct runqueue *rq, struct task *prev)
{
	enum task_state prev_state = prev->state;
	bool queued = prev->on_rq;              /* preempted: it runs again, whatever its state */
	bool move = prev_state == TASK_RUNNING && !queued && prev != this_cpu()->idle;

	spin_unlock(&rq->lock);
	if (move)
		enqueue_on_allowed_cpu(prev);
	if ((prev_state == TASK_ZOMBIE || prev_state == TASK_DEAD) && !queued)
		put_task(prev);
}

/* The first thing a new task does (from switch.S): finish the switch, enable interrupts. */
void schedule_tail(struct task *prev)
{
	finish_task_switch(cpu_rq(this_cpu()->id), prev);
	local_irq_enable();
}

uint32_t cpus_online_mask(void)
{
	uint32_t mask = 0;

	for (unsigned i = 0; i < NR_CPUS; i++)
		if (cpus[i].online)
			mask |= 1u << i;
	return mask;
}

/*
 * Only the current task can move so far: schedule() leaves it off this
 * CPU's queue and finish_task_switch queues it where it may run.  Moving
 * another task safely needs wake_up_process to follow a changing t->cpu:
 * that arrives with migration and load balancing.
 */
int sched_set_cpus_allowed(struct task *t, uint32_t mask)
{
	if (!(mask & cpus_online_mask()))
		return -EINVAL;
	if (t != current) {
		struct runqueue *rq = cpu_rq(t->cpu);
		uint32_t flags = spin_lock_irqsave(&rq->lock);
		bool stays = mask & (1u << t->cpu);
		if (stays)
			t->cpus_allowed = mask;
		spin_unlock_irqrestore(&rq->lock, flags);
		return stays ? 0 : -EINVAL;
	}
	t->cpus_allowed = mask;
	if (!cpu_allowed(t, smp_processor_id()))
		schedule();
	return 0;
}

uint32_t current_kernel_stack_top(void)
{
	return current->thread.esp0;
}

void task_load_pgd(struct task *t, uint32_t phys)
{
	uint32_t flags = local_irq_save();
	struct cpu *cpu = this_cpu();

	t->cr3 = phys;
	if (cpu->loaded_cr3 != phys) {
		cpu->loaded_cr3 = phys;
		load_cr3(phys);
	}
	local_irq_restore(flags);
}

/*
 * Switch to next with the run-queue lock held and interrupts off.  CR3 is
 * written only when next runs on another PGD than the one loaded here.
 */
static void context_switch(struct runqueue *rq, struct task *prev, struct task *next)
{
	struct cpu *cpu = this_cpu();
	uint32_t cr3 = 0;

	rq->curr = next;
	cpu->current_task = next;
	if (prev->mm && next->mm)
		count_event_cpu(prev->mm == next->mm ? CNT_SWITCH_SAME_MM : CNT_SWITCH_CROSS_MM);
	if (next->cr3 != cpu->loaded_cr3) {
		cr3 = next->cr3;
		cpu->loaded_cr3 = cr3;
		count_event_cpu(CNT_CR3_WRITE);   /* switch_to does the write */
	}
	tss_set_kernel_stack(next->thread.esp0);
	tls_load(next);
	struct task *last = switch_to(prev, next, cr3);
	/* Now running as prev again, resumed by some later switch. */
	finish_task_switch(cpu_rq(this_cpu()->id), last);
}

/*
 * Pick the next task and switch to it.  preempt: an involuntary switch
 * (kernel preemption), after which prev stays queued whatever its state,
 * as in Linux: a task preempted between setting TASK_SLEEPING and calling
 * schedule() may not have armed what will wake it yet (futex_wait arms
 * its timer after), so sleeping it here could lose it for good.
 */
static void __schedule(bool preempt)
{
	uint32_t flags = local_irq_save();
	struct cpu *cpu = this_cpu();

	if (cpu->preempt_count != 0)
		panic("scheduling while atomic: preempt_count %d in %s",
		      cpu->preempt_count, current->comm);
	struct runqueue *rq = cpu_rq(cpu->id);
	spin_lock(&rq->lock);
	struct task *prev = current;
	cpu->need_resched = false;
	if ((prev->state == TASK_RUNNING || preempt) && prev != cpu->idle &&
	    cpu_allowed(prev, cpu->id))
		enqueue(rq, prev);
	prev->ticks_left = SCHED_SLICE_TICKS;
	struct task *next = pick_next(rq);
	if (next == prev) {
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	context_switch(rq, prev, next);
	local_irq_restore(flags);
}

void schedule(void)
{
	__schedule(false);
}

void sched_yield(void)
{
	schedule();
}

void sched_tick(void)
{
	struct task *t = current;

	if (t == this_cpu()->idle || --t->ticks_left == 0)
		this_cpu()->need_resched = true;
}

/* this_cpu() is read afresh: schedule() may return on another CPU. */
void preempt_schedule_irq(void)
{
	while (this_cpu()->need_resched && this_cpu()->preempt_count == 0) {
		__schedule(true);
		local_irq_disable();
	}
}

void preempt_enable(void)
{
	preempt_enable_no_resched();
	/* Preemptible from here: the task may already run on another CPU. */
	struct cpu *cpu = this_cpu();
	if (cpu->preempt_count == 0 && cpu->need_resched && (read_eflags() & EFLAGS_IF))
		__schedule(true);
}

void cpu_idle(void)
{
	for (;;) {
		/* sti; hlt is atomic: an interrupt cannot slip in between. */
		__asm__ volatile("sti; hlt" ::: "memory");
		if (this_cpu()->need_resched)
			schedule();
	}
}
