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
/* Print every task and run queue, without locks (for a hang post-mortem). */
void sched_show_state(void);
/* The boot thread becomes this CPU's idle task.  Never returns. */
__attribute__((noreturn)) void cpu_idle(void);

/* Bit n set for each CPU that is running. */
uint32_t cpus_online_mask(void);
/*
 * Restrict t to the CPUs in mask; it moves off a CPU the mask excludes
 * (the current task before this returns).  0, or -EINVAL when mask has
 * no online CPU.  Process context.
 */
int sched_set_cpus_allowed(struct task *t, uint32_t mask);

struct mm;
/*
 * Load on this CPU what the current task's fields now say (its cr3, as
 * the mode's switch_mm decides, and thread.esp0 into the TSS), as a switch
 * to it would, after entering mm's CPU mask (mm: the address space it now
 * runs on, NULL for none).  For exec and exit, which change the current
 * task's address space in place.  Any context.
 */
void activate_mm(struct mm *mm);
/* The top of the current task's kernel stack (TSS.esp0 while it runs). */
uint32_t current_kernel_stack_top(void);

#endif
