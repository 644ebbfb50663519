/*
 * Choosing the address-space mode at boot (mm=shared|per-mm|per-task|per-cpu):
 * the table of modes, and the check that every mode answers every op.
 */
#include <stddef.h>
#include "mm/ukva/modes.h"
#include "kernel/bootparam.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

enum ukva_mode ukva_mode = UKVA_SHARED;

/* A mode missing here is a compile error (the size) or a boot panic (a hole). */
const struct ukva_mode_ops *const ukva_modes[] = {
	[UKVA_SHARED] = &ukva_shared_ops,
	[UKVA_PER_MM] = &ukva_per_mm_ops,
	[UKVA_PER_TASK] = &ukva_per_task_ops,
	[UKVA_PER_CPU] = &ukva_per_cpu_ops,
};
_Static_assert(ARRAY_SIZE(ukva_modes) == UKVA_NR_MODES, "one ukva_modes entry per enum ukva_mode");

/* The ops are read as an array of function pointers from mm_init on. */
typedef void (*ukva_op)(void);
#define UKVA_FIRST_OP   offsetof(struct ukva_mode_ops, mm_init)
_Static_assert((sizeof(struct ukva_mode_ops) - UKVA_FIRST_OP) % sizeof(ukva_op) == 0,
	       "struct ukva_mode_ops ends with function pointers only");

const char *ukva_mode_name(enum ukva_mode mode)
{
	return ukva_modes[mode]->name;
}

static int set_mode(const char *v)
{
	for (unsigned m = 0; m < UKVA_NR_MODES; m++) {
		if (v && strcmp(v, ukva_modes[m]->name) == 0) {
			ukva_mode = (enum ukva_mode)m;
			return 0;
		}
	}
	return -EINVAL;
}
BOOT_PARAM("mm", set_mode, "shared, per-mm, per-task or per-cpu");

int ukva_ops_first_unset(const struct ukva_mode_ops *ops)
{
	for (size_t off = UKVA_FIRST_OP; off < sizeof(*ops); off += sizeof(ukva_op)) {
		ukva_op op;
		memcpy(&op, (const char *)ops + off, sizeof(op));
		if (!op)
			return (int)off;
	}
	return -1;
}

/* Panic unless mode m has a table with a name and every op set. */
static void check_mode(unsigned m)
{
	const struct ukva_mode_ops *ops = ukva_modes[m];

	if (!ops || !ops->name || !ops->summary)
		panic("ukva: mode %u has no table, name or summary", m);
	int off = ukva_ops_first_unset(ops);
	if (off >= 0)
		panic("ukva: mode %s leaves the op at offset %d unset", ops->name, off);
}

void ukva_init(void)
{
	for (unsigned m = 0; m < UKVA_NR_MODES; m++)
		check_mode(m);
	pr_info("ukva: mode %s: %s\n", ukva_ops()->name, ukva_ops()->summary);
}
