/*
 * Copy-on-write isolation after fork: globals, the stack, the brk heap and
 * anonymous mappings. Parent and child both write after fork and each sees
 * only its own writes; pages nobody writes keep their contents in both;
 * read-only pages stay read-only in the child.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define NPAGES 16

static int global = 1;

/* Byte i of a pattern that differs per page and per seed. */
static unsigned char pattern(uint32_t i, uint32_t seed)
{
	return (unsigned char)(i / PAGE_SIZE * 7 + i % 13 + seed);
}

/* Fills n bytes at p with pattern seed. */
static void fill(unsigned char *p, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = pattern(i, seed);
}

/* Returns the offset of the first byte at p that breaks pattern seed, or n
 * if all n match. */
static uint32_t check(const unsigned char *p, uint32_t n, uint32_t seed)
{
	uint32_t i = 0;

	while (i < n && p[i] == pattern(i, seed))
		i++;
	return i;
}

/* What a child of both_write works on: a word, and a pipe on which the
 * parent says "I have written my value". */
struct shared_word {
	volatile int *word;
	int fds[2];
};

/* Child side of both_write: waits until the parent has written, checks it
 * still sees the value from before fork, then writes its own. */
static int child_writes_word(void *arg)
{
	struct shared_word *s = arg;
	char c;

	if (sys_read(s->fds[0], &c, 1) != 1)
		return 2;
	EXPECT_EQ(*s->word, 1);
	*s->word = 2;
	EXPECT_EQ(*s->word, 2);
	return ktap_failed();
}

/* Forks with *word == 1; the parent writes 3 before the child looks and
 * the child writes 2; afterwards each must see only its own value. */
static void both_write(volatile int *word)
{
	struct shared_word s = { .word = word };
	long pid;

	*word = 1;
	if (!EXPECT_OK(sys_pipe(s.fds)))
		return;
	pid = child_start(child_writes_word, &s);
	*word = 3;
	EXPECT_EQ(sys_write(s.fds[1], "w", 1), 1);
	EXPECT_EXIT(child_wait(pid), 0);
	EXPECT_EQ(*word, 3);
	sys_close(s.fds[0]);
	sys_close(s.fds[1]);
}

/* A global variable (the data segment). */
static void global_variable(void)
{
	both_write(&global);
}

/* A local variable (the stack). */
static void stack_variable(void)
{
	volatile int local = 0;

	both_write(&local);
}

/* Pages a child checks for pattern before, then overwrites with after. */
struct region {
	unsigned char *p;
	uint32_t len;
	uint32_t before, after;
};

/* Child side of pages_isolated and grandchild: sees its parent's contents,
 * then overwrites every page with its own pattern. */
static int child_rewrites(void *arg)
{
	struct region *r = arg;

	EXPECT_EQ(check(r->p, r->len, r->before), r->len);
	fill(r->p, r->len, r->after);
	EXPECT_EQ(check(r->p, r->len, r->after), r->len);
	return ktap_failed();
}

/* The child rewrites every page; the parent's copy must be untouched, and
 * still writable by the parent afterwards. */
static void pages_isolated(unsigned char *p, uint32_t len)
{
	struct region r = { p, len, 1, 2 };

	fill(p, len, 1);
	EXPECT_EXIT(child_run(child_rewrites, &r), 0);
	EXPECT_EQ(check(p, len, 1), len);
	fill(p, len, 3);
	EXPECT_EQ(check(p, len, 3), len);
}

/* Pages of an anonymous mapping. */
static void mmap_pages(void)
{
	long p = sys_mmap2(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!EXPECT_OK(p))
		return;
	pages_isolated((unsigned char *)p, NPAGES * PAGE_SIZE);
	EXPECT_OK(sys_munmap((void *)p, NPAGES * PAGE_SIZE));
}

/* Pages of the brk heap. */
static void brk_pages(void)
{
	long start = sys_brk(NULL);
	long base = (start + PAGE_SIZE - 1) & ~(long)(PAGE_SIZE - 1);
	long end = base + NPAGES * PAGE_SIZE;

	if (!EXPECT_EQ(sys_brk((void *)end), end))
		return;
	pages_isolated((unsigned char *)base, NPAGES * PAGE_SIZE);
	EXPECT_EQ(sys_brk((void *)start), start);
}

/* Several children share the same pages at once (a page with many
 * sharers); each writes its own pattern, which copies for it alone. */
static void many_children(void)
{
	long p = sys_mmap2(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct region r = { (unsigned char *)p, 4 * PAGE_SIZE, 1, 0 };
	long pids[6];

	if (!EXPECT_OK(p))
		return;
	fill(r.p, r.len, 1);
	for (int i = 0; i < 6; i++) {
		r.after = 10 + (uint32_t)i;	/* each child copies r */
		pids[i] = child_start(child_rewrites, &r);
	}
	for (int i = 0; i < 6; i++)
		EXPECT_EXIT(child_wait(pids[i]), 0);
	EXPECT_EQ(check(r.p, r.len, 1), r.len);
	sys_munmap(r.p, r.len);
}

/* Child side of grandchild: sees the parent's pattern and writes its own,
 * forks a grandchild that sees that and writes a third, then checks it
 * still sees its own. */
static int child_then_grandchild(void *arg)
{
	struct region *r = arg;
	struct region g = { r->p, r->len, r->after, 4 };

	EXPECT_EQ(child_rewrites(r), 0);
	EXPECT_EXIT(child_run(child_rewrites, &g), 0);
	EXPECT_EQ(check(r->p, r->len, r->after), r->len);
	return ktap_failed();
}

/* Three generations, each writing its own copy of the same pages. */
static void grandchild(void)
{
	long p = sys_mmap2(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct region r = { (unsigned char *)p, 2 * PAGE_SIZE, 1, 2 };

	if (!EXPECT_OK(p))
		return;
	fill(r.p, r.len, 1);
	EXPECT_EXIT(child_run(child_then_grandchild, &r), 0);
	EXPECT_EQ(check(r.p, r.len, 1), r.len);
	sys_munmap(r.p, r.len);
}

/* Child side of read_only_stays: reads, then writes a read-only page. */
static int child_writes_ro(void *arg)
{
	volatile unsigned char *p = arg;

	if (p[0] != 0x5a)
		return 1;
	p[0] = 0;
	return 0;
}

/* Copy-on-write must not make a read-only page writable: the child's write
 * faults (SIGSEGV), and the parent's page is unchanged. */
static void read_only_stays(void)
{
	long p = sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!EXPECT_OK(p))
		return;
	*(unsigned char *)p = 0x5a;
	EXPECT_OK(sys_mprotect((void *)p, PAGE_SIZE, PROT_READ));
	EXPECT_SIGNAL(child_run(child_writes_ro, (void *)p), SIGSEGV);
	EXPECT_EQ(*(unsigned char *)p, 0x5a);
	sys_munmap((void *)p, PAGE_SIZE);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(global_variable),
	KTAP_CASE(stack_variable),
	KTAP_CASE(mmap_pages),
	KTAP_CASE(brk_pages),
	KTAP_CASE(many_children),
	KTAP_CASE(grandchild),
	KTAP_CASE(read_only_stays),
};

int main(void)
{
	return ktap_run("t_cow", cases, ARRAY_SIZE(cases));
}
