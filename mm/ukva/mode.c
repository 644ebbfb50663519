/* Choosing the address-space mode at boot (mm=shared|per-mm|per-task). */
#include "mm/ukva/ukva.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/page_alloc.h"

enum ukva_mode ukva_mode = UKVA_SHARED;

static const char *const mode_names[] = {
	[UKVA_SHARED] = "shared",
	[UKVA_PER_MM] = "per-mm",
	[UKVA_PER_TASK] = "per-task",
};

const char *ukva_mode_name(enum ukva_mode mode)
{
	return mode_names[mode];
}

static int set_mode(const char *v)
{
	for (unsigned m = 0; m < 3; m++) {
		if (v && strcmp(v, mode_names[m]) == 0) {
			ukva_mode = (enum ukva_mode)m;
			return 0;
		}
	}
	return -EINVAL;
}
BOOT_PARAM("mm", set_mode, "shared, per-mm or per-task");

unsigned ukva_stack_gfp(void)
{
	return ukva_mode == UKVA_SHARED ? GFP_KERNEL : GFP_HIGHUSER;
}

void ukva_init(void)
{
	static const char *const what[] = {
		[UKVA_SHARED] = "one kernel PMD for all; user PTEs through kmap_atomic",
		[UKVA_PER_MM] = "a kernel PMD copy and UKVA window per mm",
		[UKVA_PER_TASK] = "a PGD, kernel PMD copy and UKVA window per task",
	};
	pr_info("ukva: mode %s: %s\n", mode_names[ukva_mode], what[ukva_mode]);
}
