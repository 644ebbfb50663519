/* The profile= histogram, a reader of the timer's EIP samples (profile.h). */
#include "kernel/profile.h"
#include "kernel/sample.h"
#include "kernel/ksyms.h"
#include "kernel/bootparam.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/compiler.h"
#include "mm/page_alloc.h"
#include "arch/i386/percpu.h"

#define USER_SLOTS      64      /* user pages remembered per CPU */
#define USER_PROBES     8       /* slots tried before a sample counts as "other" */
#define TOP_KERNEL      12      /* lines printed per CPU at power-off */
#define TOP_USER        4

struct cpu_profile {
	struct ukva_profile_totals t;
	struct ukva_profile_entry pages[USER_SLOTS];         /* addr 0: free slot */
};

static struct cpu_profile cpu_prof[NR_CPUS];    /* each written only by its CPU */
static uint32_t *kernel_hits;                   /* [NR_CPUS][ksym_count()] */
static bool requested;                          /* profile= on the command line */

static uint32_t *hits_row(unsigned cpu)
{
	return kernel_hits + cpu * ksym_count();
}

/*
 * The slot of the user page holding eip, claimed if free; NULL when its
 * USER_PROBES slots belong to other pages.  A slot's addr has bit 0 set,
 * so that 0 can mark a free slot (page 0 is a page too).
 */
static struct ukva_profile_entry *user_slot(struct cpu_profile *p, uint32_t eip, bool claim)
{
	uint32_t page = (eip & ~0xfffu) | 1;

	for (unsigned i = 0, h = (eip >> 12) * 2654435761u >> 26; i < USER_PROBES; i++) {
		struct ukva_profile_entry *e = &p->pages[(h + i) % USER_SLOTS];
		if (e->addr == 0 && claim)
			e->addr = page;
		if (e->addr == page)
			return e;
	}
	return NULL;
}

/* The reader: interrupt context on cpu. */
static void profile_sample(unsigned cpu, uint32_t eip, bool user)
{
	struct cpu_profile *p = &cpu_prof[cpu];

	if (user) {
		struct ukva_profile_entry *e = user_slot(p, eip, true);
		p->t.user++;
		if (e)
			e->hits++;
		else
			p->t.user_other++;
		return;
	}
	p->t.kernel++;
	int i = ksym_index(eip);
	if (i < 0)
		p->t.kernel_other++;
	else
		hits_row(cpu)[i]++;
}

static const struct sample_reader profile_reader = { "profile", profile_sample };

int profile_start(void)
{
	if (!kernel_hits) {
		size_t bytes = NR_CPUS * ksym_count() * sizeof(uint32_t);
		unsigned order = 0;
		while ((PAGE_SIZE << order) < bytes)
			order++;
		struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
		if (!pages)
			return -ENOMEM;
		kernel_hits = page_address(pages);
	}
	sample_reader_remove(&profile_reader);  /* at most one subscription */
	return sample_reader_add(&profile_reader);
}

void profile_stop(void)
{
	sample_reader_remove(&profile_reader);
}

uint32_t profile_kernel_hits(unsigned cpu, unsigned i)
{
	return kernel_hits ? READ_ONCE(hits_row(cpu)[i]) : 0;
}

uint32_t profile_user_hits(unsigned cpu, uint32_t addr)
{
	const struct ukva_profile_entry *e = user_slot(&cpu_prof[cpu], addr, false);
	return e ? e->hits : 0;
}

void profile_read_totals(unsigned cpu, struct ukva_profile_totals *out)
{
	*out = cpu_prof[cpu].t;
	out->hz = sample_hz();
}

/* Zero every count (racing samples may survive: harmless for a histogram). */
static void profile_reset(void)
{
	if (kernel_hits)
		memset(kernel_hits, 0, NR_CPUS * ksym_count() * sizeof(uint32_t));
	memset(cpu_prof, 0, sizeof(cpu_prof));
}

/*
 * boot option profile, profile=N or profile=N,nmi: N samples per tick
 * (1 <= N <= SAMPLE_MAX_PER_TICK), from the timer or from NMIs.
 */
static int set_profile(const char *value)
{
	unsigned long long n = 1;
	char num[8] = "1";
	bool nmi = false;

	if (value) {
		const char *comma = strchr(value, ',');
		size_t len = comma ? (size_t)(comma - value) : strlen(value);
		nmi = comma && strcmp(comma + 1, "nmi") == 0;
		if ((comma && !nmi) || len == 0 || len >= sizeof(num))
			return -EINVAL;
		memcpy(num, value, len);
		num[len] = 0;
	}
	if (parse_uint(num, &n) || n > SAMPLE_MAX_PER_TICK || sample_set_source((unsigned)n, nmi))
		return -EINVAL;
	requested = true;
	return 0;
}
BOOT_PARAM("profile", set_profile, "no value, N or N,nmi: N (1-50) samples per tick, from the timer or from NMIs");

void profile_init(void)
{
	if (!requested)
		return;
	if (profile_start())
		pr_warn("profile: no memory for the histograms; profiling is off\n");
	else
		pr_info("profile: sampling every CPU at %u Hz\n", sample_hz());
}

/* Insert (key, val) into the descending top list of n entries. */
static void top_insert(struct ukva_profile_entry *top, unsigned n, uint32_t key, uint32_t val)
{
	if (val == 0 || val <= top[n - 1].hits)
		return;
	unsigned i = n - 1;
	for (; i > 0 && top[i - 1].hits < val; i--)
		top[i] = top[i - 1];
	top[i] = (struct ukva_profile_entry){ key, val };
}

static void print_line(unsigned cpu, const char *mode, uint32_t hits, uint32_t total, const char *what)
{
	unsigned permille = (unsigned)((uint64_t)hits * 1000 / total);
	pr_info("profile: cpu%u %-6s %7u %3u.%u%%  %s\n", cpu, mode, hits,
		permille / 10, permille % 10, what);
}

static void print_cpu(unsigned cpu)
{
	const struct cpu_profile *p = &cpu_prof[cpu];
	uint32_t total = p->t.kernel + p->t.user;
	struct ukva_profile_entry top[TOP_KERNEL] = { 0 };
	char page[32];

	pr_info("profile: cpu%u: %u samples at %u Hz: kernel %u (%u outside text), user %u\n",
		cpu, total, sample_hz(), p->t.kernel, p->t.kernel_other, p->t.user);
	for (unsigned i = 0; i < ksym_count(); i++)
		top_insert(top, TOP_KERNEL, i, hits_row(cpu)[i]);
	for (unsigned k = 0; k < TOP_KERNEL && top[k].hits; k++)
		print_line(cpu, "kernel", top[k].hits, total, ksym_name(top[k].addr));
	memset(top, 0, sizeof(top));
	for (unsigned i = 0; i < USER_SLOTS; i++)
		top_insert(top, TOP_USER, p->pages[i].addr & ~1u, p->pages[i].hits);
	for (unsigned k = 0; k < TOP_USER && top[k].hits; k++) {
		snprintf(page, sizeof(page), "page 0x%08x", top[k].addr);
		print_line(cpu, "user", top[k].hits, total, page);
	}
}

void profile_print(void)
{
	if (!kernel_hits)
		return;
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_prof[cpu].t.kernel + cpu_prof[cpu].t.user)
			print_cpu(cpu);
}

/* Copy the nonzero entries of one CPU (or all, cpu < 0) to ubuf, at most n; returns how many exist. */
static long copy_entries(int cpu, bool user, uintptr_t ubuf, uint32_t n)
{
	unsigned first = cpu < 0 ? 0 : (unsigned)cpu, last = cpu < 0 ? NR_CPUS - 1 : (unsigned)cpu;
	unsigned slots = user ? USER_SLOTS : ksym_count();
	long found = 0;

	for (unsigned i = 0; i < slots; i++) {
		for (unsigned c = first; c <= last; c++) {
			struct ukva_profile_entry e = { 0, 0 };
			if (user) {
				e = cpu_prof[c].pages[i];
				e.addr &= ~1u;
			} else {
				e = (struct ukva_profile_entry){ ksym_addr(i), hits_row(c)[i] };
			}
			if (!e.hits)
				continue;
			if ((uint32_t)found < n &&
			    copy_to_user(ubuf + found * sizeof(e), &e, sizeof(e)))
				return -EFAULT;
			found++;
		}
	}
	return found;
}

/*
 * ukva_profile(op, cpu, buf, n): op UKVA_PROFILE_TOTALS fills one struct
 * profile_totals; UKVA_PROFILE_KERNEL and UKVA_PROFILE_USER copy up to n entries
 * and return how many there are; UKVA_PROFILE_RESET zeroes everything.  cpu -1
 * means every CPU (totals summed; an entry per CPU that hit it).
 * Returns -ENOENT when the profiler never ran, -EINVAL for a bad op or
 * CPU, -EFAULT for a bad buffer.
 */
SYSCALL_DEFINE4(ukva_profile, int, op, int, cpu, uintptr_t, ubuf, uint32_t, n)
{
	if (!kernel_hits)
		return -ENOENT;
	if (cpu < -1 || cpu >= NR_CPUS || (cpu >= 0 && !cpus[cpu].online))
		return -EINVAL;
	switch (op) {
	case UKVA_PROFILE_TOTALS: {
		struct ukva_profile_totals sum = { 0 }, one;
		for (unsigned c = 0; c < NR_CPUS; c++) {
			if (cpu >= 0 && c != (unsigned)cpu)
				continue;
			profile_read_totals(c, &one);
			sum.kernel += one.kernel;
			sum.kernel_other += one.kernel_other;
			sum.user += one.user;
			sum.user_other += one.user_other;
		}
		sum.hz = sample_hz();
		return copy_to_user(ubuf, &sum, sizeof(sum)) ? -EFAULT : 0;
	}
	case UKVA_PROFILE_KERNEL:
	case UKVA_PROFILE_USER:
		return copy_entries(cpu, op == UKVA_PROFILE_USER, ubuf, n);
	case UKVA_PROFILE_RESET:
		profile_reset();
		return 0;
	}
	return -EINVAL;
}
