/* TLB shootdown; see tlbflush.h. */
#include "mm/tlbflush.h"
#include "mm/mm.h"
#include "mm/memlayout.h"
#include "arch/i386/tlb.h"
#include "kernel/counters.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/task.h"

/* Past this many pages one full flush is cheaper than single-page ones. */
#define FLUSH_ALL_THRESHOLD 32

struct flush_range {
	uintptr_t start, end;
	bool global;                    /* a kernel range: global entries too */
};

/* Flush a range from this CPU's TLB. */
static void flush_local(const struct flush_range *r)
{
	if ((r->end - r->start) / PAGE_SIZE > FLUSH_ALL_THRESHOLD) {
		if (r->global)
			flush_tlb_all();
		else
			flush_tlb_all_nonglobal();
		return;
	}
	for (uintptr_t a = r->start; a < r->end; a += PAGE_SIZE)
		flush_tlb_one(a);
}

/* The IPI side: runs on each CPU asked. */
static void flush_ipi(void *arg)
{
	flush_local(arg);
}

/*
 * The range each CPU is shooting down.  Not a stack variable: in the
 * per-task mode the sender's stack is at a window address, where another
 * CPU would read its own stack instead (docs/design.md, the stack rule).
 * One per sender: a shootdown runs with preemption off and waits.
 */
static struct flush_range shootdown_range[NR_CPUS];

/* Flush [start, end) locally, then on the other CPUs of mask, waiting for them. */
static void flush_on(uint32_t mask, uintptr_t start, uintptr_t end, bool global)
{
	preempt_disable();              /* stay on this CPU while we decide who else */
	unsigned self = this_cpu()->id;
	struct flush_range *r = &shootdown_range[self];

	*r = (struct flush_range){ start & PAGE_MASK, end, global };
	if (mask & (1u << self))
		flush_local(r);
	mask &= ~(1u << self) & cpus_online_mask();
	if (mask) {
		count_event_cpu(CNT_SHOOTDOWN);
		smp_call_function_many(mask, flush_ipi, r, true);
	}
	preempt_enable();
}

void flush_tlb_mm_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	uint32_t mask = __atomic_load_n(&mm->cpu_mask, __ATOMIC_ACQUIRE);

	/* The caller's own CPU, whenever it runs on mm, whatever the mask says. */
	if (current->mm == mm)
		mask |= 1u << smp_processor_id();
	flush_on(mask, start, end, false);
}

void flush_tlb_mm(struct mm *mm)
{
	flush_tlb_mm_range(mm, 0, USER_END);
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	flush_on(~0u, start, end, true);
}

void mm_cpu_enter(struct mm *mm, unsigned cpu)
{
	/* Set before the CR3 write: a shootdown that misses the bit ran before our walk. */
	__atomic_fetch_or(&mm->cpu_mask, 1u << cpu, __ATOMIC_SEQ_CST);
}

void mm_cpu_leave(struct mm *mm, unsigned cpu)
{
	__atomic_fetch_and(&mm->cpu_mask, ~(1u << cpu), __ATOMIC_SEQ_CST);
}
