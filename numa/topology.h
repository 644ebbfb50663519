/*
 * NUMA topology: nodes, the node of each CPU, the node of each physical
 * range, and the distances between nodes, built from a parsed SRAT (and
 * SLIT) and checked against the MADT and the memory map.  Pure logic,
 * host-tested (tests/host/srat_test.c); numa/numa.c applies the result.
 *
 * Node numbers are dense, 0 .. nr_nodes-1, in increasing proximity-domain
 * order, so node 0 is the domain QEMU calls node 0 and holds the kernel.
 */
#ifndef NUMA_TOPOLOGY_H
#define NUMA_TOPOLOGY_H

#include <stdint.h>
#include "mm/range.h"
#include "numa/node.h"
#include "numa/srat.h"

#define NUMA_MAX_RANGES         SRAT_MAX_MEMS

struct numa_range {
	uint64_t start, end;            /* [start, end), as the SRAT gives it */
	unsigned node;
};

struct numa_topology {
	unsigned nr_nodes;
	uint32_t node_pxm[MAX_NUMNODES];        /* the proximity domain of each node */
	unsigned nr_cpus;
	uint8_t cpu_node[MADT_MAX_CPUS];        /* by MADT order (= CPU number) */
	unsigned nr_ranges;
	struct numa_range ranges[NUMA_MAX_RANGES]; /* sorted by start, disjoint */
	uint8_t distance[MAX_NUMNODES][MAX_NUMNODES];
	uint64_t culprit;               /* after a failed build: the APIC ID, domain or address */
};

/* One node holding every CPU and all memory: the fallback. */
void numa_topology_single(struct numa_topology *t, unsigned nr_cpus);

/*
 * Build *t from a parsed SRAT, an optional SLIT (NULL: 10 local, 20
 * remote), the MADT's CPUs (apic_ids[0..nr_cpus)) and the RAM.  Returns
 * NULL, or what disagrees (t->culprit names the item), in which case *t
 * must not be used.
 */
const char *numa_topology_build(struct numa_topology *t, const struct srat_info *srat,
				const struct acpi_slit *slit, const uint8_t *apic_ids,
				unsigned nr_cpus, const struct range_set *ram);

/* The node holding physical address addr, or -1 when no range holds it. */
int numa_topology_node_of(const struct numa_topology *t, uint64_t addr);

#endif
