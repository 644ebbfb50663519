/*
 * The scheduler core: per-CPU run queues, round robin, context switches.
 *
 * A run queue's lock is held across the switch itself: the task switched
 * to releases it in finish_task_switch(), on behalf of the one switched
 * from.  So at any moment exactly one CPU decides what runs from a queue.
 */
#include "kernel/sched.h"
#include "numa/ktext.h"
#include "kernel/task.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "arch/i386/cpu.h"
#include "arch/i386/tss.h"
#include "arch/i386/tls.h"
#include "arch/i386/fpu.h"
#include "arch/i386/switch.h"
#include "arch/i386/tlb.h"
#include "kernel/counters.h"
#include "kernel/sched_internal.h"
#include "mm/tlbflush.h"
#include "mm/ukva/ukva.h"

struct runqueue runqueues[NR_CPUS];

void schedule_tail(struct task *prev);

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

void enqueue(struct runqueue *rq, struct task *t)
{
	list_add_tail(&t->run_list, &rq->queue);
	t->on_rq = true;
	rq->nr_running++;
}

void dequeue(struct runqueue *rq, struct task *t)
{
	list_del_init(&t->run_list);
	t->on_rq = false;
	rq->nr_running--;
}

/* The next task for this CPU: its own queue first, then work pulled from others. */
static struct task *pick_next(struct runqueue *rq)
{
	if (!list_empty(&rq->queue)) {
		struct task *t = list_first_entry(&rq->queue, struct task, run_list);
		dequeue(rq, t);
		return t;
	}
	struct task *pulled = pull_task(rq);
	return pulled ? pulled : this_cpu()->idle;
}

bool wake_up_process(struct task *t)
{
	uint32_t flags;
	struct runqueue *rq = task_rq_lock(t, &flags);
	bool was_asleep = t->state == TASK_SLEEPING;
	bool move = false;

	if (was_asleep) {
		t->state = TASK_RUNNING;
		/* A task still on its CPU (between prepare_to_wait and schedule) is not queued. */
		if (!t->on_rq && rq->curr != t) {
			move = !cpu_allowed(t, t->cpu);  /* its affinity changed while it slept */
			if (!move)
				enqueue(rq, t);
		}
	}
	unsigned cpu = t->cpu;
	task_rq_unlock(rq, flags);
	if (move)
		place_task(t);
	else if (was_asleep)
		kick_cpu(cpu);
	return was_asleep;
}

void sched_start_task(struct task *t)
{
	t->state = TASK_RUNNING;
	place_task(t);
}

/*
 * Runs first in the task switched to, with the run-queue lock still held
 * by the switch: release it, move a task that may no longer run on this
 * CPU, and drop the running reference of a task that will never run again.
 */
static void finish_task_switch(struct runqueue *rq, struct task *prev)
{
	enum task_state prev_state = prev->state;
	bool move = prev_state == TASK_RUNNING && prev != this_cpu()->idle && !prev->on_rq;
	/* An exited task preempted before its last schedule() is still queued. */
	bool gone = (prev_state == TASK_ZOMBIE || prev_state == TASK_DEAD) && !prev->on_rq;

	spin_unlock(&rq->lock);
	if (move)
		place_task(prev);
	if (gone)
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

uint32_t current_kernel_stack_top(void)
{
	return current->thread.esp0;
}

void activate_mm(struct mm *mm)
{
	uint32_t flags = local_irq_save();
	struct cpu *cpu = this_cpu();

	/* In the mask before the CR3 write: no shootdown may miss this CPU. */
	if (mm)
		mm_cpu_enter(mm, cpu->id);
	ktext_switch_in(current, cpu);          /* its node's text; may change current->cr3 */
	struct ukva_switch sw = ukva_ops()->switch_mm(current, current, cpu);
	/*
	 * A window entry rewritten under our own stack: the old and the new
	 * window map the same stack frames, and one atomic store keeps it
	 * mapped throughout; the CR3 write then drops the old window's pages.
	 */
	if (sw.pmd) {
		if (!sw.cr3)
			panic("activate_mm: the mode rewrites a window entry without a CR3 write");
		set_pmd_atomic(sw.pmd, __pmd(sw.pmd_val));
	}
	if (sw.cr3) {
		cpu->loaded_cr3 = sw.cr3;
		load_cr3(sw.cr3);
	}
	tss_set_kernel_stack(current->thread.esp0);
	local_irq_restore(flags);
}

/*
 * Switch to next with the run-queue lock held and interrupts off.  The
 * mode decides what the address space needs (usually: CR3 only when next
 * runs on another PGD than the one loaded here); TSS.esp0 is ours.
 */
static void context_switch(struct runqueue *rq, struct task *prev, struct task *next)
{
	struct cpu *cpu = this_cpu();

	rq->curr = next;
	cpu->current_task = next;
	if (prev->mm && next->mm)
		count_event_cpu(prev->mm == next->mm ? CNT_SWITCH_SAME_MM : CNT_SWITCH_CROSS_MM);
	if (next->mm)
		mm_cpu_enter(next->mm, cpu->id);
	ktext_switch_in(next, cpu);             /* its node's text; may change next->cr3 */
	struct ukva_switch sw = ukva_ops()->switch_mm(prev, next, cpu);
	if (sw.cr3) {
		cpu->loaded_cr3 = sw.cr3;
		count_cr3_write();              /* switch_to does the write */
		if (prev->mm && prev->mm != next->mm)
			mm_cpu_leave(prev->mm, cpu->id);   /* the write drops its entries here */
	} else if (sw.flush) {
		/* switch_to INVLPGs one page per bit: single-page flushes, of a switch. */
		uint32_t pages = (uint32_t)__builtin_popcountll(sw.flush);
		count_events_cpu(CNT_SWITCH_INVLPG, pages);
		count_events_cpu(CNT_TLB_FLUSH_ONE, pages);
	}
	tss_set_kernel_stack(next->thread.esp0);
	tls_load(next);
	fpu_switch(prev, next);
	if (sw.cr3)
		doublefault_set_cr3(sw.cr3);    /* so a #DF report can read this task's stack */
	struct task *last = switch_to(prev, next, &sw);
	/* Now running as prev again, resumed by some later switch. */
	finish_task_switch(cpu_rq(this_cpu()->id), last);
}

/*
 * Switch to the next task.  A task that calls schedule() itself gives up
 * the CPU as its state says: it sleeps unless it is TASK_RUNNING.  A task
 * that is preempted stays runnable whatever its state: it may have marked
 * itself asleep in prepare_to_wait() and not yet checked its condition,
 * and the wake-up it waits for may already have come; only its own later
 * call of schedule() may put it to sleep (Linux's __schedule(SM_PREEMPT)).
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
	/* A running task that may no longer run here is placed elsewhere once switched out. */
	if (prev != cpu->idle &&
	    (preempt || (prev->state == TASK_RUNNING && cpu_allowed(prev, cpu->id))))
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

/* this_cpu() is read afresh each time: schedule() may return on another CPU. */
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
	if (cpu->preempt_count == 0 && cpu->need_resched && !irqs_disabled())
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
