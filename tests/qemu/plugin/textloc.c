/*
 * textloc: a QEMU TCG plugin that counts, per vCPU, the kernel text
 * instructions executed from each NUMA node's memory: the exact locality
 * that numa/locality.c samples.  Built by `make plugin`, loaded by
 * tests/qemu/bench_numa.py --plugin.
 *
 * QEMU gives a plugin each instruction's guest-virtual address and the
 * host address it was read from, not its guest-physical address.  So the
 * machine backs each node with a file (memory-backend-file,
 * mem-path=.../nodeN), and the host address is matched against this
 * process's mappings of those files (/proc/self/maps) to find the node.
 *
 * Arguments (-plugin build/textloc.so,key=value,...):
 *   text=LO-HI     kernel text+rodata virtual range, hex
 *   cpus=NNNN      the node of each vCPU, one digit per vCPU
 *   dist=a:b:...   the SLIT, row by row (nodes x nodes), for the weighted figure
 *   files=PREFIX   node N's memory file is PREFIX followed by N
 * Output (QEMU's -d plugin log): one line per vCPU, then a total.
 *
 * The plugin header is not packaged by Debian; the few functions and types
 * used are declared below from QEMU's documented plugin ABI (version 1).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- QEMU plugin ABI, the part used (qemu-plugin.h, QEMU 7.2) --- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void *qemu_plugin_insn_haddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);
__attribute__((visibility("default"))) int qemu_plugin_version = 1;
/* --- end of the ABI part --- */

#define MAX_VCPUS       16
#define MAX_NODES       8
#define MAX_MAPS        64

static uint64_t text_lo, text_hi;
static int vcpu_node[MAX_VCPUS], nr_vcpus, nr_nodes;
static int dist[MAX_NODES][MAX_NODES];
static int dist_arg[MAX_NODES * MAX_NODES];     /* as given, row by row over nr_nodes */
static char file_prefix[256];

/* Host ranges of the node files, read once the machine exists. */
static struct { uintptr_t start, end; int node; } maps[MAX_MAPS];
static int nr_maps;
static bool maps_read;

/* Instructions executed, by vCPU and node of the frame; and those from no node file. */
static uint64_t count[MAX_VCPUS][MAX_NODES + 1];

/* One translated block of kernel text: its node (MAX_NODES: unknown) and size. */
struct block { int node; unsigned n; };

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	maps_read = true;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && nr_maps < MAX_MAPS) {
		uintptr_t s, e;
		char *path = strchr(line, '/');
		size_t plen = strlen(file_prefix);
		if (!path || sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &s, &e) != 2 ||
		    strncmp(path, file_prefix, plen) != 0)
			continue;
		int node = atoi(path + plen);
		if (node >= 0 && node < MAX_NODES)
			maps[nr_maps++] = (typeof(maps[0])){ s, e, node };
	}
	fclose(f);
}

static int host_node(uintptr_t h)
{
	if (!maps_read)
		read_maps();
	for (int i = 0; i < nr_maps; i++)
		if (h >= maps[i].start && h < maps[i].end)
			return maps[i].node;
	return MAX_NODES;
}

static void block_exec(unsigned int vcpu, void *udata)
{
	const struct block *b = udata;

	if (vcpu < MAX_VCPUS)
		count[vcpu][b->node] += b->n;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *first = n ? qemu_plugin_tb_get_insn(tb, 0) : NULL;

	if (!first)
		return;
	uint64_t va = qemu_plugin_insn_vaddr(first);
	if (va < text_lo || va >= text_hi)
		return;
	struct block *b = malloc(sizeof(*b));   /* lives as long as the translation: never freed */
	if (!b)
		return;
	b->node = host_node((uintptr_t)qemu_plugin_insn_haddr(first));
	b->n = (unsigned)n;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void at_exit(qemu_plugin_id_t id, void *unused)
{
	char line[256];
	uint64_t all_local = 0, all = 0, weighted = 0, unknown = 0;

	for (int v = 0; v < nr_vcpus; v++) {
		uint64_t local = count[v][vcpu_node[v]], total = 0;
		for (int n = 0; n < nr_nodes; n++) {
			total += count[v][n];
			weighted += count[v][n] * (uint64_t)dist[vcpu_node[v]][n];
		}
		unknown += count[v][MAX_NODES];
		all_local += local;
		all += total;
		snprintf(line, sizeof(line), "textloc: vcpu %d node %d: %" PRIu64 " kernel text insns, "
			 "%" PRIu64 " local (%.1f%%)\n", v, vcpu_node[v], total, local,
			 total ? 100.0 * (double)local / (double)total : 100.0);
		qemu_plugin_outs(line);
	}
	snprintf(line, sizeof(line), "textloc: total %" PRIu64 " insns, %.2f%% local, mean SLIT "
		 "distance %.2f, %" PRIu64 " from no node file\n", all,
		 all ? 100.0 * (double)all_local / (double)all : 100.0,
		 all ? (double)weighted / (double)all : 10.0, unknown);
	qemu_plugin_outs(line);
}

/* Parse one "key=value" argument. */
static int parse_arg(const char *a)
{
	if (sscanf(a, "text=%" SCNx64 "-%" SCNx64, &text_lo, &text_hi) == 2)
		return 0;
	if (strncmp(a, "cpus=", 5) == 0) {
		for (a += 5; *a && nr_vcpus < MAX_VCPUS; a++) {
			vcpu_node[nr_vcpus] = *a - '0';
			if (vcpu_node[nr_vcpus] + 1 > nr_nodes)
				nr_nodes = vcpu_node[nr_vcpus] + 1;
			nr_vcpus++;
		}
		return 0;
	}
	if (strncmp(a, "dist=", 5) == 0) {
		int i = 0;
		for (char *p = (char *)a + 5; *p && i < MAX_NODES * MAX_NODES; i++) {
			dist_arg[i] = (int)strtol(p, &p, 10);
			if (*p == ':')
				p++;
		}
		return 0;
	}
	if (strncmp(a, "files=", 6) == 0) {
		snprintf(file_prefix, sizeof(file_prefix), "%s", a + 6);
		return 0;
	}
	return -1;
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (parse_arg(argv[i])) {
			fprintf(stderr, "textloc: bad argument %s\n", argv[i]);
			return -1;
		}
	if (!text_hi || !nr_vcpus || !file_prefix[0]) {
		fprintf(stderr, "textloc: needs text=, cpus= and files=\n");
		return -1;
	}
	/* Without dist=, the distances QEMU assumes: 10 local, 20 remote. */
	for (int a = 0; a < nr_nodes; a++)
		for (int b = 0; b < nr_nodes; b++)
			dist[a][b] = dist_arg[a * nr_nodes + b] ? dist_arg[a * nr_nodes + b]
							       : (a == b ? 10 : 20);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
