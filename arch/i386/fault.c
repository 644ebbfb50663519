/*
 * The x86 page-fault entry: decode the error code (SDM vol. 3A 4.7), let
 * the address-space mode fill a window page, and hand a user-address fault
 * to the memory manager (handle_mm_fault) as an access it understands.
 */
#include "arch/i386/traps.h"
#include "arch/i386/extable.h"
#include "arch/i386/cpu.h"
#include "kernel/counters.h"
#include "kernel/task.h"
#include "mm/mm.h"
#include "mm/memlayout.h"
#include "mm/ukva/ukva.h"

/* What the error code says the access was, in handle_mm_fault's terms. */
static unsigned fault_access(uint32_t err)
{
	return (err & X86_PF_WRITE ? FAULT_WRITE : 0) | (err & X86_PF_INSTR ? FAULT_EXEC : 0);
}

/*
 * The page-fault entry for addresses the kernel may resolve (called by
 * arch/i386/traps.c before treating a fault as fatal).  A user-mode fault
 * on a user address goes to handle_mm_fault; a kernel-mode one only when
 * it comes from a uaccess instruction (one with an exception-table entry):
 * a kernel bug that dereferences a user pointer directly must oops, not be
 * paged in.  A uaccess fault that cannot be resolved continues at its
 * fixup, which returns -EFAULT.  Returns true when the fault is handled.
 */
bool do_page_fault(struct trap_frame *f, uint32_t cr2)
{
	uint32_t err = f->error_code;
	bool user_mode = err & X86_PF_USER;
	uint32_t fixup = user_mode ? 0 : search_exception_table(f->eip);
	struct mm *mm = current->mm;

	if (!user_mode && cr2 >= UKVA_START && ukva_window_fault(cr2))
		return true;
	if (f->eflags & EFLAGS_IF)
		local_irq_enable();     /* CR2 is read; let the tick run while we work */
	if (mm && cr2 < USER_END && !(err & X86_PF_RSVD) && (user_mode || fixup)) {
		count_event_cpu(CNT_PAGE_FAULT);
		if (handle_mm_fault(mm, cr2, fault_access(err)) == 0)
			return true;
	}
	if (fixup) {
		f->eip = fixup;
		return true;
	}
	return false;
}
