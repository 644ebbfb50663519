/*
 * Task creation, exit and reaping.
 *
 * tasklist_lock protects the list of all tasks and every parent/children
 * link.  Lock order: tasklist_lock, then wait-queue locks, then run queues.
 */
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/smp.h"
#include "kernel/vsprintf.h"
#include "kernel/panic.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/paging.h"
#include "mm/mm.h"
#include "mm/ukva/ukva.h"
#include "arch/i386/switch.h"

extern char boot_stack_bottom[], boot_stack_top[];

struct task init_task = {
	.thread = { .esp0 = (uint32_t)boot_stack_top },
	.state = TASK_RUNNING,
	.comm = "idle/0",
	.refcount = 1,
	.cpus_allowed = 1,
	.ticks_left = SCHED_SLICE_TICKS,
	.stack = boot_stack_bottom,
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.all_list = LIST_HEAD_INIT(init_task.all_list),
	.thread_node = LIST_HEAD_INIT(init_task.thread_node),
	.child_exit = { SPINLOCK_INIT, LIST_HEAD_INIT(init_task.child_exit.sleepers) },
};

spinlock_t tasklist_lock = SPINLOCK_INIT;
struct task *child_reaper = &init_task;
static int next_tid = 1;
static unsigned long tasks_allocated;

unsigned long nr_tasks_allocated(void)
{
	return __atomic_load_n(&tasks_allocated, __ATOMIC_RELAXED);
}

void get_task(struct task *t)
{
	__atomic_add_fetch(&t->refcount, 1, __ATOMIC_RELAXED);
}

void put_task(struct task *t)
{
	if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	BUG_ON(t == &init_task);
	ukva_task_detach(t);
	if (t->group && __atomic_sub_fetch(&t->group->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(t->group);
	free_pages(virt_to_page(t->stack), KSTACK_ORDER);
	kfree(t);
	__atomic_sub_fetch(&tasks_allocated, 1, __ATOMIC_RELAXED);
}

/*
 * A zeroed task with a kernel stack, on the kernel's PGD, linked to
 * nothing yet; NULL when memory is short.  What every kind of task shares.
 */
static struct task *task_struct_alloc(const char *name, unsigned cpu)
{
	struct task *t = kzalloc(sizeof(*t), GFP_KERNEL);
	/* From the node of the CPU it starts on: where its stack is used most. */
	struct page *stack = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL, KSTACK_ORDER);

	if (!t || !stack) {
		kfree(t);
		if (stack)
			free_pages(stack, KSTACK_ORDER);
		return NULL;
	}
	t->stack = page_address(stack);
	t->thread.esp0 = (uint32_t)t->stack + KSTACK_SIZE;
	t->cr3 = kernel_pgd_phys();
	t->cpu = cpu;
	t->ticks_left = SCHED_SLICE_TICKS;
	fpu_init_state(&t->fpu);
	size_t n = strnlen(name, TASK_COMM_LEN - 1);
	memcpy(t->comm, name, n);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->all_list);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->futex_link);
	init_waitqueue_head(&t->child_exit);
	return t;
}

struct task *task_alloc(const char *name, struct task *parent)
{
	struct task *t = task_struct_alloc(name, this_cpu()->id);

	if (!t)
		return NULL;
	__atomic_add_fetch(&tasks_allocated, 1, __ATOMIC_RELAXED);
	t->refcount = 2;
	t->state = TASK_SLEEPING;       /* not runnable until sched_start_task */
	t->cpus_allowed = ~0u;

	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	t->tid = t->tgid = next_tid++;
	t->parent = parent;
	list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->all_list, &init_task.all_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t;
}

/* The first C function of every kernel thread (called from switch.S). */
__attribute__((noreturn)) void kthread_main(void);
void kthread_main(void)
{
	do_exit(current->kthread_fn(current->kthread_arg));
}

/*
 * An AP's idle task, made like init_task: running from the start, on no
 * run queue and in no task list (tid 0, as Linux's idle tasks), bound to
 * its CPU, on the kernel's PGD, never freed.
 */
struct task *idle_task_create(unsigned cpu)
{
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "idle/%u", cpu);
	struct task *t = task_struct_alloc(name, cpu);
	if (!t)
		return NULL;
	t->refcount = 1;
	t->state = TASK_RUNNING;
	t->cpus_allowed = 1u << cpu;
	return t;
}

/* kthread_create_on, with the new thread queued on CPU cpu and bound there if bind. */
static struct task *create_kthread(int (*fn)(void *), void *arg, const char *name, struct mm *mm,
				   unsigned cpu, bool bind)
{
	struct task *t = task_alloc(name, current);
	if (!t)
		return NULL;
	t->cpu = cpu;
	if (bind)
		t->cpus_allowed = 1u << cpu;
	t->kthread_fn = fn;
	t->kthread_arg = arg;
	if (mm) {
		mm_get(mm);
		t->mm = mm;
		if (ukva_task_attach(t, mm)) {
			mm_put(mm);
			t->mm = NULL;
			t->state = TASK_ZOMBIE;
			release_task(t);
			put_task(t);
			return NULL;
		}
	}
	switch_frame_init(t, ret_from_kthread, 0);
	sched_start_task(t);
	return t;
}

struct task *kthread_create_on(int (*fn)(void *), void *arg, const char *name, struct mm *mm)
{
	return create_kthread(fn, arg, name, mm, smp_processor_id(), true);
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	return create_kthread(fn, arg, name, NULL, smp_processor_id(), false);
}

struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, const char *name, unsigned cpu)
{
	if (cpu >= NR_CPUS || !(cpus_online_mask() & (1u << cpu)))
		return NULL;
	return create_kthread(fn, arg, name, NULL, cpu, true);
}

void wait_task_inactive(struct task *t)
{
	while (__atomic_load_n(&t->refcount, __ATOMIC_ACQUIRE) > 1)
		sched_yield();
}

void release_task(struct task *t)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	list_del_init(&t->sibling);
	list_del_init(&t->all_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task(t);
}

int kthread_join(struct task *t)
{
	BUG_ON(t->parent != current);
	wait_event(current->child_exit, t->state == TASK_ZOMBIE);
	wait_task_inactive(t);
	int status = t->exit_status;
	release_task(t);
	return status;
}

struct task *find_task(int tid)
{
	struct task *found = NULL;
	struct list_head *pos;
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);

	list_for_each(pos, &init_task.all_list) {
		struct task *t = list_entry(pos, struct task, all_list);
		if (t->tid == tid && t->state != TASK_ZOMBIE && t->state != TASK_DEAD) {
			get_task(t);
			found = t;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}
