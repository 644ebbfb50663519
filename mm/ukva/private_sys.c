/*
 * ukva_private_touch(pages): the benchmark's knob on the per-task private
 * area (window.h, slots 16-47).  Kernel data there is what a per-task
 * window exists for; here user space asks for some, to measure what it
 * costs a switch (mm=per-cpu INVLPGs every mapped page of the outgoing
 * task).
 */
#include "mm/ukva/ukva.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/task.h"

/*
 * Map the first `pages` pages of the caller's private area (demand-filled
 * from highmem, as a kernel touch would) and write a word to each, so they
 * are in the TLB too.  Returns pages; -EOPNOTSUPP when the caller's window
 * has no private area (mm=shared, per-mm), -EINVAL for more pages than the
 * area has, -ENOMEM when highmem ran out (the pages mapped so far stay).
 */
SYSCALL_DEFINE1(ukva_private_touch, uint32_t, pages)
{
	if (!current->window.page)
		return -EOPNOTSUPP;
	if (pages > UKVA_PRIVATE_PAGES)
		return -EINVAL;
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t addr = UKVA_PRIVATE + i * PAGE_SIZE;
		if (!(current->window.private_mask & (1u << i)) && !ukva_window_fault(addr))
			return -ENOMEM;
		*(volatile uint32_t *)addr = current->tid;
	}
	return (long)pages;
}
