/*
 * Anonymous memory: mmap2, munmap and mprotect, whole and in parts. Memory
 * is zeroed; protections are enforced by faults in forked children (the
 * parent checks for SIGSEGV); the kernel refuses to read or write user
 * memory the user could not; and bad arguments get Linux's errno.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* Maps npages of anonymous memory with prot; returns the address or
 * -errno. */
static long map(uint32_t npages, int prot)
{
	return sys_mmap2(NULL, npages * PAGE_SIZE, prot, ANON, -1, 0);
}

/* Child side of the fault checks: reads the byte at addr. */
static int read_byte(void *addr)
{
	return *(volatile unsigned char *)addr == 0x42 ? 0 : 1;
}

/* Child side of the fault checks: writes the byte at addr. */
static int write_byte(void *addr)
{
	*(volatile unsigned char *)addr = 0x42;
	return 0;
}

/* Returns the wait status of a child that reads (write false) or writes
 * the byte at p + offset. */
static long touch(long p, uint32_t offset, bool write)
{
	return child_run(write ? write_byte : read_byte,
			 (void *)(p + (long)offset));
}

/* New anonymous memory is zero, writable, and private to its mapping. */
static void anon_zeroed(void)
{
	long a = map(4, RW), b = map(4, RW);
	unsigned char *p = (unsigned char *)a;
	uint32_t nonzero = 0;

	if (!EXPECT_OK(a) || !EXPECT_OK(b))
		return;
	EXPECT_EQ(a % PAGE_SIZE, 0);
	EXPECT(b >= a + 4 * (long)PAGE_SIZE || a >= b + 4 * (long)PAGE_SIZE);
	for (uint32_t i = 0; i < 4 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(nonzero, 0);
	for (uint32_t i = 0; i < 4 * PAGE_SIZE; i++)
		p[i] = (unsigned char)i;
	EXPECT_EQ(p[4 * PAGE_SIZE - 1], 0xff);
	EXPECT_EQ(*(unsigned char *)b, 0);
	EXPECT_OK(sys_munmap((void *)a, 4 * PAGE_SIZE));
	EXPECT_OK(sys_munmap((void *)b, 4 * PAGE_SIZE));
}

/* A mapping larger than one page table (4 MiB: two 2 MiB PAE page tables
 * and a bit), touched on every page. */
static void spans_page_tables(void)
{
	const uint32_t npages = 1026;
	long a = map(npages, RW);
	unsigned char *p = (unsigned char *)a;
	uint32_t wrong = 0;

	if (!EXPECT_OK(a))
		return;
	/* One byte per page, at a different offset in each. */
	for (uint32_t i = 0; i < npages; i++)
		p[i * PAGE_SIZE + i % PAGE_SIZE] = (unsigned char)(i | 1);
	for (uint32_t i = 0; i < npages; i++)
		wrong += p[i * PAGE_SIZE + i % PAGE_SIZE] !=
			 (unsigned char)(i | 1);
	EXPECT_EQ(wrong, 0);
	EXPECT_OK(sys_munmap((void *)a, npages * PAGE_SIZE));
}

/* After munmap the pages fault; unmapping the middle page of three leaves
 * the outer two intact. */
static void munmap_whole_and_part(void)
{
	long a = map(1, RW), b = map(3, RW);
	unsigned char *q = (unsigned char *)b;

	if (!EXPECT_OK(a) || !EXPECT_OK(b))
		return;
	EXPECT_OK(sys_munmap((void *)a, PAGE_SIZE));
	EXPECT_SIGNAL(touch(a, 0, false), SIGSEGV);
	q[0] = 1;
	q[2 * PAGE_SIZE] = 3;
	EXPECT_OK(sys_munmap(q + PAGE_SIZE, PAGE_SIZE));
	EXPECT_SIGNAL(touch(b, PAGE_SIZE, false), SIGSEGV);
	EXPECT_SIGNAL(touch(b, 2 * PAGE_SIZE - 1, true), SIGSEGV);
	EXPECT_EQ(q[0], 1);
	EXPECT_EQ(q[2 * PAGE_SIZE], 3);
	EXPECT_OK(sys_munmap(q, 3 * PAGE_SIZE));	/* holes are fine */
	EXPECT_OK(sys_munmap(q, 3 * PAGE_SIZE));	/* so is nothing */
}

/* PROT_READ memory reads (as zero) but a write faults; PROT_NONE memory
 * faults on a read. */
static void protections(void)
{
	long r = map(1, PROT_READ), n = map(1, PROT_NONE);

	if (!EXPECT_OK(r) || !EXPECT_OK(n))
		return;
	EXPECT_EQ(*(volatile unsigned char *)r, 0);
	EXPECT_SIGNAL(touch(r, 0, true), SIGSEGV);
	EXPECT_SIGNAL(touch(n, 0, false), SIGSEGV);
	EXPECT_SIGNAL(touch(n, 0, true), SIGSEGV);
	sys_munmap((void *)r, PAGE_SIZE);
	sys_munmap((void *)n, PAGE_SIZE);
}

/* mprotect takes write access away and gives it back, keeping the data;
 * on the middle page of three it splits the mapping. */
static void mprotect_changes(void)
{
	long a = map(3, RW);
	unsigned char *p = (unsigned char *)a;

	if (!EXPECT_OK(a))
		return;
	p[0] = 0x42;
	p[PAGE_SIZE] = 0x42;
	EXPECT_OK(sys_mprotect(p, 3 * PAGE_SIZE, PROT_READ));
	EXPECT_EQ(touch(a, 0, false), 0);
	EXPECT_SIGNAL(touch(a, 0, true), SIGSEGV);
	EXPECT_OK(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, RW));
	EXPECT_EXIT(touch(a, PAGE_SIZE, true), 0);
	EXPECT_SIGNAL(touch(a, 2 * PAGE_SIZE, true), SIGSEGV);
	EXPECT_OK(sys_mprotect(p, 3 * PAGE_SIZE, RW));
	p[2 * PAGE_SIZE] = 7;
	EXPECT_EQ(p[0], 0x42);
	EXPECT_OK(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_NONE));
	EXPECT_SIGNAL(touch(a, PAGE_SIZE, false), SIGSEGV);
	EXPECT_EQ(p[2 * PAGE_SIZE], 7);
	sys_munmap(p, 3 * PAGE_SIZE);
}

/* MAP_FIXED puts a fresh mapping exactly where asked, replacing what was
 * there: the replaced page reads zero, its neighbours keep their data. */
static void map_fixed_replaces(void)
{
	long a = map(3, RW), f;
	unsigned char *p = (unsigned char *)a;

	if (!EXPECT_OK(a))
		return;
	for (uint32_t i = 0; i < 3; i++)
		p[i * PAGE_SIZE] = 0x11;
	f = sys_mmap2(p + PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0);
	EXPECT_EQ(f, a + PAGE_SIZE);
	EXPECT_EQ(p[0], 0x11);
	EXPECT_EQ(p[PAGE_SIZE], 0);
	EXPECT_EQ(p[2 * PAGE_SIZE], 0x11);
	sys_munmap(p, 3 * PAGE_SIZE);
}

/* The kernel never writes into or reads from memory that the caller could
 * not: unmapped pages and read-only pages give EFAULT. */
static void syscalls_check_access(void)
{
	long ro = map(1, PROT_READ), gone = map(1, RW);
	int fds[2];

	if (!EXPECT_OK(ro) || !EXPECT_OK(gone) || !EXPECT_OK(sys_pipe(fds)))
		return;
	sys_munmap((void *)gone, PAGE_SIZE);
	EXPECT_ERRNO(sys_write(fds[1], (void *)gone, 1), EFAULT);
	EXPECT_EQ(sys_write(fds[1], "abcd", 4), 4);
	EXPECT_ERRNO(sys_read(fds[0], (void *)ro, 4), EFAULT);
	EXPECT_ERRNO(sys_read(fds[0], (void *)gone, 4), EFAULT);
	EXPECT_ERRNO(sys_clock_gettime(CLOCK_MONOTONIC, (void *)ro), EFAULT);
	EXPECT_EQ(*(volatile unsigned char *)ro, 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
	sys_munmap((void *)ro, PAGE_SIZE);
}

/* mmap2's argument errors. */
static void mmap_errors(void)
{
	EXPECT_ERRNO(sys_mmap2(NULL, 0, RW, ANON, -1, 0), EINVAL);
	EXPECT_ERRNO(sys_mmap2(NULL, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0),
		     EINVAL);
	EXPECT_ERRNO(sys_mmap2((void *)0x10000001, PAGE_SIZE, RW,
			       ANON | MAP_FIXED, -1, 0), EINVAL);
	EXPECT_ERRNO(sys_mmap2(NULL, 0xfffff000, RW, ANON, -1, 0), ENOMEM);
	EXPECT_ERRNO(sys_mmap2(NULL, PAGE_SIZE, RW, MAP_PRIVATE, 99, 0), EBADF);
}

/* munmap's and mprotect's argument errors. */
static void munmap_mprotect_errors(void)
{
	long a = map(2, RW);
	char *p = (char *)a;

	if (!EXPECT_OK(a))
		return;
	EXPECT_ERRNO(sys_munmap(p + 1, PAGE_SIZE), EINVAL);
	EXPECT_ERRNO(sys_munmap(p, 0), EINVAL);
	EXPECT_ERRNO(sys_mprotect(p + 1, PAGE_SIZE, PROT_READ), EINVAL);
	EXPECT_ERRNO(sys_mprotect(p, PAGE_SIZE, 0x10), EINVAL);
	EXPECT_OK(sys_munmap(p + PAGE_SIZE, PAGE_SIZE));
	EXPECT_ERRNO(sys_mprotect(p, 2 * PAGE_SIZE, PROT_READ), ENOMEM);
	EXPECT_ERRNO(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ), ENOMEM);
	sys_munmap(p, PAGE_SIZE);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(anon_zeroed),
	KTAP_CASE(spans_page_tables),
	KTAP_CASE(munmap_whole_and_part),
	KTAP_CASE(protections),
	KTAP_CASE(mprotect_changes),
	KTAP_CASE(map_fixed_replaces),
	KTAP_CASE(syscalls_check_access),
	KTAP_CASE(mmap_errors),
	KTAP_CASE(munmap_mprotect_errors),
};

int main(void)
{
	return ktap_run("t_mmap", cases, ARRAY_SIZE(cases));
}
