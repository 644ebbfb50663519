/*
 * Building the NUMA topology from the SRAT and SLIT (topology.h).  Every
 * check that fails leaves the caller to fall back to one node.
 */
#include "numa/topology.h"

void numa_topology_single(struct numa_topology *t, unsigned nr_cpus)
{
	*t = (struct numa_topology){
		.nr_nodes = 1, .nr_cpus = nr_cpus, .nr_ranges = 1,
		.ranges = { { .start = 0, .end = UINT64_MAX, .node = 0 } },
		.distance = { { SLIT_LOCAL_DISTANCE } },
	};
}

/* Add domain pxm to the set of nodes (kept sorted); false when there are too many. */
static bool add_pxm(struct numa_topology *t, uint32_t pxm)
{
	unsigned i = 0;

	while (i < t->nr_nodes && t->node_pxm[i] < pxm)
		i++;
	if (i < t->nr_nodes && t->node_pxm[i] == pxm)
		return true;
	if (t->nr_nodes == MAX_NUMNODES)
		return false;
	for (unsigned j = t->nr_nodes; j > i; j--)
		t->node_pxm[j] = t->node_pxm[j - 1];
	t->node_pxm[i] = pxm;
	t->nr_nodes++;
	return true;
}

static unsigned pxm_to_node(const struct numa_topology *t, uint32_t pxm)
{
	unsigned i = 0;

	while (t->node_pxm[i] != pxm)
		i++;
	return i;
}

/* The domain of the SRAT CPU entry with this APIC ID, or -1. */
static int64_t srat_cpu_pxm(const struct srat_info *srat, uint32_t apic_id)
{
	for (unsigned i = 0; i < srat->nr_cpus; i++)
		if (srat->cpus[i].apic_id == apic_id)
			return srat->cpus[i].pxm;
	return -1;
}

/* Fail with culprit c. */
static const char *fail(struct numa_topology *t, const char *why, uint64_t c)
{
	t->culprit = c;
	return why;
}

/* The domains that own CPUs or RAM become nodes; the MADT's CPUs get theirs. */
static const char *collect_nodes(struct numa_topology *t, const struct srat_info *srat,
				 const uint8_t *apic_ids, const struct range_set *ram)
{
	for (unsigned i = 0; i < t->nr_cpus; i++) {
		int64_t pxm = srat_cpu_pxm(srat, apic_ids[i]);
		if (pxm < 0)
			return fail(t, "a CPU of the MADT is not in the SRAT (APIC ID)", apic_ids[i]);
		if (!add_pxm(t, (uint32_t)pxm))
			return fail(t, "more proximity domains than MAX_NUMNODES", pxm);
	}
	for (unsigned i = 0; i < srat->nr_mems; i++) {
		const struct srat_mem *m = &srat->mems[i];
		if (range_set_bytes_in(ram, m->start, m->end) && !add_pxm(t, m->pxm))
			return fail(t, "more proximity domains than MAX_NUMNODES", m->pxm);
	}
	for (unsigned i = 0; i < t->nr_cpus; i++)
		t->cpu_node[i] = (uint8_t)pxm_to_node(t, (uint32_t)srat_cpu_pxm(srat, apic_ids[i]));
	return NULL;
}

/* The SRAT's memory ranges that hold RAM, sorted; they must not overlap. */
static const char *collect_ranges(struct numa_topology *t, const struct srat_info *srat,
				  const struct range_set *ram)
{
	for (unsigned i = 0; i < srat->nr_mems; i++) {
		const struct srat_mem *m = &srat->mems[i];
		if (!range_set_bytes_in(ram, m->start, m->end))
			continue;               /* a hole, or beyond what we address */
		unsigned j = t->nr_ranges;
		while (j > 0 && t->ranges[j - 1].start > m->start) {
			t->ranges[j] = t->ranges[j - 1];
			j--;
		}
		t->ranges[j] = (struct numa_range){ m->start, m->end, pxm_to_node(t, m->pxm) };
		t->nr_ranges++;
	}
	for (unsigned i = 1; i < t->nr_ranges; i++)
		if (t->ranges[i].start < t->ranges[i - 1].end)
			return fail(t, "two SRAT memory ranges overlap (at address)", t->ranges[i].start);
	return NULL;
}

/* Every byte of RAM must lie in some SRAT range, and every node with CPUs must have RAM. */
static const char *check_coverage(struct numa_topology *t, const struct range_set *ram)
{
	struct range_set srat_ram = { 0 };
	uint64_t node_ram[MAX_NUMNODES] = { 0 };

	for (unsigned i = 0; i < t->nr_ranges; i++) {
		const struct numa_range *r = &t->ranges[i];
		range_set_add(&srat_ram, r->start, r->end);
		node_ram[r->node] += range_set_bytes_in(ram, r->start, r->end);
	}
	for (unsigned i = 0; i < ram->nr; i++)
		if (!range_set_contains(&srat_ram, ram->r[i].start, ram->r[i].end))
			return fail(t, "RAM outside every SRAT memory range (range at)", ram->r[i].start);
	for (unsigned n = 0; n < t->nr_nodes; n++)
		if (!node_ram[n])
			return fail(t, "a proximity domain has CPUs but no RAM", t->node_pxm[n]);
	return NULL;
}

/* Distances from the SLIT, by domain, or 10/20 without one. */
static const char *fill_distances(struct numa_topology *t, const struct acpi_slit *slit)
{
	unsigned nr = 0;

	if (slit) {
		const char *why = acpi_check_slit(slit, &nr);
		if (why)
			return fail(t, why, 0);
	}
	for (unsigned a = 0; a < t->nr_nodes; a++)
		for (unsigned b = 0; b < t->nr_nodes; b++) {
			if (!slit) {
				t->distance[a][b] = a == b ? SLIT_LOCAL_DISTANCE : SLIT_REMOTE_DISTANCE;
				continue;
			}
			if (t->node_pxm[a] >= nr || t->node_pxm[b] >= nr)
				return fail(t, "a proximity domain is beyond the SLIT", t->node_pxm[a]);
			t->distance[a][b] = slit_distance(slit, t->node_pxm[a], t->node_pxm[b]);
		}
	return NULL;
}

const char *numa_topology_build(struct numa_topology *t, const struct srat_info *srat,
				const struct acpi_slit *slit, const uint8_t *apic_ids,
				unsigned nr_cpus, const struct range_set *ram)
{
	const char *why;

	*t = (struct numa_topology){ .nr_cpus = nr_cpus };
	if (nr_cpus > MADT_MAX_CPUS)
		return fail(t, "more CPUs than the kernel keeps", nr_cpus);
	if ((why = collect_nodes(t, srat, apic_ids, ram)) ||
	    (why = collect_ranges(t, srat, ram)) ||
	    (why = check_coverage(t, ram)))
		return why;
	return fill_distances(t, slit);
}

int numa_topology_node_of(const struct numa_topology *t, uint64_t addr)
{
	for (unsigned i = 0; i < t->nr_ranges; i++)
		if (addr >= t->ranges[i].start && addr < t->ranges[i].end)
			return (int)t->ranges[i].node;
	return -1;
}
