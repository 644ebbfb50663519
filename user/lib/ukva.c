#include "ukva.h"
#include "syscall.h"

long sys_ukva_meminfo(struct ukva_meminfo *mi)
{
	return raw_syscall(__NR_ukva_meminfo, (long)mi, (long)sizeof(*mi), 0, 0, 0, 0);
}

long sys_ukva_textwalk(struct ukva_textwalk *w)
{
	return raw_syscall(__NR_ukva_textwalk, (long)w, UKVA_NR_CPUS, 0, 0, 0, 0);
}

long sys_ukva_counters(int cpu, uint32_t *buf, unsigned n)
{
	return raw_syscall(__NR_ukva_counters, cpu, (long)buf, (long)n, 0, 0, 0);
}

long sys_ukva_profile(enum ukva_profile_op op, int cpu, void *buf, unsigned n)
{
	return raw_syscall(__NR_ukva_profile, op, cpu, (long)buf, (long)n, 0, 0);
}

const char *ukva_counter_name(enum ukva_counter c)
{
#define UKVA_COUNTER_NAME(id, name) name,
	static const char *const names[NR_UKVA_COUNTERS] = { UKVA_COUNTERS(UKVA_COUNTER_NAME) };
#undef UKVA_COUNTER_NAME
	return (unsigned)c < NR_UKVA_COUNTERS ? names[c] : "?";
}

long sys_ukva_private_touch(unsigned pages)
{
	return raw_syscall(__NR_ukva_private_touch, (long)pages, 0, 0, 0, 0, 0);
}
