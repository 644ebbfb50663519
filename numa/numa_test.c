/*
 * NUMA on the machine we booted on: the topology (expect_nodes=N says how
 * many nodes the harness gave it), frames and free lists by node,
 * allocation from the asked node first and nearest-first fallback, the
 * text replicas, and text that follows tasks: walked from the live CR3
 * of every CPU, after tasks of one mm hop across every CPU (per-task), and
 * the per-mm copy following the task that last came to a CPU.
 *
 * Data other CPUs or threads touch is static, never on a stack.
 */
#include "kernel/ktest.h"
#include "kernel/bootparam.h"
#include "kernel/counters.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "arch/i386/fault_catch.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/zone.h"
#include "mm/ukva/ukva.h"
#include "numa/ktext.h"
#include "numa/locality.h"
#include "numa/numa.h"

static unsigned long long expect_nodes;        /* 0: not given */

static int set_expect_nodes(const char *v)
{
	return parse_uint(v, &expect_nodes) || expect_nodes == 0 ? -EINVAL : 0;
}
BOOT_PARAM("expect_nodes", set_expect_nodes, "the node count the numa tests must find");

static void topology_is_sane(struct ktest *t)
{
	ktest_diag(t, "%u nodes; expect_nodes says %llu", nr_nodes, expect_nodes);
	if (expect_nodes)
		KTEST_EXPECT_EQ(t, nr_nodes, expect_nodes);
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (cpus[c].online)
			KTEST_EXPECT(t, cpu_to_node(c) < nr_nodes);
	for (unsigned a = 0; a < nr_nodes; a++) {
		KTEST_EXPECT_EQ(t, node_fallback[a][0], a);
		for (unsigned b = 0; b < nr_nodes; b++) {
			KTEST_EXPECT(t, a == b ? node_distance(a, b) == 10 : node_distance(a, b) > 10);
			if (b > 0)
				KTEST_EXPECT(t, node_distance(a, node_fallback[a][b - 1]) <=
						node_distance(a, node_fallback[a][b]));
		}
	}
}

/* Every free block sits on the lists of its own node (the first blocks of each list). */
static void free_blocks_on_their_node(struct ktest *t)
{
	for (int z = 0; z < NR_ZONES; z++) {
		unsigned long total = 0;
		uint32_t flags = spin_lock_irqsave(&zones[z].lock);
		for (unsigned n = 0; n < MAX_NUMNODES; n++) {
			KTEST_EXPECT(t, n < nr_nodes || zones[z].node_free[n] == 0);
			total += zones[z].node_free[n];
			for (unsigned k = 0; k < MAX_ORDER; k++) {
				unsigned seen = 0;
				struct list_head *pos;
				list_for_each(pos, &zones[z].free_area[n][k].free_list) {
					struct page *p = list_entry(pos, struct page, list);
					pfn_t pfn = page_to_pfn(p);
					KTEST_EXPECT_EQ(t, page_to_nid(p), n);
					KTEST_EXPECT_EQ(t, pfn_to_nid(pfn + (1u << k) - 1), n);
					if (++seen == 64)
						break;
				}
			}
		}
		KTEST_EXPECT_EQ(t, total, zones[z].free_pages);
		spin_unlock_irqrestore(&zones[z].lock, flags);
	}
}

/* The (zone, node) an allocation asking nid must come from: highmem first, nearest node first. */
static void expected_source(unsigned nid, enum zone_type *zone, unsigned *node)
{
	static const enum zone_type order[] = { ZONE_HIGHMEM, ZONE_NORMAL };

	for (unsigned i = 0; i < 2; i++)
		for (unsigned j = 0; j < nr_nodes; j++)
			if (zone_node_free_pages(order[i], node_fallback[nid][j])) {
				*zone = order[i];
				*node = node_fallback[nid][j];
				return;
			}
}

/*
 * Asking node n gets a frame of the zone and node the fallback order says
 * (n itself when it has highmem), counted as local or remote.
 */
static void alloc_prefers_asked_node(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();

	for (unsigned n = 0; n < nr_nodes; n++) {
		unsigned long local0, remote0, local1, remote1;
		enum zone_type want_zone = NR_ZONES;
		unsigned want_node = MAX_NUMNODES;
		expected_source(n, &want_zone, &want_node);
		node_alloc_stats(n, &local0, &remote0);
		struct page *p = alloc_pages_node(n, GFP_HIGHMEM, 0);
		KTEST_ASSERT(t, p);
		node_alloc_stats(n, &local1, &remote1);
		KTEST_EXPECT_EQ(t, p->zone, want_zone);
		KTEST_EXPECT_EQ(t, page_to_nid(p), want_node);
		KTEST_EXPECT_EQ(t, local1 - local0, page_to_nid(p) == n);
		KTEST_EXPECT_EQ(t, remote1 - remote0, page_to_nid(p) != n);
		free_page(p);
	}
	KTEST_EXPECT(t, !alloc_pages_node(nr_nodes, GFP_KERNEL, 0));
	/* Without a node named, the running CPU's node is asked. */
	preempt_disable();
	unsigned me = numa_node_id();
	struct page *p = alloc_page(GFP_KERNEL);
	preempt_enable_no_resched();
	KTEST_ASSERT(t, p);
	if (zone_node_free_pages(ZONE_NORMAL, me))
		KTEST_EXPECT_EQ(t, page_to_nid(p), me);
	free_page(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

static struct list_head drained = LIST_HEAD_INIT(drained);

/*
 * Empty the smallest non-empty (zone, node) part below 64 MiB, then the
 * next allocation asking that node comes from where the fallback order says.
 */
static void fallback_in_distance_order(struct ktest *t)
{
	unsigned long free_before = nr_free_pages(), best = 16384;
	unsigned nid = nr_nodes;
	enum zone_type zone = ZONE_HIGHMEM;

	for (unsigned n = 0; n < nr_nodes; n++)
		for (int z = 0; z < NR_ZONES; z++) {
			unsigned long f = zone_node_free_pages(z, n);
			if (f && f <= best && (z == ZONE_HIGHMEM || !zone_free_pages(ZONE_HIGHMEM))) {
				best = f;
				nid = n;
				zone = z;
			}
		}
	if (nid == nr_nodes)
		ktest_skip(t, "no node's zone is small enough to empty");
	gfp_t gfp = zone == ZONE_HIGHMEM ? GFP_HIGHMEM : GFP_KERNEL;
	while (zone_node_free_pages(zone, nid)) {
		struct page *p = alloc_pages_node(nid, gfp, 0);
		KTEST_ASSERT(t, p);
		list_add(&p->list, &drained);
	}
	enum zone_type want_zone = NR_ZONES;
	unsigned want_node = MAX_NUMNODES;
	expected_source(nid, &want_zone, &want_node);
	struct page *p = alloc_pages_node(nid, gfp, 0);
	ktest_diag(t, "node %u %s emptied (%lu frames); next from node %u %s", nid, zone_name(zone),
		   best, p ? page_to_nid(p) : 99, p ? zone_name(p->zone) : "none");
	KTEST_ASSERT(t, p);
	if (gfp == GFP_HIGHMEM || want_zone == ZONE_NORMAL) {
		KTEST_EXPECT_EQ(t, p->zone, want_zone);
		KTEST_EXPECT_EQ(t, page_to_nid(p), want_node);
	}
	free_page(p);
	while (!list_empty(&drained)) {
		struct page *q = list_first_entry(&drained, struct page, list);
		list_del_init(&q->list);
		free_page(q);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/* Each node's replica: its own frames, the image's bytes, the image's protections. */
static void replicas_copy_the_image(struct ktest *t)
{
	if (!ktext_replicated)
		ktest_skip(t, "no replicas (one node, mm=shared or ktextrepl=off)");
	for (unsigned n = 0; n < nr_nodes; n++) {
		unsigned same = 0, own = 0;
		for (unsigned long va = ktext_start(); va < ktext_end(); va += PAGE_SIZE) {
			pfn_t pfn = ktext_replica_pfn(n, va);
			own += pfn_to_nid(pfn) == n;
			uint32_t flags = local_irq_save();
			const void *copy = kmap_atomic_pfn(pfn);
			same += memcmp(copy, (const void *)va, PAGE_SIZE) == 0;
			kunmap_atomic((void *)copy);
			local_irq_restore(flags);
		}
		KTEST_EXPECT_EQ(t, same, ktext_nr_pages());
		KTEST_EXPECT_EQ(t, own, ktext_nr_pages());
		for (unsigned k = 0; k < ktext_nr_pmds(); k++)
			KTEST_EXPECT_EQ(t, pmd_flags(ktext_pmd(n, k)), _KERNPG_TABLE);
	}
}

/* Every CPU walks its live CR3 and finds its own node's replica for every page. */
static void every_cpu_runs_its_nodes_text(struct ktest *t)
{
	static struct ukva_textwalk w[NR_CPUS];

	unsigned n = ktext_walk_all(w);
	KTEST_EXPECT_EQ(t, n, (unsigned)__builtin_popcount(cpus_online_mask()));
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (w[c].cpu < 0)
			continue;
		ktest_diag(t, "CPU %u node %d: replica of node %d, %u of %u pages local (CR3 0x%x)",
			   c, w[c].node, w[c].replica, w[c].local, w[c].pages, w[c].cr3);
		if (ktext_replicated) {
			KTEST_EXPECT_EQ(t, w[c].replica, w[c].node);
			KTEST_EXPECT_EQ(t, w[c].local, w[c].pages);
		} else {
			KTEST_EXPECT_EQ(t, w[c].local, w[c].node == 0 ? w[c].pages : 0);
		}
	}
}

static __attribute__((noinline)) void write_word(void *addr)
{
	*(volatile uint32_t *)addr = 0xbad0bad0;
}

/* The rule of ktext.h: text is never written; a write faults, on every CPU's replica. */
static void text_write_faults_on_every_node(struct ktest *t)
{
	uint32_t online = cpus_online_mask();
	struct fault_info f;

	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!(online & (1u << c)))
			continue;
		KTEST_ASSERT(t, sched_set_cpus_allowed(current, 1u << c) == 0);
		KTEST_EXPECT(t, catch_fault(write_word, (void *)write_word, &f));
		KTEST_EXPECT_EQ(t, f.vector, 14);
		KTEST_EXPECT_EQ(t, f.error_code & 3, 3);        /* present, write */
		KTEST_EXPECT(t, catch_fault(write_word, (void *)ktext_start(), &f));
	}
	sched_set_cpus_allowed(current, ~0u);
}

/* The hopping threads: each one's walk of its own CR3 on every CPU it lands on. */
#define HOPPERS 2
static struct {
	unsigned local[HOPPERS][NR_CPUS], landed[HOPPERS][NR_CPUS];
} hops;

/* The text pages the running CPU's live tables map from its own node. */
static unsigned live_local_pages(void)
{
	static struct ukva_textwalk w[NR_CPUS];
	ktext_walk_all(w);
	preempt_disable();
	unsigned local = w[smp_processor_id()].local;
	preempt_enable_no_resched();
	return local;
}

/* Visit every online CPU, twice, in an order that crosses nodes. */
static int hop(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	uint32_t online = cpus_online_mask();

	for (unsigned round = 0; round < 2; round++)
		for (unsigned i = 0; i < NR_CPUS; i++) {
			unsigned c = (i * 5 + me + round) % NR_CPUS;
			if (!(online & (1u << c)) || sched_set_cpus_allowed(current, 1u << c))
				continue;
			hops.landed[me][c]++;
			hops.local[me][c] += live_local_pages();
		}
	return 0;
}

/*
 * A migration storm: threads of one mm hop across every CPU; in per-task
 * mode each finds its node's replica wherever it lands, and the frames
 * come back.
 */
static void text_follows_hopping_tasks(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	uint32_t repoints = ukva_counter_total(CNT_TEXT_REPOINT);
	struct mm *mm = mm_create();
	struct task *th[HOPPERS];

	memset(&hops, 0, sizeof(hops));
	KTEST_ASSERT(t, mm);
	for (unsigned i = 0; i < HOPPERS; i++) {
		th[i] = kthread_create_on(hop, (void *)(uintptr_t)i, "hopper", mm);
		KTEST_ASSERT(t, th[i]);
		KTEST_ASSERT(t, sched_set_cpus_allowed(th[i], ~0u) == 0);
	}
	for (unsigned i = 0; i < HOPPERS; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
	mm_put(mm);
	for (unsigned i = 0; i < HOPPERS; i++)
		for (unsigned c = 0; c < NR_CPUS; c++) {
			if (!hops.landed[i][c])
				continue;
			if (ktext_replicated && ukva_mode == UKVA_PER_TASK)
				KTEST_EXPECT_EQ(t, hops.local[i][c], hops.landed[i][c] * ktext_nr_pages());
		}
	ktest_diag(t, "text repoints during the storm: %u", ukva_counter_total(CNT_TEXT_REPOINT) - repoints);
	if (ktext_replicated && ukva_mode == UKVA_PER_TASK)
		KTEST_EXPECT(t, ukva_counter_total(CNT_TEXT_REPOINT) != repoints);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/* Two CPUs of different nodes, or false. */
static bool two_nodes_cpus(unsigned *a, unsigned *b)
{
	uint32_t online = cpus_online_mask();

	for (*a = 0; *a < NR_CPUS; (*a)++)
		for (*b = 0; *b < NR_CPUS; (*b)++)
			if ((online & (1u << *a)) && (online & (1u << *b)) &&
			    cpu_to_node(*a) != cpu_to_node(*b))
				return true;
	return false;
}

#define MAX_YIELDS 1000000             /* a bound on progress, never reached */

static uint32_t remote_switches_before;

/*
 * Give the CPU to the other thread of the mm queued on it, until the two
 * CPUs' switches have interleaved enough to leave a thread on remote text
 * (a count of events, not a time).
 */
static int yielder(void *unused)
{
	for (unsigned i = 0; i < MAX_YIELDS; i++) {
		if (ukva_counter_total(CNT_TEXT_REMOTE_SWITCH) - remote_switches_before >= 4)
			return 0;
		sched_yield();
	}
	return -ETIMEDOUT;
}

static struct mm *follow_mm;
static int follow_node[2];

/* Which replica the mm's copy maps now, read from the copy itself. */
static int mm_text_node(struct mm *mm)
{
	uint32_t flags = local_irq_save();
	const pmd_t *kpmd = kmap_atomic(mm->window->kernel_pmd);
	int n = ktext_pmd_node(kpmd);
	kunmap_atomic((void *)kpmd);
	local_irq_restore(flags);
	return n;
}

/* Run on CPU cpus[0] then cpus[1]; note the node the mm's text maps on each. */
static int follower(void *arg)
{
	const unsigned *cpu = arg;

	for (unsigned i = 0; i < 2; i++) {
		if (sched_set_cpus_allowed(current, 1u << cpu[i]))
			return -EINVAL;
		follow_node[i] = mm_text_node(follow_mm);
	}
	return 0;
}

/*
 * per-mm: two pairs of threads of one mm take turns on two CPUs of
 * different nodes, so the mm's copy is rewritten back and forth and a
 * thread is left on remote text (counted); then one thread alone drags
 * the mm's text to the node of each CPU it comes to.
 */
static void per_mm_text_follows_last_task(struct ktest *t)
{
	static unsigned cpu[2];
	unsigned long free_before = nr_free_pages();
	uint32_t remote = remote_switches_before = ukva_counter_total(CNT_TEXT_REMOTE_SWITCH);
	struct task *th[4];

	if (!ktext_replicated || ukva_mode != UKVA_PER_MM)
		ktest_skip(t, "needs mm=per-mm with text replicas");
	if (!two_nodes_cpus(&cpu[0], &cpu[1]))
		ktest_skip(t, "no two online CPUs on different nodes");
	follow_mm = mm_create();
	KTEST_ASSERT(t, follow_mm);
	for (unsigned i = 0; i < 4; i++) {
		th[i] = kthread_create_on(yielder, NULL, "yielder", follow_mm);
		KTEST_ASSERT(t, th[i]);
		KTEST_ASSERT(t, sched_set_cpus_allowed(th[i], 1u << cpu[i / 2]) == 0);
	}
	for (unsigned i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
	ktest_diag(t, "CPUs %u and %u: %u remote-text switches", cpu[0], cpu[1],
		   ukva_counter_total(CNT_TEXT_REMOTE_SWITCH) - remote);
	KTEST_EXPECT(t, ukva_counter_total(CNT_TEXT_REMOTE_SWITCH) != remote);

	struct task *f = kthread_create_on(follower, cpu, "follower", follow_mm);
	KTEST_ASSERT(t, f);
	KTEST_ASSERT(t, sched_set_cpus_allowed(f, 1u << cpu[0]) == 0);
	KTEST_EXPECT_EQ(t, kthread_join(f), 0);
	KTEST_EXPECT_EQ(t, follow_node[0], (int)cpu_to_node(cpu[0]));
	KTEST_EXPECT_EQ(t, follow_node[1], (int)cpu_to_node(cpu[1]));
	mm_put(follow_mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

KTEST_SUITE(numa,
	KTEST_CASE(topology_is_sane),
	KTEST_CASE(free_blocks_on_their_node),
	KTEST_CASE(alloc_prefers_asked_node),
	KTEST_CASE(fallback_in_distance_order),
	KTEST_CASE(replicas_copy_the_image),
	KTEST_CASE(every_cpu_runs_its_nodes_text),
	KTEST_CASE(text_write_faults_on_every_node),
	KTEST_CASE(text_follows_hopping_tasks),
	KTEST_CASE(per_mm_text_follows_last_task));
