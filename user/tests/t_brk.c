/*
 * brk: the program break grows and shrinks; new memory is zeroed and
 * usable, released memory faults, and impossible requests leave the break
 * where it was (brk reports failure by returning the old break, not
 * -errno).
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define NPAGES 4

/* Rounds the break up to a page boundary; returns the new, aligned break
 * (or the old one if even that failed). */
static long aligned_break(void)
{
	long cur = sys_brk(NULL);

	return sys_brk((void *)((cur + PAGE_SIZE - 1) &
				~(long)(PAGE_SIZE - 1)));
}

/* Returns the number of nonzero bytes in n bytes at p. */
static uint32_t nonzero(const unsigned char *p, uint32_t n)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < n; i++)
		count += p[i] != 0;
	return count;
}

/* brk(0) tells the current break without moving it. */
static void query(void)
{
	long cur = sys_brk(NULL);

	EXPECT_GE(cur, 1);
	EXPECT_EQ(sys_brk(NULL), cur);
}

/* Growing returns the exact new break (even an unaligned one); the new
 * memory reads as zero and keeps what is written. */
static void grow_zeroed(void)
{
	long base = aligned_break();
	unsigned char *p = (unsigned char *)base;
	long end = base + NPAGES * PAGE_SIZE;

	if (!EXPECT_EQ(sys_brk((void *)end), end))
		return;
	EXPECT_EQ(nonzero(p, NPAGES * PAGE_SIZE), 0);
	for (uint32_t i = 0; i < NPAGES * PAGE_SIZE; i++)
		p[i] = (unsigned char)(i % 255 + 1);
	EXPECT_EQ(nonzero(p, NPAGES * PAGE_SIZE), NPAGES * PAGE_SIZE);
	EXPECT_EQ(sys_brk((void *)(end + 100)), end + 100);
	p[NPAGES * PAGE_SIZE + 99] = 1;
	EXPECT_EQ(sys_brk((void *)base), base);
}

/* Child side of shrink_releases: touches an address above the break. */
static int touch(void *addr)
{
	*(volatile unsigned char *)addr = 1;
	return 0;
}

/* After shrinking, the released pages are gone (a touch faults) and, when
 * the break grows again, they come back zeroed rather than with old data. */
static void shrink_releases(void)
{
	long base = aligned_break();
	long end = base + NPAGES * PAGE_SIZE;
	unsigned char *p = (unsigned char *)base;

	if (!EXPECT_EQ(sys_brk((void *)end), end))
		return;
	for (uint32_t i = 0; i < NPAGES * PAGE_SIZE; i++)
		p[i] = 0xee;
	EXPECT_EQ(sys_brk((void *)base), base);
	EXPECT_EQ(sys_brk(NULL), base);
	EXPECT_SIGNAL(child_run(touch, p), SIGSEGV);
	EXPECT_SIGNAL(child_run(touch, p + (NPAGES - 1) * PAGE_SIZE), SIGSEGV);
	if (!EXPECT_EQ(sys_brk((void *)end), end))
		return;
	EXPECT_EQ(nonzero(p, NPAGES * PAGE_SIZE), 0);
	EXPECT_EQ(sys_brk((void *)base), base);
}

/* Requests below the start of the heap or into the top of the address
 * space fail: the break stays put. */
static void impossible_requests(void)
{
	long cur = sys_brk(NULL);

	EXPECT_EQ(sys_brk((void *)PAGE_SIZE), cur);
	EXPECT_EQ(sys_brk((void *)0xfffff000), cur);
	EXPECT_EQ(sys_brk(NULL), cur);
}

/* The heap may not grow over another mapping: brk fails, and the mapping
 * keeps its contents. */
static void stops_at_mapping(void)
{
	long base = aligned_break();
	long above = base + 8 * PAGE_SIZE;
	long m = sys_mmap2((void *)above, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (!EXPECT_EQ(m, above))
		return;
	*(unsigned char *)m = 0x77;
	EXPECT_EQ(sys_brk((void *)(above + 4 * PAGE_SIZE)), base);
	EXPECT_EQ(*(unsigned char *)m, 0x77);
	EXPECT_EQ(sys_brk((void *)(above - PAGE_SIZE)), above - PAGE_SIZE);
	EXPECT_EQ(sys_brk((void *)base), base);
	sys_munmap((void *)m, PAGE_SIZE);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(query),
	KTAP_CASE(grow_zeroed),
	KTAP_CASE(shrink_releases),
	KTAP_CASE(impossible_requests),
	KTAP_CASE(stops_at_mapping),
};

int main(void)
{
	return ktap_run("t_brk", cases, ARRAY_SIZE(cases));
}
