/*
 * Host tests of numa/srat.c and numa/topology.c: SRAT and SLIT parsing on
 * tables built here like QEMU's (2 nodes x 2 CPUs), well-formed and
 * broken, and the topology checks against a MADT and a memory map.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "../../arch/i386/acpi_tables.c"
#include "../../mm/range.c"
#include "../../numa/srat.c"
#include "../../numa/topology.c"
#include "acpi_build.h"

#define GiB (1ULL << 30)

static struct acpi_srat_cpu_affinity cpu_entry(uint8_t apic, uint32_t pxm, uint32_t flags)
{
	return (struct acpi_srat_cpu_affinity){
		.type = 0, .length = 16, .proximity_lo = (uint8_t)pxm, .apic_id = apic,
		.flags = flags, .proximity_hi = { (uint8_t)(pxm >> 8), (uint8_t)(pxm >> 16),
						  (uint8_t)(pxm >> 24) },
	};
}

static struct acpi_srat_mem_affinity mem_entry(uint64_t base, uint64_t len, uint32_t pxm,
					       uint32_t flags)
{
	return (struct acpi_srat_mem_affinity){
		.type = 1, .length = 40, .proximity = pxm, .base = base, .length_bytes = len,
		.flags = flags,
	};
}

/* Like QEMU's for -smp 4 -numa node x2 on 2 GiB, plus entries to skip. */
static struct {
	struct acpi_srat srat;
	struct acpi_srat_cpu_affinity cpu[5];
	struct acpi_srat_mem_affinity mem[4];
	struct acpi_srat_x2apic_affinity x2;
	uint8_t unknown[8];
} __attribute__((packed)) srat;

static void build_srat(void)
{
	memset(&srat, 0, sizeof(srat));
	header(&srat.srat.header, "SRAT", sizeof(srat));
	srat.srat.table_revision = 1;
	for (unsigned i = 0; i < 4; i++)
		srat.cpu[i] = cpu_entry((uint8_t)i, i / 2, ACPI_SRAT_ENABLED);
	srat.cpu[4] = cpu_entry(9, 1, 0);                               /* disabled */
	srat.mem[0] = mem_entry(0, 0xA0000, 0, ACPI_SRAT_ENABLED);
	srat.mem[1] = mem_entry(0x100000, GiB - 0x100000, 0, ACPI_SRAT_ENABLED);
	srat.mem[2] = mem_entry(GiB, GiB, 1, ACPI_SRAT_ENABLED);
	srat.mem[3] = mem_entry(4 * GiB, 4 * GiB, 1, ACPI_SRAT_ENABLED | ACPI_SRAT_HOTPLUG);
	srat.x2 = (struct acpi_srat_x2apic_affinity){ .type = 2, .length = 24, .proximity = 1,
						      .x2apic_id = 300, .flags = ACPI_SRAT_ENABLED };
	srat.unknown[0] = 7;
	srat.unknown[1] = 8;
	fix_checksum(&srat.srat.header);
}

/* A 2x2 SLIT (or n x n with d off the diagonal). */
static struct {
	struct acpi_slit slit;
	uint8_t e[16];
} __attribute__((packed)) slit;

static void build_slit(unsigned n, uint8_t d)
{
	memset(&slit, 0, sizeof(slit));
	header(&slit.slit.header, "SLIT", (uint32_t)(sizeof(struct acpi_slit) + n * n));
	slit.slit.localities = n;
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++)
			slit.e[i * n + j] = i == j ? 10 : (uint8_t)(d + i + j);
	fix_checksum(&slit.slit.header);
}

static const uint8_t madt_cpus[] = { 0, 1, 2, 3 };

/* QEMU's 2 GiB PC: [0, 640K) and [1M, 2G) are RAM. */
static struct range_set ram_2g(void)
{
	struct range_set ram = { 0 };

	range_set_add(&ram, 0, 0x9F000);
	range_set_add(&ram, 0x100000, 2 * GiB);
	return ram;
}

static void srat_keeps_enabled_entries(void)
{
	struct srat_info info;

	build_srat();
	CHECK(acpi_table_check(&srat.srat.header, sizeof(srat), ACPI_SIG_SRAT) == NULL);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK_EQ(info.nr_cpus, 4);
	CHECK_EQ(info.cpus[3].apic_id, 3);
	CHECK_EQ(info.cpus[3].pxm, 1);
	CHECK_EQ(info.nr_mems, 3);                      /* the hot-pluggable one is left out */
	CHECK_EQ(info.mems[2].start, GiB);
	CHECK_EQ(info.mems[2].end, 2 * GiB);
	CHECK_EQ(info.nr_ignored, 3);                   /* disabled CPU, hotplug range, x2APIC */
}

static void srat_domain_uses_all_32_bits(void)
{
	struct srat_info info;

	build_srat();
	srat.cpu[0] = cpu_entry(0, 0x01020304, ACPI_SRAT_ENABLED);
	fix_checksum(&srat.srat.header);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK_EQ(info.cpus[0].pxm, 0x01020304);
}

static void srat_malformed_refused(void)
{
	struct srat_info info;

	build_srat();
	srat.mem[1].length = 39;                        /* shorter than a memory entry */
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
	build_srat();
	srat.unknown[1] = 9;                            /* runs one byte past the end */
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
	build_srat();
	srat.mem[2].length_bytes = 0;                   /* empty range */
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
	build_srat();
	srat.mem[2].base = UINT64_MAX - 5;              /* wraps */
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
	build_srat();
	srat.srat.header.length = 40;
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
	build_srat();
	srat.cpu[2].proximity_lo ^= 1;                  /* a flipped bit: the checksum sees it */
	CHECK(acpi_table_check(&srat.srat.header, sizeof(srat), ACPI_SIG_SRAT) != NULL);
	srat.cpu[2].type = 0;
	srat.cpu[2].length = 0;                         /* a zero-length entry must not loop */
	CHECK(acpi_parse_srat(&srat.srat, &info) != NULL);
}

static void slit_checks(void)
{
	unsigned n = 0;

	build_slit(2, 11);
	CHECK(acpi_table_check(&slit.slit.header, sizeof(slit), ACPI_SIG_SLIT) == NULL);
	CHECK(acpi_check_slit(&slit.slit, &n) == NULL);
	CHECK_EQ(n, 2);
	CHECK_EQ(slit_distance(&slit.slit, 0, 1), 12);
	slit.e[3] = 11;                                 /* diagonal not 10 */
	CHECK(acpi_check_slit(&slit.slit, &n) != NULL);
	build_slit(2, 11);
	slit.e[1] = 10;                                 /* remote as near as local */
	CHECK(acpi_check_slit(&slit.slit, &n) != NULL);
	build_slit(2, 11);
	slit.slit.localities = 3;                       /* 9 bytes needed, 4 held */
	CHECK(acpi_check_slit(&slit.slit, &n) != NULL);
	slit.slit.localities = 0;
	CHECK(acpi_check_slit(&slit.slit, &n) != NULL);
}

static void topology_two_nodes(void)
{
	struct srat_info info;
	struct numa_topology t;
	struct range_set ram = ram_2g();

	build_srat();
	build_slit(2, 19);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK(numa_topology_build(&t, &info, &slit.slit, madt_cpus, 4, &ram) == NULL);
	CHECK_EQ(t.nr_nodes, 2);
	CHECK_EQ(t.cpu_node[0], 0);
	CHECK_EQ(t.cpu_node[1], 0);
	CHECK_EQ(t.cpu_node[2], 1);
	CHECK_EQ(t.cpu_node[3], 1);
	CHECK_EQ(t.distance[0][1], 20);
	CHECK_EQ(t.distance[1][1], 10);
	CHECK_EQ(numa_topology_node_of(&t, 0x200000), 0);
	CHECK_EQ(numa_topology_node_of(&t, GiB), 1);
	CHECK_EQ(numa_topology_node_of(&t, 2 * GiB), -1);
	CHECK(numa_topology_build(&t, &info, NULL, madt_cpus, 4, &ram) == NULL);
	CHECK_EQ(t.distance[1][0], SLIT_REMOTE_DISTANCE);
}

static void topology_domains_numbered_in_order(void)
{
	struct srat_info info;
	struct numa_topology t;
	struct range_set ram = ram_2g();

	build_srat();                                   /* domains 7 (low RAM) and 3 */
	for (unsigned i = 0; i < 4; i++)
		srat.cpu[i] = cpu_entry((uint8_t)i, i < 2 ? 7 : 3, ACPI_SRAT_ENABLED);
	srat.mem[0].proximity = srat.mem[1].proximity = 7;
	srat.mem[2].proximity = 3;
	fix_checksum(&srat.srat.header);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK(numa_topology_build(&t, &info, NULL, madt_cpus, 4, &ram) == NULL);
	CHECK_EQ(t.node_pxm[0], 3);
	CHECK_EQ(t.node_pxm[1], 7);
	CHECK_EQ(t.cpu_node[0], 1);
	CHECK_EQ(numa_topology_node_of(&t, 0x200000), 1);
	build_slit(4, 11);                              /* domain 7 is beyond a 4-entry SLIT */
	CHECK(numa_topology_build(&t, &info, &slit.slit, madt_cpus, 4, &ram) != NULL);
	CHECK_EQ(t.culprit, 3);
}

static void topology_disagreements_refused(void)
{
	struct srat_info info;
	struct numa_topology t;
	struct range_set ram = ram_2g();
	const uint8_t more_cpus[] = { 0, 1, 2, 3, 4 };

	build_srat();
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK(numa_topology_build(&t, &info, NULL, more_cpus, 5, &ram) != NULL);
	CHECK_EQ(t.culprit, 4);                         /* CPU 4 is not in the SRAT */
	range_set_add(&ram, 2 * GiB, 3 * GiB);          /* RAM no range covers */
	CHECK(numa_topology_build(&t, &info, NULL, madt_cpus, 4, &ram) != NULL);
	CHECK_EQ(t.culprit, 0x100000);                  /* the merged RAM range that leaks out */

	ram = ram_2g();
	build_srat();
	srat.mem[2].base = GiB - 0x1000;                /* overlaps node 0's range */
	fix_checksum(&srat.srat.header);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK(numa_topology_build(&t, &info, NULL, madt_cpus, 4, &ram) != NULL);
	CHECK_EQ(t.culprit, GiB - 0x1000);

	build_srat();
	srat.cpu[3] = cpu_entry(3, 5, ACPI_SRAT_ENABLED); /* a domain with a CPU and no RAM */
	fix_checksum(&srat.srat.header);
	CHECK(acpi_parse_srat(&srat.srat, &info) == NULL);
	CHECK(numa_topology_build(&t, &info, NULL, madt_cpus, 4, &ram) != NULL);
	CHECK_EQ(t.culprit, 5);
}

static void topology_too_many_domains(void)
{
	struct srat_info info = { 0 };
	struct numa_topology t;
	struct range_set ram = { 0 };
	uint8_t apic[MAX_NUMNODES + 1];

	for (unsigned i = 0; i <= MAX_NUMNODES; i++) {
		info.cpus[info.nr_cpus++] = (struct srat_cpu){ .apic_id = i, .pxm = i };
		info.mems[info.nr_mems++] = (struct srat_mem){ i * GiB, (i + 1) * GiB, i };
		apic[i] = (uint8_t)i;
	}
	range_set_add(&ram, 0, (MAX_NUMNODES + 1) * GiB);
	CHECK(numa_topology_build(&t, &info, NULL, apic, MAX_NUMNODES, &ram) != NULL);
	CHECK_EQ(t.culprit, MAX_NUMNODES);
	CHECK(numa_topology_build(&t, &info, NULL, apic, MAX_NUMNODES - 1, &ram) != NULL);
	info.nr_mems = MAX_NUMNODES;
	range_set_remove(&ram, MAX_NUMNODES * GiB, (MAX_NUMNODES + 1) * GiB);
	CHECK(numa_topology_build(&t, &info, NULL, apic, MAX_NUMNODES, &ram) == NULL);
	CHECK_EQ(t.nr_nodes, MAX_NUMNODES);
}

static void topology_single_node(void)
{
	struct numa_topology t;

	numa_topology_single(&t, 3);
	CHECK_EQ(t.nr_nodes, 1);
	CHECK_EQ(t.nr_cpus, 3);
	CHECK_EQ(t.cpu_node[2], 0);
	CHECK_EQ(numa_topology_node_of(&t, 60 * GiB), 0);
	CHECK_EQ(t.distance[0][0], 10);
}

TEST_MAIN(TEST(srat_keeps_enabled_entries), TEST(srat_domain_uses_all_32_bits),
	  TEST(srat_malformed_refused), TEST(slit_checks), TEST(topology_two_nodes),
	  TEST(topology_domains_numbered_in_order), TEST(topology_disagreements_refused),
	  TEST(topology_too_many_domains), TEST(topology_single_node))
