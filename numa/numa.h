/*
 * NUMA at boot: read the ACPI SRAT and SLIT, check them against the MADT
 * and the memory map, and publish the result (numa/node.h): the node of
 * every CPU and frame, the distances, and per-node free lists.  A machine
 * without a usable SRAT runs as one node, and says why.
 *
 * Boot option numa_test=corrupt-srat (tests): corrupt one byte of a copy
 * of the SRAT before checking it, which must give one node and the reason.
 */
#ifndef NUMA_NUMA_H
#define NUMA_NUMA_H

#include "numa/node.h"
#include "mm/page.h"

/*
 * Find and check the tables, then set every frame's node and move the free
 * blocks to their node's lists.  After acpi_init, before smp_init (APs
 * take their node from here); boot CPU alone.
 */
void numa_init(void);

/* The node of the running CPU (the task may move right after: a hint). */
unsigned numa_node_id(void);

/* The node of a frame below max_pfn: O(1), from its descriptor. */
static inline unsigned pfn_to_nid(pfn_t pfn)
{
	return page_to_nid(pfn_to_page(pfn));
}

/* The boot report: nodes, their CPUs, RAM per zone, distances, allocations. */
void numa_report(void);

#endif
