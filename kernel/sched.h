/*
 * The scheduler: round robin with time slices, one run queue per CPU.
 *
 * Lock order: a wait queue's lock, then a run queue's lock.  schedule()
 * must be entered with no spinlock held (checked: "scheduling while atomic").
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct task;

#define HZ                      100     /* timer ticks per second */
#define SCHED_SLICE_TICKS       2       /* 20 ms time slices */

void sched_init(void);
/*
 * An application processor joins: idle (a task made for it, already
 * current on that CPU) becomes its idle task, its run queue goes live and
 * the CPU is marked online.  Called on the AP itself, interrupts off.
 */
void sched_init_ap(struct task *idle);
/* Give up the CPU; the current task runs again after the others runnable. */
void schedule(void);
void sched_yield(void);
/* Make a sleeping task runnable; true if it was asleep.  Any context. */
bool wake_up_process(struct task *t);
/* Put a new task on a run queue for the first time. */
void sched_start_task(struct task *t);
/* Timer interrupt: account the tick, ask for a reschedule at slice end. */
void sched_tick(void);
/* From interrupt exit, with interrupts off: preempt if asked and allowed. */
void preempt_schedule_irq(void);
/* Sleep for at least this many ticks. */
void schedule_timeout(unsigned long ticks);
/* The boot thread becomes this CPU's idle task.  Never returns. */
__attribute__((noreturn)) void cpu_idle(void);

/* Bit n set for each CPU that is running. */
uint32_t cpus_online_mask(void);
/*
 * Restrict t to the CPUs in mask.  The current task moves off a CPU the
 * mask excludes before this returns; another task must already be on an
 * allowed CPU.  0, or -EINVAL (no online CPU in mask, or another task
 * that would have to move).  Process context.
 */
int sched_set_cpus_allowed(struct task *t, uint32_t mask);

/* Make phys the task's PGD and load it now (the task must be current). */
void task_load_pgd(struct task *t, uint32_t phys);
/* The top of the current task's kernel stack (TSS.esp0 while it runs). */
uint32_t current_kernel_stack_top(void);

#endif
