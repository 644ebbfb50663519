/*
 * Every CR3 write is counted (arch/i386/tlb.h): the flushes that write CR3
 * add one to CNT_CR3_WRITE, the ones that do not add none.  Whether
 * flush_tlb_all writes CR3 depends on the CPU (no PGE: a CR3 reload), so
 * the no-PGE machine runs this suite too.
 */
#include "kernel/ktest.h"
#include "kernel/counters.h"
#include "arch/i386/cpufeature.h"
#include "arch/i386/percpu.h"
#include "arch/i386/tlb.h"

struct flush_counts {
	uint32_t cr3_writes, flush_all;
};

/* What fn adds to this CPU's counters; interrupts off, so nothing else counts. */
static struct flush_counts counted(void (*fn)(void))
{
	uint32_t flags = local_irq_save();
	const uint32_t *c = this_cpu()->counters;
	struct flush_counts before = { c[CNT_CR3_WRITE], c[CNT_TLB_FLUSH_ALL] };

	fn();
	struct flush_counts d = { c[CNT_CR3_WRITE] - before.cr3_writes,
				  c[CNT_TLB_FLUSH_ALL] - before.flush_all };
	local_irq_restore(flags);
	return d;
}

static void flush_all_counts_its_cr3_write(struct ktest *t)
{
	uint32_t cr3 = read_cr3();
	struct flush_counts d = counted(flush_tlb_all);

	ktest_diag(t, "PGE %s: flush_tlb_all wrote CR3 %u time(s)",
		   boot_cpu.pge ? "yes" : "no", d.cr3_writes);
	KTEST_EXPECT_EQ(t, d.flush_all, 1);
	/* With PGE a CR4.PGE toggle flushes everything; without, a CR3 reload. */
	KTEST_EXPECT_EQ(t, d.cr3_writes, boot_cpu.pge ? 0 : 1);
	KTEST_EXPECT_EQ(t, read_cr3(), cr3);
}

static void flush_nonglobal_is_one_cr3_write(struct ktest *t)
{
	uint32_t cr3 = read_cr3();
	struct flush_counts d = counted(flush_tlb_all_nonglobal);

	KTEST_EXPECT_EQ(t, d.flush_all, 1);
	KTEST_EXPECT_EQ(t, d.cr3_writes, 1);
	KTEST_EXPECT_EQ(t, read_cr3(), cr3);
}

KTEST_SUITE(tlb_counters,
	KTEST_CASE(flush_all_counts_its_cr3_write),
	KTEST_CASE(flush_nonglobal_is_one_cr3_write));
