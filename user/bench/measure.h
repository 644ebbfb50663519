/*
 * Measuring for ukva_bench: clocks (rdtsc and CLOCK_MONOTONIC), repeated
 * samples with their median, this kernel's event counters, and the two
 * kinds of output: one machine-readable line per metric as it finishes,
 *
 *   BENCH {"metric":"syscall","ns":512.3,"cycles":1336,"n":20000,...}
 *
 * and a human-readable summary block at the end.  Times per operation are
 * kept in tenths of a nanosecond: printf has no %f, and x87 code would
 * buy nothing here.
 */
#ifndef USER_BENCH_MEASURE_H
#define USER_BENCH_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "ukva.h"

#define MAX_REPS 16             /* the most repetitions a series keeps */

/* One reading of both clocks and of the counters (summed over CPUs). */
struct probe {
	uint64_t tsc;
	uint64_t ns;
	uint32_t cnt[NR_UKVA_COUNTERS];
};

/* The repetitions of one measurement: cost per operation of each, and the
 * counter deltas summed over all of them. */
struct series {
	unsigned n;                     /* operations per repetition */
	unsigned reps;
	uint64_t ns10[MAX_REPS];        /* tenths of a nanosecond per op */
	uint64_t cycles10[MAX_REPS];    /* tenths of a TSC tick per op */
	uint64_t delta[NR_UKVA_COUNTERS];
};

/* A metric being reported: its JSON line and its summary line. */
struct report {
	char json[1024];
	int jlen;
	char human[256];
	int hlen;
};

/* Reads ukva_meminfo once: true when running on this kernel (its mode in
 * *mi), false on Linux (-ENOSYS). */
bool bench_detect(struct ukva_meminfo *mi);
/* True when running on this kernel (after bench_detect). */
bool on_ukva(void);

/* Reads the TSC. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/* Starts a series of n operations per repetition. */
void series_init(struct series *s, unsigned n);
/* Counters, then clocks: the start of one repetition. */
void probe_start(struct probe *p);
/* Clocks, then counters: ends the repetition begun with p, adds it to s. */
void probe_stop(const struct probe *p, struct series *s);
/* Operations counted over all repetitions of s. */
uint64_t series_ops(const struct series *s);

/* Begins the report of metric (JSON key) shown as label in the summary. */
void report_begin(struct report *r, const char *metric, const char *label);
/* Adds s's median, minimum and maximum time per op, every repetition's
 * time (ns_samples) and its size. */
void report_time(struct report *r, const struct series *s);
/* Adds key = num * scale / den with one decimal (null when den is 0). */
void report_ratio(struct report *r, const char *key, uint64_t num,
		  uint64_t den, unsigned scale);
/* Adds an integer. */
void report_int(struct report *r, const char *key, long long v);
/* Adds a string (no escaping: callers pass plain words). */
void report_str(struct report *r, const char *key, const char *v);
/* Adds s's raw counter deltas as "delta":{...} (JSON only, this kernel only). */
void report_counters(struct report *r, const struct series *s);
/* Prints the BENCH line and keeps the summary line for summary_print. */
void report_end(struct report *r);
/* Prints a metric that could not be measured here, with the reason. */
void report_skip(const char *metric, const char *label, const char *why);
/* Prints the summary block of every metric reported so far. */
void summary_print(void);

#endif
