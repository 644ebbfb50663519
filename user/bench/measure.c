/* Measuring for ukva_bench: clocks, samples, counters and output. */
#include "measure.h"

#include <stdarg.h>

#include "printf.h"
#include "string.h"
#include "syscall.h"

#define MAX_METRICS 24

static bool ukva;
static char summary[MAX_METRICS][256];
static int nr_summary;

/* Reads ukva_meminfo once: true when running on this kernel (its mode in
 * *mi), false on Linux (-ENOSYS). */
bool bench_detect(struct ukva_meminfo *mi)
{
	ukva = sys_ukva_meminfo(mi) == 0;
	return ukva;
}

/* True when running on this kernel (after bench_detect). */
bool on_ukva(void)
{
	return ukva;
}

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Starts a series of n operations per repetition. */
void series_init(struct series *s, unsigned n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
}

/* Counters, then clocks: the start of one repetition. */
void probe_start(struct probe *p)
{
	if (ukva)
		sys_ukva_counters(-1, p->cnt, NR_UKVA_COUNTERS);
	p->ns = now_ns();
	p->tsc = rdtsc();
}

/* Clocks, then counters: ends the repetition begun with p, adds it to s. */
void probe_stop(const struct probe *p, struct series *s)
{
	uint64_t tsc = rdtsc(), ns = now_ns();
	uint32_t cnt[NR_UKVA_COUNTERS];

	if (s->reps == MAX_REPS)
		return;
	s->ns10[s->reps] = (ns - p->ns) * 10 / s->n;
	s->cycles10[s->reps] = (tsc - p->tsc) * 10 / s->n;
	s->reps++;
	if (!ukva)
		return;
	sys_ukva_counters(-1, cnt, NR_UKVA_COUNTERS);
	for (int c = 0; c < NR_UKVA_COUNTERS; c++)
		s->delta[c] += (uint32_t)(cnt[c] - p->cnt[c]);  /* wraps */
}

/* Operations counted over all repetitions of s. */
uint64_t series_ops(const struct series *s)
{
	return (uint64_t)s->n * s->reps;
}

/* Sorts v[0..n) in place (n is small). */
static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The median of v[0..n), n >= 1, which it sorts. */
static uint64_t median(uint64_t *v, unsigned n)
{
	sort_u64(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Appends to the JSON line. */
__attribute__((format(printf, 2, 3)))
static void json_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	int room = (int)sizeof(r->json) - r->jlen;

	va_start(ap, fmt);
	if (room > 0)
		r->jlen += vsnprintf(r->json + r->jlen, (size_t)room, fmt, ap);
	va_end(ap);
}

/* Appends to the summary line. */
__attribute__((format(printf, 2, 3)))
static void human_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	int room = (int)sizeof(r->human) - r->hlen;

	va_start(ap, fmt);
	if (room > 0)
		r->hlen += vsnprintf(r->human + r->hlen, (size_t)room, fmt, ap);
	va_end(ap);
}

/* Formats tenths as "12.3" into buf (24 bytes); returns buf. */
static const char *tenths(char *buf, uint64_t x10)
{
	snprintf(buf, 24, "%llu.%llu", (unsigned long long)(x10 / 10),
		 (unsigned long long)(x10 % 10));
	return buf;
}

/* Begins the report of metric (JSON key) shown as label in the summary. */
void report_begin(struct report *r, const char *metric, const char *label)
{
	r->jlen = r->hlen = 0;
	json_add(r, "{\"metric\":\"%s\"", metric);
	human_add(r, "%-30s", label);
}

/* Adds s's median, minimum and maximum time per op, every repetition's
 * time (ns_samples) and its size. */
void report_time(struct report *r, const struct series *s)
{
	uint64_t ns[MAX_REPS], cyc[MAX_REPS];
	char a[24], b[24], c[24], d[24];
	uint64_t med_ns, med_cyc;

	if (s->reps == 0)
		return;
	/* Every repetition, in the order measured: the spread make run reports. */
	json_add(r, ",\"ns_samples\":[");
	for (unsigned i = 0; i < s->reps; i++)
		json_add(r, "%s%s", i ? "," : "", tenths(a, s->ns10[i]));
	json_add(r, "]");
	memcpy(ns, s->ns10, sizeof(ns));
	memcpy(cyc, s->cycles10, sizeof(cyc));
	med_ns = median(ns, s->reps);       /* sorts ns: min first, max last */
	med_cyc = median(cyc, s->reps);
	json_add(r, ",\"ns\":%s,\"cycles\":%s,\"ns_min\":%s,\"ns_max\":%s,"
		 "\"n\":%u,\"reps\":%u", tenths(a, med_ns), tenths(b, med_cyc),
		 tenths(c, ns[0]), tenths(d, ns[s->reps - 1]), s->n, s->reps);
	human_add(r, " %10s ns %10llu cycles  (%s..%s ns, %ux%u)", a,
		  (unsigned long long)((med_cyc + 5) / 10), c, d, s->reps, s->n);
}

/* Adds key = num * scale / den with one decimal (null when den is 0). */
void report_ratio(struct report *r, const char *key, uint64_t num,
		  uint64_t den, unsigned scale)
{
	char buf[24];

	if (den == 0) {
		json_add(r, ",\"%s\":null", key);
		human_add(r, " %s=n/a", key);
		return;
	}
	tenths(buf, (num * scale * 10 + den / 2) / den);
	json_add(r, ",\"%s\":%s", key, buf);
	human_add(r, " %s=%s", key, buf);
}

/* Adds an integer. */
void report_int(struct report *r, const char *key, long long v)
{
	json_add(r, ",\"%s\":%lld", key, v);
	human_add(r, " %s=%lld", key, v);
}

/* Adds a string (no escaping: callers pass plain words). */
void report_str(struct report *r, const char *key, const char *v)
{
	json_add(r, ",\"%s\":\"%s\"", key, v);
	human_add(r, " %s=%s", key, v);
}

/* Adds s's raw counter deltas as "delta":{...} (JSON only, this kernel only). */
void report_counters(struct report *r, const struct series *s)
{
	if (!ukva)
		return;
	json_add(r, ",\"delta\":{");
	for (int c = 0; c < NR_UKVA_COUNTERS; c++)
		json_add(r, "%s\"%s\":%llu", c ? "," : "",
			 ukva_counter_name((enum ukva_counter)c),
			 (unsigned long long)s->delta[c]);
	json_add(r, "}");
}

/* Prints the BENCH line and keeps the summary line for summary_print. */
void report_end(struct report *r)
{
	json_add(r, "}");
	printf("BENCH %s\n", r->json);
	if (nr_summary < MAX_METRICS)
		memcpy(summary[nr_summary++], r->human, sizeof(r->human));
}

/* Prints a metric that could not be measured here, with the reason. */
void report_skip(const char *metric, const char *label, const char *why)
{
	struct report r;

	report_begin(&r, metric, label);
	report_str(&r, "skip", why);
	report_end(&r);
}

/* Prints the summary block of every metric reported so far. */
void summary_print(void)
{
	for (int i = 0; i < nr_summary; i++)
		printf("  %s\n", summary[i]);
}
