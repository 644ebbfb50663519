/*
 * NUMA discovery and the node tables (numa.h, node.h).  The parsing and the
 * checks are pure (srat.c, topology.c); this file finds the tables, applies
 * the topology to the frames and the allocator, and reports.
 */
#include "numa/numa.h"
#include "numa/topology.h"
#include "arch/i386/acpi.h"
#include "arch/i386/percpu.h"
#include "kernel/bootparam.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/kmalloc.h"
#include "mm/memblock.h"
#include "mm/zone.h"

_Static_assert(MADT_MAX_CPUS >= NR_CPUS, "every CPU number has a node");

unsigned nr_nodes = 1;
uint8_t cpu_node_map[NR_CPUS];
uint8_t node_distance_map[MAX_NUMNODES][MAX_NUMNODES] = { { SLIT_LOCAL_DISTANCE } };
uint8_t node_fallback[MAX_NUMNODES][MAX_NUMNODES];

static struct numa_topology topo;
static struct srat_info srat_info;
static bool have_slit;
static bool corrupt_srat;

static int set_numa_test(const char *v)
{
	if (!v || strcmp(v, "corrupt-srat") != 0)
		return -EINVAL;
	corrupt_srat = true;
	return 0;
}
BOOT_PARAM("numa_test", set_numa_test, "corrupt-srat: check a corrupted copy of the SRAT");

unsigned numa_node_id(void)
{
	return cpu_node_map[this_cpu()->id];
}

/*
 * The SRAT to parse: the checked firmware copy, or with numa_test=
 * corrupt-srat a copy with one entry byte flipped, checked again.  NULL
 * (reported) when there is none or it fails its checks.
 */
static const struct acpi_srat *srat_to_parse(void)
{
	const struct acpi_table_header *h = acpi_find_table(ACPI_SIG_SRAT);

	if (!h) {
		pr_warn("numa: no usable SRAT (see above if refused): one node\n");
		return NULL;
	}
	if (!corrupt_srat)
		return (const struct acpi_srat *)h;
	struct acpi_table_header *copy = kmalloc(h->length, GFP_KERNEL);
	if (!copy)
		return NULL;
	memcpy(copy, h, h->length);
	((uint8_t *)copy)[h->length - 1] ^= 0x5A;   /* inside the last entry */
	const char *why = acpi_table_check(copy, h->length, ACPI_SIG_SRAT);
	if (why) {
		pr_warn("numa: SRAT (a copy corrupted by numa_test=corrupt-srat) refused: %s: one node\n",
			why);
		kfree(copy);
		return NULL;
	}
	return (const struct acpi_srat *)copy;  /* kept for good, as acpi's copies */
}

/* Build topo from the tables; false (reported) to run as one node. */
static bool read_topology(void)
{
	const struct madt_info *madt = acpi_madt();
	const struct acpi_srat *srat;
	const char *why;

	if (!madt) {
		pr_info("numa: no usable MADT: one node\n");
		return false;
	}
	if (!(srat = srat_to_parse()))
		return false;
	if ((why = acpi_parse_srat(srat, &srat_info))) {
		pr_warn("numa: SRAT malformed: %s: one node\n", why);
		return false;
	}
	const struct acpi_table_header *slit = acpi_find_table(ACPI_SIG_SLIT);
	have_slit = slit != NULL;
	why = numa_topology_build(&topo, &srat_info, (const struct acpi_slit *)slit,
				  madt->apic_ids, madt->nr_cpus, &memblock.ram);
	if (why) {
		pr_warn("numa: SRAT disagrees with the MADT or the memory map: %s 0x%llx: one node\n",
			why, topo.culprit);
		return false;
	}
	return true;
}

/* node_fallback[n]: every node, nearest to n first (ties: lower number). */
static void build_fallback_orders(void)
{
	for (unsigned n = 0; n < nr_nodes; n++) {
		uint8_t *order = node_fallback[n];
		for (unsigned i = 0; i < nr_nodes; i++) {
			unsigned j = i;
			while (j > 0 && node_distance(n, order[j - 1]) > node_distance(n, i)) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = (uint8_t)i;
		}
	}
}

/* Publish topo: node tables, every frame's node, per-node free lists. */
static void apply_topology(void)
{
	nr_nodes = topo.nr_nodes;
	for (unsigned c = 0; c < NR_CPUS && c < topo.nr_cpus; c++)
		cpu_node_map[c] = topo.cpu_node[c];
	memcpy(node_distance_map, topo.distance, sizeof(node_distance_map));
	build_fallback_orders();
	for (unsigned i = 0; i < topo.nr_ranges; i++) {
		const struct numa_range *r = &topo.ranges[i];
		uint64_t end_pfn = r->end >> PAGE_SHIFT;
		for (uint64_t pfn = r->start >> PAGE_SHIFT; pfn < end_pfn && pfn < max_pfn; pfn++)
			set_page_node(pfn_to_page((pfn_t)pfn), r->node);
	}
	zones_sort_free_by_node();
}

void numa_init(void)
{
	if (read_topology())
		apply_topology();
	else
		numa_topology_single(&topo, 0);
	numa_report();
}

static unsigned long long kib(unsigned long pages)
{
	return (unsigned long long)pages * (PAGE_SIZE / 1024);
}

/* One node's lines: its CPUs and ranges, then RAM and free memory per zone. */
static void report_node(unsigned n)
{
	char buf[160];
	int len = 0;

	for (unsigned c = 0; c < NR_CPUS && c < topo.nr_cpus; c++)
		if (cpu_node_map[c] == n)
			len += snprintf(buf + len, sizeof(buf) - len, " %u", c);
	if (nr_nodes == 1)
		pr_info("numa: node 0: all CPUs\n");
	else
		pr_info("numa: node %u (domain %u): CPUs%s\n", n, topo.node_pxm[n],
			len ? buf : " none");
	for (unsigned i = 0; i < topo.nr_ranges; i++)
		if (topo.ranges[i].node == n && nr_nodes > 1)
			pr_info("numa: node %u: [0x%09llx-0x%09llx)\n", n,
				topo.ranges[i].start, topo.ranges[i].end);
	for (int z = 0; z < NR_ZONES; z++)
		pr_info("numa: node %u: zone %-7s managed %llu KiB, free %llu KiB\n", n,
			zone_name(z), kib(zone_node_managed_pages(z, n)),
			kib(zone_node_free_pages(z, n)));
}

void numa_report(void)
{
	char buf[64];

	pr_info("numa: %u node%s%s\n", nr_nodes, nr_nodes == 1 ? "" : "s",
		nr_nodes == 1 ? "" : have_slit ? " (SRAT, SLIT distances)"
					       : " (SRAT; no SLIT: distances 10 and 20)");
	if (srat_info.nr_ignored)
		pr_info("numa: SRAT: %u disabled, hot-pluggable or x2APIC-only entries ignored\n",
			srat_info.nr_ignored);
	for (unsigned n = 0; n < nr_nodes; n++)
		report_node(n);
	for (unsigned a = 0; a < nr_nodes; a++) {
		int len = 0;
		for (unsigned b = 0; b < nr_nodes; b++)
			len += snprintf(buf + len, sizeof(buf) - len, " %u", node_distance(a, b));
		pr_info("numa: distances from node %u:%s\n", a, buf);
	}
}
