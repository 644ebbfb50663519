/*
 * Tasks: the unit the scheduler runs.  A task is a kernel thread, a process
 * (thread-group leader), or a thread of a process; threads share an mm
 * (address space) and a file table.  Task and mm are separate objects so
 * that the address-space modes can put per-task and per-mm kernel data in
 * different places (mm/ukva).
 *
 * Lifetime: a task holds one reference while it can still run, dropped by
 * the CPU that switches away from it for the last time; whoever reaps it
 * (the parent's wait4, a kthread_join) holds another.  The kernel stack
 * and struct are freed with the last reference, never by the task itself.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stdint.h>
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "kernel/wait.h"
#include "kernel/timer.h"
#include "arch/i386/percpu.h"
#include "arch/i386/desc.h"
#include "arch/i386/segment.h"
#include "arch/i386/fpu.h"
#include "mm/ukva/task_window.h"

#define KSTACK_ORDER    1                       /* 8 KiB kernel stacks */
#define KSTACK_SIZE     (4096u << KSTACK_ORDER)
#define TASK_COMM_LEN   16

enum task_state {
	TASK_RUNNING,           /* on a run queue, or on a CPU */
	TASK_SLEEPING,          /* waiting for a wake_up_process() */
	TASK_ZOMBIE,            /* exited; waiting to be reaped */
	TASK_DEAD,              /* exited; nobody will reap it */
};

struct mm;
struct files;
struct fault_catch;

/*
 * What the threads of one process share about its end (Linux keeps this
 * in signal_struct).  Protected by tasklist_lock.
 */
struct thread_group {
	int refcount;                   /* tasks pointing here */
	int live;                       /* threads that have not exited */
	bool exiting;                   /* exit_group() or a fatal signal: all threads go */
	int exit_status;                /* the wait4 status, once exiting */
	struct task *leader;            /* its tid is the process id */
	struct list_head threads;       /* the live threads (task->thread_node) */
	struct task *execer;            /* a thread in execve: every other thread goes */
};

/* Saved by switch_to; must stay first in struct task (switch.S). */
struct thread_struct {
	uint32_t esp;                   /* kernel stack pointer while switched out */
	uint32_t esp0;                  /* top of the kernel stack: TSS.esp0 */
};

struct task {
	struct thread_struct thread;
	volatile enum task_state state;
	int tid;                        /* unique; the pid of a leader */
	int tgid;                       /* the thread group (process) id */
	char comm[TASK_COMM_LEN];
	int refcount;

	unsigned cpu;                   /* the CPU whose run queue we belong to */
	uint32_t cpus_allowed;          /* affinity: bit n = CPU n */
	unsigned ticks_left;            /* of this time slice */
	bool on_rq;
	bool fpu_used;                  /* the FPU area on our stack is live (fpu.h) */
	struct list_head run_list;

	void *stack;                    /* lowest address of the kernel stack, where it runs */
	struct page *stack_pages;       /* its frames: highmem where a window maps it */
	struct mm *stack_mm;            /* mm=per-mm: whose window has our stack slot */
	uint32_t cr3;                   /* the PGD this task runs on (physical) */
	struct task_window window;      /* mm=per-task, per-cpu: our window (not in lowmem) */
	struct mm *mm;                  /* NULL for kernel threads */
	struct files *files;

	struct thread_group *group;     /* NULL for kernel threads */
	uintptr_t clear_child_tid;      /* CLONE_CHILD_CLEARTID: zeroed and woken at exit */
	uintptr_t set_child_tid;        /* CLONE_CHILD_SETTID: written on the first way out */
	struct list_head thread_node;   /* in group->threads while live */

	struct task *parent;            /* who reaps us (processes, kernel threads) */
	struct list_head children;      /* tasks we reap */
	struct list_head sibling;       /* in parent->children */
	struct wait_queue_head child_exit; /* woken when one of our children exits */
	int exit_status;                /* wait4 status word */

	/* Never on the stack: see wait.h. */
	struct wait_queue_entry wait;   /* our entry in the queue we sleep on */
	struct timer sleep_timer;       /* schedule_timeout's */
	struct desc_struct tls[GDT_ENTRY_TLS_ENTRIES]; /* set_thread_area's slots */
	struct fault_catch *fault_catch; /* innermost armed catch_fault() */
	struct list_head futex_link;    /* while in FUTEX_WAIT */
	struct mm *futex_mm;
	uintptr_t futex_addr;

	int (*kthread_fn)(void *arg);
	void *kthread_arg;
	struct list_head all_list;      /* every task, for lookups by tid */
};
/*
 * In the window modes the task struct is all the lowmem a thread costs
 * (docs/benchmarks.md, capacity): keep it one 256-byte kmalloc object.
 */
_Static_assert(sizeof(struct task) <= 256 || sizeof(void *) != 4,
	       "struct task must fit a 256-byte kmalloc object");

/*
 * The user FPU/SSE registers of a task while it is switched out live at
 * the bottom of its kernel stack, not in the task struct: only the task
 * itself uses them, so in the window modes they stay out of lowmem with
 * the stack.  This address is valid where t's stack is mapped at t->stack:
 * for current, or any task whose stack is in the direct map.
 */
#define TASK_FPU_BYTES          sizeof(struct fpu_state)
static inline struct fpu_state *task_fpu(const struct task *t)
{
	return (struct fpu_state *)t->stack;
}

extern struct task init_task;           /* the boot thread, later CPU 0's idle task */

/*
 * Create a kernel thread running fn(arg); it is runnable at once.  The
 * caller gets a reference and must kthread_join() it.  Returns NULL when
 * memory is short.
 */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
/*
 * The same, running on mm's address space (its user half and, by mode, its
 * window), and bound to the caller's CPU: what the tests and benchmarks
 * use to switch between tasks of one mm or of two, on one CPU, without
 * user mode.
 */
struct task *kthread_create_on(int (*fn)(void *), void *arg, const char *name, struct mm *mm);
/*
 * The same, queued on CPU cpu and bound to it (cpus_allowed = that CPU
 * only).  NULL when cpu is not online or memory is short.
 */
struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, const char *name, unsigned cpu);
/*
 * Wait for a kernel thread to exit and to be entirely gone (its stack
 * freed with our reference); returns fn's value.
 */
int kthread_join(struct task *t);

/*
 * End the current task.  status is a wait4 status word for a process's
 * last thread; for a kernel thread, kthread_join returns it as is.
 */
__attribute__((noreturn)) void do_exit(int status);
/* End every thread of the current process with this status. */
__attribute__((noreturn)) void do_group_exit(int status);
/*
 * Kill the current process now, as signal sig would by default: for a user
 * fault, where the trap holds no reference that exiting would leak.
 */
__attribute__((noreturn)) void kill_current(int sig);
/*
 * The same, from inside a system call: the process dies of sig on its way
 * back to user mode, after the call has dropped what it holds (SIGPIPE).
 */
void send_fatal_signal(int sig);
/* Must the threads of g other than self go (exit_group, a fatal signal, an execve)? */
static inline bool group_dying(const struct thread_group *g, const struct task *self)
{
	const struct task *execer = READ_ONCE(g->execer);
	return READ_ONCE(g->exiting) || (execer && execer != self);
}

/*
 * Has the current task's process been told to exit (or to leave room for
 * an execve)?  Inline: every return to user mode asks.
 */
static inline bool fatal_signal_pending(void)
{
	struct task *self = current;
	struct thread_group *g = self->group;
	return g && group_dying(g, self);
}
/*
 * A new thread group led by leader, with leader as its one live thread;
 * NULL when memory is short.  The caller links leader into it (group_add).
 */
struct thread_group *thread_group_create(struct task *leader);
/*
 * Make t, ready to run, a live thread of its group and start it, unless
 * the group of the current task is dying: then -EINTR and t stays unstarted.
 */
int group_add_and_start(struct task *t);
/*
 * execve's de_thread: end every other thread of the current process and
 * wait until they are gone.  0, or -EINTR when the process is dying (or
 * another thread is in execve).  exec_done() ends that state.
 */
int kill_other_threads(void);
void exec_done(void);
/*
 * CLONE_CHILD_CLEARTID: zero the word and wake one futex waiter on it (a
 * joining thread), once; at exit and at execve.  Interrupts on.
 */
void clear_child_tid(struct task *t);

extern spinlock_t tasklist_lock;
/* Whoever inherits orphans: the init process once it exists. */
extern struct task *child_reaper;

/*
 * A zombie we reap (holding the reaper's reference) may still be on its
 * way off a CPU, or preempted before its last schedule(): wait for the
 * switch that drops its running reference, so that its stack and struct
 * go with ours, when the caller says (Linux's wait_task_inactive).
 */
void wait_task_inactive(struct task *t);

/* Unlink a reaped zombie and drop the reaper's reference.  tasklist_lock NOT held. */
void release_task(struct task *t);

void get_task(struct task *t);
void put_task(struct task *t);
/* The task with this tid, with a reference taken, or NULL. */
struct task *find_task(int tid);

/*
 * A task struct and kernel stack, linked under parent, not yet runnable,
 * on the kernel's PGD.  Two references: one for running, one for the reaper.
 * The stack's frames come from stack_gfp: GFP_KERNEL for a stack in the
 * direct map, ukva_stack_gfp() for a user task's, which the window modes
 * map in a window only.  NULL when memory is short.
 */
struct task *task_alloc(const char *name, struct task *parent, unsigned stack_gfp);

/*
 * Give t (not running) its first FPU state: a copy of from, or the reset
 * state when from is NULL; written through a temporary mapping (the stack
 * may be highmem that only t's window maps).
 */
void task_init_fpu(struct task *t, const struct fpu_state *from);

/*
 * The idle task of application processor cpu, made like init_task (see
 * task.c).  NULL when memory is short.  Boot CPU, from smp_init.
 */
struct task *idle_task_create(unsigned cpu);

/* Number of live task structs (not yet freed): tests check for leaks. */
unsigned long nr_tasks_allocated(void);

#endif
