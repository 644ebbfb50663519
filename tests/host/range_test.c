/* Host tests of mm/range.c: the arithmetic behind the boot memory map. */
#include <stdint.h>
#include "check.h"
#include "../../mm/range.c"

static struct range_set set_of(const uint64_t (*r)[2], int n)
{
	struct range_set s = { 0 };
	for (int i = 0; i < n; i++)
		range_set_add(&s, r[i][0], r[i][1]);
	return s;
}

static void add_sorts_and_merges(void)
{
	const uint64_t in[][2] = { { 0x5000, 0x6000 }, { 0x1000, 0x2000 }, { 0x2000, 0x3000 },
				   { 0x8000, 0x9000 }, { 0x5800, 0x8000 } };
	struct range_set s = set_of(in, 5);

	CHECK_EQ(s.nr, 2);
	CHECK_EQ(s.r[0].start, 0x1000);
	CHECK_EQ(s.r[0].end, 0x3000);
	CHECK_EQ(s.r[1].start, 0x5000);
	CHECK_EQ(s.r[1].end, 0x9000);
	CHECK_EQ(range_set_bytes(&s), 0x6000);
}

static void remove_splits_trims_and_drops(void)
{
	const uint64_t in[][2] = { { 0, 0x10000 }, { 0x20000, 0x30000 } };
	struct range_set s = set_of(in, 2);

	CHECK(range_set_remove(&s, 0x4000, 0x5000));           /* split */
	CHECK(range_set_remove(&s, 0xF000, 0x21000));           /* trim both sides */
	CHECK(range_set_remove(&s, 0x2F000, 0x40000));          /* trim the tail */
	CHECK_EQ(s.nr, 3);
	CHECK_EQ(s.r[0].end, 0x4000);
	CHECK_EQ(s.r[1].start, 0x5000);
	CHECK_EQ(s.r[1].end, 0xF000);
	CHECK_EQ(s.r[2].start, 0x21000);
	CHECK_EQ(s.r[2].end, 0x2F000);
	CHECK(range_set_remove(&s, 0, 0x100000));               /* drop everything */
	CHECK_EQ(s.nr, 0);
}

static void align_inward_drops_slivers(void)
{
	const uint64_t in[][2] = { { 0x100, 0x9FC00 }, { 0x100800, 0x100F00 } };
	struct range_set s = set_of(in, 2);

	range_set_align_inward(&s, 0x1000);
	CHECK_EQ(s.nr, 1);
	CHECK_EQ(s.r[0].start, 0x1000);
	CHECK_EQ(s.r[0].end, 0x9F000);
}

static void bytes_in_window_counts_overlap_only(void)
{
	/* The pc machine at 8 GiB: [0, 3 GiB) and [4 GiB, 9 GiB). */
	const uint64_t in[][2] = { { 0, 3ULL << 30 }, { 4ULL << 30, 9ULL << 30 } };
	struct range_set s = set_of(in, 2);

	CHECK_EQ(range_set_bytes_in(&s, 896ULL << 20, 4ULL << 30), (3ULL << 30) - (896ULL << 20));
	CHECK_EQ(range_set_bytes_in(&s, 2ULL << 30, 5ULL << 30), 2ULL << 30);
	CHECK(range_set_contains(&s, 4ULL << 30, 5ULL << 30));
	CHECK(!range_set_contains(&s, (3ULL << 30) - 4096, (3ULL << 30) + 4096));
}

static void find_top_down_respects_limit_and_alignment(void)
{
	const uint64_t in[][2] = { { 0x100000, 0x800000 }, { 0x1000000, 0x1100000 } };
	struct range_set s = set_of(in, 2);

	CHECK_EQ(range_set_find_top_down(&s, 0x1000, 0x1000, UINT64_MAX), 0x10FF000);
	CHECK_EQ(range_set_find_top_down(&s, 0x200000, 0x1000, UINT64_MAX), 0x600000);
	CHECK_EQ(range_set_find_top_down(&s, 0x1000, 0x1000, 0x1000000), 0x7FF000);
	CHECK_EQ(range_set_find_top_down(&s, 0x3000, 0x4000, 0x106001), 0x100000);
	CHECK_EQ(range_set_find_top_down(&s, 0x1000, 0x1000, 0x100800), UINT64_MAX);
	CHECK_EQ(range_set_find_top_down(&s, 0x1000000, 0x1000, UINT64_MAX), UINT64_MAX);
}

static void full_set_refuses_more(void)
{
	struct range_set s = { 0 };
	for (uint64_t i = 0; i < RANGE_SET_MAX; i++)
		CHECK(range_set_add(&s, i * 0x2000, i * 0x2000 + 0x1000));
	CHECK(!range_set_add(&s, 0x1000000, 0x1001000));
	CHECK(!range_set_remove(&s, 0x100, 0x200));             /* a split needs a slot */
	CHECK_EQ(s.nr, RANGE_SET_MAX);
}

TEST_MAIN(TEST(add_sorts_and_merges), TEST(remove_splits_trims_and_drops),
	  TEST(align_inward_drops_slivers), TEST(bytes_in_window_counts_overlap_only),
	  TEST(find_top_down_respects_limit_and_alignment), TEST(full_set_refuses_more))
