/*
 * The word-wise memset and memcpy and the unrolled page operations write
 * exactly the bytes asked for: every length 0-40 at every alignment, with
 * guard bytes on both sides, and whole pages between untouched neighbours.
 */
#include "kernel/string.h"
#include "kernel/ktest.h"
#include "mm/page_alloc.h"

#define BUF     64
#define GUARD   0xa5

static unsigned char buf[BUF], src[BUF];

/* Bytes [off, off + len) of buf equal want(i), every other byte is GUARD.  Returns the bad index or -1. */
static int check_buf(unsigned off, unsigned len, int fill)
{
	for (unsigned i = 0; i < BUF; i++) {
		int want = i < off || i >= off + len ? GUARD : fill >= 0 ? fill : src[i];
		if (buf[i] != want)
			return (int)i;
	}
	return -1;
}

static void memset_and_memcpy_touch_exactly_n_bytes(struct ktest *t)
{
	for (unsigned i = 0; i < BUF; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (unsigned off = 0; off < 4; off++) {
		for (unsigned len = 0; len <= 40; len++) {
			for (unsigned i = 0; i < BUF; i++)
				buf[i] = GUARD;
			KTEST_EXPECT(t, memset(buf + off, 0x3c, len) == buf + off);
			int bad = check_buf(off, len, 0x3c);
			if (bad >= 0)
				ktest_fail(t, __FILE__, __LINE__, "memset(+%u, %u): byte %d", off, len, bad);
			for (unsigned i = 0; i < BUF; i++)
				buf[i] = GUARD;
			KTEST_EXPECT(t, memcpy(buf + off, src + off, len) == buf + off);
			bad = check_buf(off, len, -1);
			if (bad >= 0)
				ktest_fail(t, __FILE__, __LINE__, "memcpy(+%u, %u): byte %d", off, len, bad);
		}
	}
}

static void page_ops_cover_exactly_one_page(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);    /* guard, from, to, guard */

	KTEST_ASSERT(t, p != NULL);
	unsigned char *pages = page_address(p);
	memset(pages, GUARD, 4 * PAGE_SIZE);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		pages[PAGE_SIZE + i] = (unsigned char)(i * 13 + 5);
	copy_page(pages + 2 * PAGE_SIZE, pages + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, memcmp(pages + 2 * PAGE_SIZE, pages + PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, pages[3 * PAGE_SIZE], GUARD);
	clear_page(pages + PAGE_SIZE);
	unsigned nonzero = 0;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		nonzero += pages[PAGE_SIZE + i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	KTEST_EXPECT_EQ(t, pages[PAGE_SIZE - 1], GUARD);
	KTEST_EXPECT_EQ(t, pages[2 * PAGE_SIZE], (unsigned char)5);
	free_pages(p, 2);
}

KTEST_SUITE(string,
	    KTEST_CASE(memset_and_memcpy_touch_exactly_n_bytes),
	    KTEST_CASE(page_ops_cover_exactly_one_page));
