/*
 * The node facts every layer needs in O(1): how many nodes there are, the
 * node of a CPU and of a frame, and the distance between two nodes.
 * numa/numa.c fills them once at boot (numa_init); until then, and on a
 * machine without a usable SRAT, there is one node, 0, holding everything.
 */
#ifndef NUMA_NODE_H
#define NUMA_NODE_H

#include <stdint.h>

#define MAX_NUMNODES            8       /* fits the 3 node bits of page->flags */

extern unsigned nr_nodes;
extern uint8_t cpu_node_map[];                          /* by CPU number */
extern uint8_t node_distance_map[MAX_NUMNODES][MAX_NUMNODES];
/* Each node's nodes, nearest first (itself first): the allocation fallback. */
extern uint8_t node_fallback[MAX_NUMNODES][MAX_NUMNODES];

static inline unsigned cpu_to_node(unsigned cpu)
{
	return cpu_node_map[cpu];
}

static inline unsigned node_distance(unsigned a, unsigned b)
{
	return node_distance_map[a][b];
}

#endif
