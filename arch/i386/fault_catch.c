#include <stddef.h>
#include "arch/i386/fault_catch.h"
#include "arch/i386/setjmp.h"

struct fault_catch {
	jmp_buf env;
	struct fault_info info;
	struct fault_catch *outer;
};

/* The innermost armed catch.  Becomes per-CPU data with SMP. */
static struct fault_catch *armed_catch;

bool catch_fault(void (*fn)(void *), void *arg, struct fault_info *info)
{
	struct fault_catch fc = { .outer = armed_catch };

	if (setjmp(fc.env)) {
		armed_catch = fc.outer;
		*info = fc.info;
		return true;
	}
	armed_catch = &fc;
	fn(arg);
	armed_catch = fc.outer;
	return false;
}

void fault_catch_dispatch(uint32_t vector, uint32_t error_code, uint32_t cr2, uint32_t eip)
{
	struct fault_catch *fc = armed_catch;

	if (!fc)
		return;
	fc->info = (struct fault_info){ vector, error_code, cr2, eip };
	longjmp(fc->env, 1);
}

struct fault_catch *fault_catch_suspend(void)
{
	struct fault_catch *saved = armed_catch;

	armed_catch = NULL;
	return saved;
}

void fault_catch_resume(struct fault_catch *saved)
{
	armed_catch = saved;
}
