/*
 * Pipes: bytes in order within and between processes, partial reads, end of
 * file once every writer has closed, blocking in both directions, SIGPIPE,
 * and the errors of pipe, read and write on pipe ends.
 */
#include "child.h"
#include "ktap.h"
#include "syscall.h"

#define BIG (200 * 1024)	/* more than a pipe holds, on Linux 64 KiB */

/* Closes both ends of a pipe. */
static void close_pipe(int fds[2])
{
	sys_close(fds[0]);
	sys_close(fds[1]);
}

/* Bytes written come out in order; a read returns what is there (up to
 * its count) rather than waiting for more. */
static void roundtrip_partial_reads(void)
{
	int fds[2];
	char buf[100];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_NE(fds[0], fds[1]);
	EXPECT_EQ(sys_write(fds[1], "0123456789", 10), 10);
	EXPECT_EQ(sys_read(fds[0], buf, 4), 4);
	EXPECT_EQ(buf[0], '0');
	EXPECT_EQ(buf[3], '3');
	EXPECT_EQ(sys_read(fds[0], buf, sizeof(buf)), 6);
	EXPECT_EQ(buf[0], '4');
	EXPECT_EQ(buf[5], '9');
	EXPECT_EQ(sys_write(fds[1], buf, 0), 0);
	EXPECT_EQ(sys_read(fds[0], buf, 0), 0);
	close_pipe(fds);
}

/* Once the only write end is closed, read returns 0 (after the data). */
static void eof_after_close(void)
{
	int fds[2];
	char buf[8];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_EQ(sys_write(fds[1], "ab", 2), 2);
	EXPECT_OK(sys_close(fds[1]));
	EXPECT_EQ(sys_read(fds[0], buf, sizeof(buf)), 2);
	EXPECT_EQ(sys_read(fds[0], buf, sizeof(buf)), 0);
	EXPECT_EQ(sys_read(fds[0], buf, sizeof(buf)), 0);
	sys_close(fds[0]);
}

/* Child side of two_writers: writes 100 copies of one byte, then exits. */
struct writer {
	int fds[2];
	char byte;
};

static int write_100(void *arg)
{
	struct writer *w = arg;
	char buf[100];

	sys_close(w->fds[0]);
	for (int i = 0; i < 100; i++)
		buf[i] = w->byte;
	return sys_write(w->fds[1], buf, sizeof(buf)) == 100 ? 0 : 1;
}

/* Two children write into one pipe; the parent, having closed its own
 * write end, reads everything and then end of file when both are gone. */
static void two_writers(void)
{
	struct writer w = { .byte = 'a' };
	long pid[2];
	int count[2] = { 0, 0 };
	char buf[64];
	long r;

	if (!EXPECT_OK(sys_pipe(w.fds)))
		return;
	pid[0] = child_start(write_100, &w);
	w.byte = 'b';
	pid[1] = child_start(write_100, &w);
	sys_close(w.fds[1]);
	while ((r = sys_read(w.fds[0], buf, sizeof(buf))) > 0)
		for (long i = 0; i < r; i++)
			count[buf[i] - 'a']++;
	EXPECT_EQ(r, 0);
	EXPECT_EQ(count[0], 100);
	EXPECT_EQ(count[1], 100);
	EXPECT_EXIT(child_wait(pid[0]), 0);
	EXPECT_EXIT(child_wait(pid[1]), 0);
	sys_close(w.fds[0]);
}

/* Child side of big_transfer: writes BIG bytes of a counting pattern in
 * odd-sized pieces. */
static int write_big(void *arg)
{
	int *fds = arg;
	unsigned char buf[1000];
	long sent = 0;

	sys_close(fds[0]);
	while (sent < BIG) {
		long n = BIG - sent < 1000 ? BIG - sent : 1000;

		for (long i = 0; i < n; i++)
			buf[i] = (unsigned char)((sent + i) % 251);
		if (sys_write(fds[1], buf, (size_t)n) != n)
			return 1;
		sent += n;
	}
	return 0;
}

/* More data than the pipe can hold: the writer blocks until the reader
 * drains it, and every byte arrives once, in order. */
static void big_transfer(void)
{
	unsigned char buf[777];
	long got = 0, bad = -1, r;
	int fds[2];
	long pid;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	pid = child_start(write_big, fds);
	sys_close(fds[1]);
	while ((r = sys_read(fds[0], buf, sizeof(buf))) > 0) {
		for (long i = 0; i < r && bad < 0; i++)
			if (buf[i] != (got + i) % 251)
				bad = got + i;
		got += r;
	}
	EXPECT_EQ(r, 0);
	EXPECT_EQ(got, BIG);
	EXPECT_EQ(bad, -1);
	EXPECT_EXIT(child_wait(pid), 0);
	sys_close(fds[0]);
}

/* Child side of reader_blocks: writes one byte after 10 ms. */
static int write_late(void *arg)
{
	const struct timespec ms10 = { 0, 10 * 1000 * 1000 };
	int *fds = arg;

	sys_nanosleep(&ms10, NULL);
	return sys_write(fds[1], "z", 1) == 1 ? 0 : 1;
}

/* A read on an empty pipe with a live writer sleeps until data comes. */
static void reader_blocks(void)
{
	int fds[2];
	char c = 0;
	long pid;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	pid = child_start(write_late, fds);
	EXPECT_EQ(sys_read(fds[0], &c, 1), 1);
	EXPECT_EQ(c, 'z');
	EXPECT_EXIT(child_wait(pid), 0);
	close_pipe(fds);
}

/* Child side of fork_shares_pipe: closes its copies of both ends. */
static int close_both(void *arg)
{
	int *fds = arg;

	return sys_close(fds[0]) == 0 && sys_close(fds[1]) == 0 ? 0 : 1;
}

/* After fork each process has its own descriptor table: the child closing
 * its ends leaves the parent's open. */
static void fork_shares_pipe(void)
{
	int fds[2];
	char c = 0;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_EXIT(child_run(close_both, fds), 0);
	EXPECT_EQ(sys_write(fds[1], "k", 1), 1);
	EXPECT_EQ(sys_read(fds[0], &c, 1), 1);
	EXPECT_EQ(c, 'k');
	close_pipe(fds);
}

/* Child side of sigpipe: writes to a pipe that has no reader. */
static int write_unread(void *arg)
{
	int *fds = arg;

	sys_close(fds[0]);
	return -(int)sys_write(fds[1], "x", 1);
}

/* Writing to a pipe whose read ends are all closed kills the writer with
 * SIGPIPE (13), the default action Linux takes. */
static void sigpipe(void)
{
	int fds[2];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	sys_close(fds[0]);
	EXPECT_SIGNAL(child_run(write_unread, fds), SIGPIPE);
	sys_close(fds[1]);
}

/* pipe(2) with a pointer it cannot write: EFAULT, and no descriptor is
 * left behind (the next pipe gets the same, lowest, numbers). */
static void pipe_bad_pointer(void)
{
	int fds[2], again[2];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	close_pipe(fds);
	EXPECT_ERRNO(sys_pipe((int *)1), EFAULT);
	EXPECT_ERRNO(sys_pipe(NULL), EFAULT);
	EXPECT_ERRNO(sys_pipe((int *)0xc0000000), EFAULT);
	if (!EXPECT_OK(sys_pipe(again)))
		return;
	EXPECT_EQ(again[0], fds[0]);
	EXPECT_EQ(again[1], fds[1]);
	close_pipe(again);
}

/* Each end works one way only: EBADF the other way. */
static void wrong_direction(void)
{
	int fds[2];
	char c;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_ERRNO(sys_write(fds[0], "x", 1), EBADF);
	EXPECT_ERRNO(sys_read(fds[1], &c, 1), EBADF);
	close_pipe(fds);
}

/* read into, or write from, memory the caller cannot access: EFAULT, and
 * the data stays in the pipe. */
static void bad_buffers(void)
{
	int fds[2];
	char buf[4];

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	EXPECT_ERRNO(sys_write(fds[1], (void *)1, 1), EFAULT);
	EXPECT_ERRNO(sys_write(fds[1], (void *)0xc0000000, 4), EFAULT);
	EXPECT_EQ(sys_write(fds[1], "abc", 3), 3);
	EXPECT_ERRNO(sys_read(fds[0], (void *)1, 3), EFAULT);
	EXPECT_ERRNO(sys_read(fds[0], (void *)0xc0000000, 3), EFAULT);
	EXPECT_EQ(sys_read(fds[0], buf, sizeof(buf)), 3);
	EXPECT_EQ(buf[2], 'c');
	close_pipe(fds);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(roundtrip_partial_reads),
	KTAP_CASE(eof_after_close),
	KTAP_CASE(two_writers),
	KTAP_CASE(big_transfer),
	KTAP_CASE(reader_blocks),
	KTAP_CASE(fork_shares_pipe),
	KTAP_CASE(sigpipe),
	KTAP_CASE(pipe_bad_pointer),
	KTAP_CASE(wrong_direction),
	KTAP_CASE(bad_buffers),
};

int main(void)
{
	return ktap_run("t_pipe", cases, ARRAY_SIZE(cases));
}
