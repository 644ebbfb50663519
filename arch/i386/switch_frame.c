/*
 * The C side of switch.S: its structure offsets checked against the C
 * structs, and the first frame of a new task.
 */
#include <stddef.h>
#include "arch/i386/switch.h"
#include "kernel/task.h"
#include "mm/ukva/ukva.h"
#include "mm/ukva/window.h"

_Static_assert(offsetof(struct task, thread.esp) == TASK_THREAD_ESP,
	       "switch.S saves ESP at TASK_THREAD_ESP");
_Static_assert(offsetof(struct ukva_switch, cr3) == UKVA_SWITCH_CR3,
	       "switch.S reads the CR3 to load at UKVA_SWITCH_CR3");
_Static_assert(offsetof(struct ukva_switch, pmd) == UKVA_SWITCH_PMD &&
	       offsetof(struct ukva_switch, pmd_val) == UKVA_SWITCH_PMD_VAL &&
	       offsetof(struct ukva_switch, flush) == UKVA_SWITCH_FLUSH &&
	       offsetof(struct ukva_switch, switch_stack) == UKVA_SWITCH_STACK,
	       "switch.S reads the window rewrite at these offsets");
_Static_assert(UKVA_SWITCH_FLUSH_BASE == UKVA_SLOT(0), "switch.S INVLPGs window slots from here");

/* What switch_to pops on its way out: edi, esi, ebx, ebp, then the return. */
struct switch_frame {
	uint32_t edi, esi, ebx, ebp;
	uint32_t ret;
};

void switch_frame_init(struct task *t, void (*entry)(void), uint32_t used)
{
	uint32_t top = (uint32_t)t->stack + KSTACK_SIZE;
	struct switch_frame *f = (struct switch_frame *)(top - used) - 1;

	*f = (struct switch_frame){ .ret = (uint32_t)entry };
	t->thread.esp = t->thread.esp0 - (top - (uint32_t)f);
}
