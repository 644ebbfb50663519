/*
 * fork and clone: a new task that returns to user space beside its parent,
 * with a copy of (or a share in) the parent's address space, files and
 * thread-local storage.  Linux i386's clone argument order is
 * clone(flags, newsp, parent_tid, tls, child_tid).
 */
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/kmalloc.h"
#include "mm/ukva/ukva.h"
#include "arch/i386/tls.h"
#include "arch/i386/switch.h"
#include "abi/sched.h"

/* What we implement; any other flag is refused with EINVAL. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID)

/* Linux's consistency rules for clone flags (kernel/fork.c, copy_process). */
static int check_clone_flags(uint32_t flags)
{
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	return 0;
}

/*
 * Join the parent's thread group, or found a new one led by t.  A thread
 * counts as live only once started (group_add_and_start).
 */
static int attach_group(struct task *t, uint32_t flags)
{
	if (flags & CLONE_THREAD) {
		uint32_t irq = spin_lock_irqsave(&tasklist_lock);
		t->group = current->group;
		t->group->refcount++;
		t->tgid = current->tgid;
		/* A thread is reaped by nobody: it leaves the parent's children. */
		list_del_init(&t->sibling);
		t->parent = NULL;
		spin_unlock_irqrestore(&tasklist_lock, irq);
		return 0;
	}
	t->group = thread_group_create(t);
	return t->group ? 0 : -ENOMEM;
}

/*
 * The child starts where the parent's system call returns, with EAX = 0.
 * The frame is written through the stack's direct-map address: in per-task
 * mode t's stack top (esp0) is a window address only t's own PGD maps.
 */
static void copy_user_frame(struct task *t, uintptr_t newsp)
{
	uint32_t top = (uint32_t)t->stack + KSTACK_SIZE;
	struct trap_frame *frame = (struct trap_frame *)top - 1;

	*frame = *current_user_frame();
	frame->eax = 0;
	if (newsp)
		frame->user_esp = newsp;
	switch_frame_init(t, ret_from_fork, sizeof(*frame));
}

static int copy_mm_and_files(struct task *t, uint32_t flags)
{
	if (flags & CLONE_VM) {
		mm_get(current->mm);
		t->mm = current->mm;
	} else {
		t->mm = mm_dup(current->mm);
		if (!t->mm)
			return -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		files_get(current->files);
		t->files = current->files;
	} else {
		t->files = files_dup(current->files);
		if (!t->files)
			return -ENOMEM;
	}
	return 0;
}

/* Undo a half-made child: it never ran, so it can go like a reaped zombie. */
static void abandon_child(struct task *t)
{
	if (t->mm)
		mm_put(t->mm);
	if (t->files)
		files_put(t->files);
	uint32_t irq = spin_lock_irqsave(&tasklist_lock);
	list_del_init(&t->sibling);
	list_del_init(&t->all_list);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	put_task(t);                    /* the running reference */
	put_task(t);                    /* the reaper's */
}

static long do_clone(uint32_t flags, uintptr_t newsp, uintptr_t ptid, uintptr_t utls,
		     uintptr_t ctid)
{
	int err = check_clone_flags(flags);
	if (err)
		return err;
	struct task *parent = current->group->leader;
	struct task *t = task_alloc(current->comm, parent);
	if (!t)
		return -ENOMEM;
	err = attach_group(t, flags);
	if (!err)
		err = copy_mm_and_files(t, flags);
	if (!err)
		err = (flags & CLONE_SETTLS) ? tls_set_from_user(t, utls, false)
					     : (tls_copy(t, current), 0);
	if (!err && (flags & CLONE_PARENT_SETTID))
		err = put_user_u32((uint32_t)t->tid, ptid);
	if (!err)
		err = ukva_task_attach(t, t->mm);
	if (err) {
		abandon_child(t);
		return err;
	}
	/* As Linux: the child writes its tid on its way to user mode, failures ignored. */
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = ctid;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	t->cpus_allowed = current->cpus_allowed;
	fpu_copy(t, current);           /* the child starts with our registers, as now */
	copy_user_frame(t, newsp);
	int tid = t->tid;
	/* A process being killed makes no more tasks (clone racing exit_group). */
	err = group_add_and_start(t);
	if (err) {
		abandon_child(t);
		return err;
	}
	return tid;
}

SYSCALL_DEFINE0(fork)
{
	return do_clone(SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE5(clone, uint32_t, flags, uintptr_t, newsp, uintptr_t, ptid, uintptr_t, utls,
		uintptr_t, ctid)
{
	return do_clone(flags, newsp, ptid, utls, ctid);
}
