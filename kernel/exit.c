/*
 * The end of tasks and processes: exit, exit_group, death by signal, and
 * wait4.  Linux semantics:
 *
 *  - exit ends one thread; exit_group, a fault or SIGPIPE end them all.
 *  - A thread other than the leader is reaped as soon as it exits.
 *  - The process becomes visible to its parent's wait4 (a zombie) when its
 *    last thread is gone, with the status of the group exit, or else of
 *    the leader's own exit.
 *  - Children of a process are handed to the init process when its last
 *    thread exits (the threads of a process share its children).
 *  - Exiting costs O(threads + children), never a walk of every task.
 */
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/futex.h"
#include "kernel/panic.h"
#include "kernel/uaccess.h"
#include "kernel/printk.h"
#include "kernel/counters.h"
#include "arch/i386/power.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/ukva/ukva.h"
#include "mm/kmalloc.h"
#include "mm/memstat.h"
#include "arch/i386/tlb.h"
#include "kernel/profile.h"
#include "abi/wait.h"

#define WAIT_OPTIONS    (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)

#define RUSAGE_SIZE     72              /* struct rusage on i386 */

void clear_child_tid(struct task *t)
{
	if (!t->clear_child_tid || !t->mm)
		return;
	if (put_user_u32(0, t->clear_child_tid) == 0)
		futex_wake(t->mm, t->clear_child_tid, 1);
	t->clear_child_tid = 0;
}

/* Leave the user address space (moving to the kernel's tables first). */
static void exit_mm(struct task *t)
{
	struct mm *mm = t->mm;

	if (!mm)
		return;
	ukva_task_leave_mm(t);
	t->mm = NULL;
	mm_put(mm);
}

/* Can a parent's wait4 reap c now?  tasklist_lock held. */
static bool reapable(const struct task *c)
{
	return c->state == TASK_ZOMBIE && (!c->group || c->group->live == 0);
}

/*
 * Hand every child of t to the reaper: O(children).  Called when t's
 * process is gone (its last thread exited), never earlier, so a child
 * never points at a reaped parent.  tasklist_lock held.
 */
static void reparent_children(struct task *t)
{
	bool wake = false;

	while (!list_empty(&t->children)) {
		struct task *c = list_first_entry(&t->children, struct task, sibling);
		list_del_init(&c->sibling);
		c->parent = child_reaper;
		list_add_tail(&c->sibling, &child_reaper->children);
		wake |= reapable(c);
	}
	if (wake)
		wake_up(&child_reaper->child_exit);
}

/* The init process is gone: the machine's work is done; its status is the verdict. */
static __noreturn void init_exited(int status)
{
	pr_info("init: exited with status 0x%x: powering off\n", status);
	print_counters();
	lowmem_report("at power-off");
	profile_print();
	machine_exit(status == 0);
}

/*
 * The last thread of g, last, exited with status: the process is a zombie
 * now; its children go to the reaper and its parent is woken.  Returns
 * true when it is init (whose children are not re-parented: to itself,
 * that would never end).  tasklist_lock held.
 */
static bool process_gone(struct thread_group *g, struct task *last, int status)
{
	struct task *leader = g->leader;

	if (g->exiting)
		leader->exit_status = g->exit_status;
	else if (last != leader)
		leader->exit_status = status;   /* the leader exit()ed before the last thread */
	if (leader == child_reaper)
		return true;
	reparent_children(leader);
	/* First among its siblings: wait4(-1) finds it without a walk. */
	list_del_init(&leader->sibling);
	list_add(&leader->sibling, &leader->parent->children);
	wake_up(&leader->parent->child_exit);
	return false;
}

void do_exit(int status)
{
	struct task *t = current;
	bool init_gone = false;

	BUG_ON(t == this_cpu()->idle);
	/*
	 * Exiting may fault (clear_child_tid on a copy-on-write page), and a
	 * fault may wait for a TLB shootdown: interrupts on.  A user fault
	 * comes here from its trap gate with them off.
	 */
	local_irq_enable();
	clear_child_tid(t);
	exit_mm(t);
	if (t->files) {
		files_put(t->files);
		t->files = NULL;
	}

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	t->exit_status = status;
	struct thread_group *g = t->group;
	if (!g) {                               /* a kernel thread */
		reparent_children(t);
		t->state = TASK_ZOMBIE;
		wake_up(&t->parent->child_exit);
	} else {
		list_del_init(&t->thread_node);
		g->live--;
		if (g->execer && g->execer != t)
			wake_up_process(g->execer);     /* waiting for us in kill_other_threads */
		if (t == g->leader) {
			t->state = TASK_ZOMBIE;
		} else {
			t->state = TASK_DEAD;   /* nobody reaps a thread */
			list_del_init(&t->all_list);
			put_task(t);            /* the reaper's reference */
		}
		if (g->live == 0)
			init_gone = process_gone(g, t, status);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (init_gone)
		init_exited(g->leader->exit_status);
	schedule();
	panic("%s (tid %d) ran after exit", t->comm, t->tid);
}

/* Wake every live thread of g but the caller, to see group_dying().  tasklist_lock held. */
static void wake_other_threads(struct thread_group *g)
{
	struct list_head *pos;

	list_for_each(pos, &g->threads) {
		struct task *other = list_entry(pos, struct task, thread_node);
		if (other != current)
			wake_up_process(other);
	}
}

/*
 * Mark the current process as exiting with status (the first reason wins)
 * and wake its sleeping threads: each sees fatal_signal_pending() and
 * exits on its way back to user mode.  O(threads of the process).
 */
static void group_exit_begin(int status)
{
	struct thread_group *g = current->group;

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	if (!g->exiting) {
		g->exiting = true;
		g->exit_status = status;
	}
	wake_other_threads(g);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

struct thread_group *thread_group_create(struct task *leader)
{
	struct thread_group *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	*g = (struct thread_group){ .refcount = 1, .live = 1, .leader = leader };
	INIT_LIST_HEAD(&g->threads);
	list_add_tail(&leader->thread_node, &g->threads);
	return g;
}

int group_add_and_start(struct task *t)
{
	struct thread_group *g = current->group;

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	if (group_dying(g, current)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINTR;
	}
	if (t->group == g) {
		list_add_tail(&t->thread_node, &g->threads);
		g->live++;
	}
	/* Under the lock: group_exit_begin must never wake a task not yet started. */
	sched_start_task(t);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/*
 * The rest of Linux's de_thread, for an execve from a thread other than
 * the leader, once every other thread is gone: the caller takes over the
 * leader's pid, its place among its parent's children and its own
 * children, and the old leader (a zombie since it exited) goes at once,
 * reaped by nobody.  So the new program's getpid() and gettid() agree and
 * the parent's wait4 reaps the pid it forked.  tasklist_lock held.
 * Returns the old leader, whose reaper's reference the caller drops.
 */
static struct task *take_leadership(struct thread_group *g)
{
	struct task *t = current, *old = g->leader;
	int tid = t->tid;

	BUG_ON(old->state != TASK_ZOMBIE || !list_empty(&t->children));
	t->tid = old->tid;
	old->tid = tid;
	t->parent = old->parent;
	old->parent = NULL;
	list_add(&t->sibling, &old->sibling);   /* old's place, then old out */
	list_del_init(&old->sibling);
	while (!list_empty(&old->children)) {
		struct task *c = list_first_entry(&old->children, struct task, sibling);
		list_del_init(&c->sibling);
		c->parent = t;
		list_add_tail(&c->sibling, &t->children);
	}
	if (child_reaper == old)
		child_reaper = t;
	g->leader = t;
	old->state = TASK_DEAD;
	list_del_init(&old->all_list);
	return old;
}

int kill_other_threads(void)
{
	struct thread_group *g = current->group;

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	if (group_dying(g, current) || g->execer) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINTR;
	}
	g->execer = current;
	wake_other_threads(g);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* Each exiting thread wakes us after its live-- (do_exit). */
	for (;;) {
		current->state = TASK_SLEEPING;
		if (READ_ONCE(g->live) == 1 || READ_ONCE(g->exiting))
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
	struct task *old_leader = NULL;
	flags = spin_lock_irqsave(&tasklist_lock);
	bool dying = g->exiting;
	if (!dying && g->leader != current)
		old_leader = take_leadership(g);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old_leader)
		put_task(old_leader);           /* the reaper's reference */
	return dying ? -EINTR : 0;
}

void exec_done(void)
{
	struct thread_group *g = current->group;

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	if (g->execer == current)
		g->execer = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void do_group_exit(int status)
{
	group_exit_begin(status);
	do_exit(current->group->exit_status);
}

void kill_current(int sig)
{
	do_group_exit(W_SIGNALED(sig));
}

void send_fatal_signal(int sig)
{
	group_exit_begin(W_SIGNALED(sig));
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit(W_EXITCODE(code));
}

/* Does child c match wait4's pid argument?  (No process groups: 0 and < -1 match all.) */
static bool wait_matches(const struct task *c, int pid)
{
	return pid <= 0 || c->tid == pid;
}

/*
 * Look for a child to reap.  Returns a zombie unlinked from its parent
 * (the caller owns the reaper's reference), or NULL with *have_child
 * telling whether waiting could help.
 */
static struct task *find_zombie(struct task *parent, int pid, bool *have_child)
{
	struct list_head *pos;
	struct task *zombie = NULL;

	*have_child = false;
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each(pos, &parent->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		if (!wait_matches(c, pid))
			continue;
		*have_child = true;
		if (reapable(c)) {
			zombie = c;
			list_del_init(&c->sibling);
			list_del_init(&c->all_list);
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return zombie;
}

SYSCALL_DEFINE4(wait4, int, pid, uintptr_t, ustatus, int, options, uintptr_t, urusage)
{
	struct task *parent = current->group ? current->group->leader : current;
	bool have_child;
	struct task *z;

	if ((uint32_t)options & ~(uint32_t)WAIT_OPTIONS)
		return -EINVAL;
	for (;;) {
		prepare_to_wait(&parent->child_exit);
		z = find_zombie(parent, pid, &have_child);
		if (z || !have_child || (options & WNOHANG) || fatal_signal_pending())
			break;
		schedule();
	}
	finish_wait(&parent->child_exit);
	if (!z)
		return !have_child ? -ECHILD : (options & WNOHANG) ? 0 : -EINTR;

	int tid = z->tid, status = z->exit_status;
	wait_task_inactive(z);          /* so the child's memory is back when we return */
	put_task(z);
	static const char zero_rusage[RUSAGE_SIZE];
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (urusage && copy_to_user(urusage, zero_rusage, sizeof(zero_rusage)))
		return -EFAULT;
	return tid;
}

SYSCALL_DEFINE3(waitpid, int, pid, uintptr_t, ustatus, int, options)
{
	return __do_sys_wait4(pid, ustatus, options, 0);
}
