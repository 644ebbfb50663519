/*
 * ACPI SRAT and SLIT formats and their pure parsing: which CPUs and which
 * physical ranges belong to which proximity domain, and how far apart the
 * domains are.  Nothing here touches hardware: the functions read checked
 * copies (arch/i386/acpi.c's acpi_find_table), so the same code runs in
 * the host unit tests (tests/host/srat_test.c).
 *
 * References: ACPI 6.5, 5.2.16 (SRAT: 5.2.16.1 processor local APIC
 * affinity, 5.2.16.2 memory affinity, 5.2.16.3 processor x2APIC affinity)
 * and 5.2.17 (SLIT).
 */
#ifndef NUMA_SRAT_H
#define NUMA_SRAT_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/i386/acpi_tables.h"

#define ACPI_SIG_SRAT           "SRAT"
#define ACPI_SIG_SLIT           "SLIT"

/* SRAT: the header, two reserved fields, then typed entries. */
struct acpi_srat {
	struct acpi_table_header header;
	uint32_t table_revision;        /* reserved, 1 */
	uint64_t reserved;
} __attribute__((packed));

enum {
	ACPI_SRAT_CPU_AFFINITY          = 0,    /* 5.2.16.1, 16 bytes */
	ACPI_SRAT_MEM_AFFINITY          = 1,    /* 5.2.16.2, 40 bytes */
	ACPI_SRAT_X2APIC_AFFINITY       = 2,    /* 5.2.16.3, 24 bytes */
};

struct acpi_srat_cpu_affinity {
	uint8_t type, length;
	uint8_t proximity_lo;           /* bits 7:0 of the domain */
	uint8_t apic_id;
	uint32_t flags;                 /* ACPI_SRAT_ENABLED */
	uint8_t local_sapic_eid;
	uint8_t proximity_hi[3];        /* bits 31:8 of the domain */
	uint32_t clock_domain;
} __attribute__((packed));

struct acpi_srat_mem_affinity {
	uint8_t type, length;
	uint32_t proximity;
	uint16_t reserved1;
	uint64_t base;
	uint64_t length_bytes;
	uint32_t reserved2;
	uint32_t flags;                 /* ACPI_SRAT_ENABLED, _HOTPLUG, _NONVOLATILE */
	uint64_t reserved3;
} __attribute__((packed));

struct acpi_srat_x2apic_affinity {
	uint8_t type, length;
	uint16_t reserved1;
	uint32_t proximity;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t clock_domain;
	uint32_t reserved2;
} __attribute__((packed));

#define ACPI_SRAT_ENABLED       (1u << 0)   /* ignore the entry when clear */
#define ACPI_SRAT_HOTPLUG       (1u << 1)   /* memory: may come later; we ignore it */

/* SLIT: the header, the number of localities N, then N x N bytes. */
struct acpi_slit {
	struct acpi_table_header header;
	uint64_t localities;
	uint8_t entry[];                /* entry[i * N + j]: distance from i to j */
} __attribute__((packed));

#define SLIT_LOCAL_DISTANCE     10      /* the diagonal, by definition */
#define SLIT_REMOTE_DISTANCE    20      /* what we assume without a SLIT */

/* What the kernel keeps of a SRAT. */
#define SRAT_MAX_CPUS           64
#define SRAT_MAX_MEMS           32

struct srat_cpu {
	uint32_t apic_id;
	uint32_t pxm;                   /* proximity domain */
};

struct srat_mem {
	uint64_t start, end;            /* [start, end) */
	uint32_t pxm;
};

struct srat_info {
	unsigned nr_cpus;
	struct srat_cpu cpus[SRAT_MAX_CPUS];
	unsigned nr_mems;
	struct srat_mem mems[SRAT_MAX_MEMS];
	unsigned nr_ignored;            /* disabled, hot-pluggable or x2APIC-only entries */
};

/*
 * Walk a checked SRAT into *info, keeping enabled CPU entries and enabled,
 * not hot-pluggable memory entries.  Returns NULL, or what is malformed
 * (a short or overlong entry, more entries than we keep, an empty or
 * wrapping range), in which case *info must not be used.
 */
const char *acpi_parse_srat(const struct acpi_srat *srat, struct srat_info *info);

/*
 * Check a checked SLIT: its size is exactly N x N bytes after the fixed
 * fields, every diagonal entry is 10 and every other one above 10.
 * Returns NULL with *n = N, or what is wrong.
 */
const char *acpi_check_slit(const struct acpi_slit *slit, unsigned *n);

/* The SLIT distance from locality i to j (both below N; checked table). */
static inline uint8_t slit_distance(const struct acpi_slit *slit, unsigned i, unsigned j)
{
	return slit->entry[(uint64_t)i * slit->localities + j];
}

#endif
