#include "kernel/counters.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/uaccess.h"
#include "kernel/vsprintf.h"
#include "kernel/task.h"
#include "mm/page_alloc.h"
#include "mm/memstat.h"
#include "mm/ukva/ukva.h"
#include "numa/locality.h"

#define UKVA_COUNTER_NAME(id, name) name,
static const char *const counter_names[] = { UKVA_COUNTERS(UKVA_COUNTER_NAME) };

const char *ukva_counter_name(enum ukva_counter c)
{
	return counter_names[c];
}

uint32_t ukva_counter_total(enum ukva_counter c)
{
	uint32_t sum = 0;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		sum += cpu_counter(cpu, c);
	return sum;
}

void print_counters(void)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "counters:");

	for (int c = 0; c < NR_UKVA_COUNTERS && n < (int)sizeof(line); c++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%u", counter_names[c], ukva_counter_total(c));
	pr_info("%s\n", line);
	ktext_print_locality();
}

/*
 * ukva_meminfo(buf, size): the address-space mode, the free frames now (so
 * that a test can prove a program gives back every frame), and what the
 * calling task and its mm cost, and lowmem in use by category.  Each
 * version appends fields: a caller gets the first size bytes.  size 0 means the first version's 24
 * bytes.  Returns 0, -EINVAL for a size too small, or -EFAULT.
 */
SYSCALL_DEFINE2(ukva_meminfo, uintptr_t, ubuf, uint32_t, size)
{
	struct ukva_cost task_cost, mm_cost = { 0 };
	struct ukva_meminfo mi = {
		.mode = ukva_mode,
		.free_pages = (uint32_t)nr_free_pages(),
		.free_lowmem_pages = (uint32_t)zone_free_pages(ZONE_NORMAL),
		.free_highmem_pages = (uint32_t)zone_free_pages(ZONE_HIGHMEM),
		.tasks = (uint32_t)nr_tasks_allocated(),
	};
	for (unsigned i = 0; i < NR_CPUS; i++)
		mi.cpus += cpus[i].online;
	ukva_task_cost(current, &task_cost);
	if (current->mm)
		ukva_mm_cost(current->mm, &mm_cost);
	mi.task_pgtable_bytes = task_cost.pgtable_bytes;
	mi.task_lowmem_bytes = task_cost.lowmem_bytes;
	mi.mm_pgtable_bytes = mm_cost.pgtable_bytes;
	mi.mm_lowmem_bytes = mm_cost.lowmem_bytes;
	struct lowmem_stats ls;
	lowmem_stats_read(&ls);
	for (int c = 0; c < NR_LOWMEM_STATS; c++)
		mi.lowmem_bytes[c] = ls.bytes[c];
	if (size == 0)
		size = UKVA_MEMINFO_V1_SIZE;
	if (size < UKVA_MEMINFO_V1_SIZE)
		return -EINVAL;
	if (size > sizeof(mi))
		size = sizeof(mi);
	return copy_to_user(ubuf, &mi, size) ? -EFAULT : 0;
}

/*
 * ukva_counters(cpu, buf, n): copy up to n counters of one CPU (cpu = -1:
 * the sum over all CPUs) into buf.  Returns the number of counters the
 * kernel has, so a caller can size its buffer; -EINVAL for a CPU that
 * does not exist, -EFAULT for a bad buffer.
 */
SYSCALL_DEFINE3(ukva_counters, int, cpu, uintptr_t, ubuf, uint32_t, n)
{
	uint32_t vals[NR_UKVA_COUNTERS];

	if (cpu < -1 || cpu >= NR_CPUS || (cpu >= 0 && !cpus[cpu].online))
		return -EINVAL;
	for (int c = 0; c < NR_UKVA_COUNTERS; c++)
		vals[c] = cpu < 0 ? ukva_counter_total(c)
				  : cpu_counter(cpu, c);
	if (n > NR_UKVA_COUNTERS)
		n = NR_UKVA_COUNTERS;
	if (copy_to_user(ubuf, vals, n * sizeof(uint32_t)))
		return -EFAULT;
	return NR_UKVA_COUNTERS;
}
