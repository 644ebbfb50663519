/*
 * The kernel's profile of each benchmark, when the kernel was booted with
 * profile= (make profile): the histogram is reset before a benchmark and
 * its top kernel functions printed after it, as a line
 *
 *   PROFILE {"bench":"page_fault","hz":2000,"kernel":812,"user":95,"top":[["c0104a30",301],...]}
 *
 * with function start addresses, which scripts/profile.py names from
 * build/kernel.sym, as readprofile did with System.map.  Elsewhere
 * (Linux, or no profile=) nothing is printed.
 */
#include <stdint.h>

#include "bench.h"
#include "printf.h"
#include "ukva.h"

#define MAX_ENTRIES     2048    /* functions hit, over all CPUs */
#define TOP             15

static struct ukva_profile_entry entries[MAX_ENTRIES];

void bench_profile_begin(void)
{
	sys_ukva_profile(UKVA_PROFILE_RESET, -1, NULL, 0);
}

/* Fold entries of one function from several CPUs into the first; returns the new count. */
static unsigned fold_cpus(unsigned n)
{
	unsigned out = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned j = 0;
		while (j < out && entries[j].addr != entries[i].addr)
			j++;
		if (j == out)
			entries[out++] = entries[i];
		else
			entries[j].hits += entries[i].hits;
	}
	return out;
}

void bench_profile_end(const char *name)
{
	struct ukva_profile_totals t;

	if (sys_ukva_profile(UKVA_PROFILE_TOTALS, -1, &t, 1) != 0)
		return;
	long n = sys_ukva_profile(UKVA_PROFILE_KERNEL, -1, entries, MAX_ENTRIES);
	if (n < 0)
		return;
	unsigned count = fold_cpus(n < MAX_ENTRIES ? (unsigned)n : MAX_ENTRIES);
	printf("PROFILE {\"bench\":\"%s\",\"hz\":%u,\"kernel\":%u,\"user\":%u,\"top\":[",
	       name, t.hz, t.kernel, t.user);
	for (unsigned k = 0; k < TOP && k < count; k++) {
		unsigned best = k;      /* selection: the next largest to position k */
		for (unsigned i = k + 1; i < count; i++)
			if (entries[i].hits > entries[best].hits)
				best = i;
		struct ukva_profile_entry e = entries[best];
		entries[best] = entries[k];
		entries[k] = e;
		printf("%s[\"%08x\",%u]", k ? "," : "", e.addr, e.hits);
	}
	printf("]}\n");
}
