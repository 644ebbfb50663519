/*
 * The actor's pipes and the fds it may name. An actor reads only from a
 * pipe it knows holds data (or has no writer), and writes at most the room
 * the smallest pipe has left, so it never blocks; anything it cannot
 * predict makes the pipe stale, and a stale pipe is replaced.
 */
#include "fuzz.h"
#include "string.h"

/* fds that are never open: negative, past any table, huge. */
static const int bad_fds[] = { -1, -2, 0x7fffffff, (int)0x80000000, 0x100000, 65536 };

/* Opens pipe p; on failure (EMFILE, ENOMEM) it stays closed. */
static void pipe_open(struct actor *a, struct fpipe *p)
{
	int fds[2];
	long r = fuzz_call(a, __NR_pipe, (long)fds, 0, 0, 0, 0, 0);

	*p = (struct fpipe){ .rfd = -1, .wfd = -1 };
	if (r == 0) {
		p->rfd = fds[0];
		p->wfd = fds[1];
	} else if (r != -EMFILE && r != -ENOMEM) {
		fuzz_fail(a, r, "pipe into valid memory failed");
	}
}

/* Closes both ends of p that are still open. */
static void pipe_close(struct actor *a, struct fpipe *p)
{
	if (p->rfd >= 0 && fuzz_call(a, __NR_close, p->rfd, 0, 0, 0, 0, 0) != 0)
		fuzz_fail(a, -1, "close of our own pipe's read end failed");
	if (p->wfd >= 0 && fuzz_call(a, __NR_close, p->wfd, 0, 0, 0, 0, 0) != 0)
		fuzz_fail(a, -1, "close of our own pipe's write end failed");
	p->rfd = p->wfd = -1;
}

void pipes_init(struct actor *a)
{
	for (int i = 0; i < ACTOR_PIPES; i++)
		pipe_open(a, &a->pipe[i]);
}

void pipes_close(struct actor *a)
{
	for (int i = 0; i < ACTOR_PIPES; i++)
		pipe_close(a, &a->pipe[i]);
}

void pipes_refresh(struct actor *a)
{
	for (int i = 0; i < ACTOR_PIPES; i++) {
		struct fpipe *p = &a->pipe[i];

		if (p->stale || (p->rfd < 0 && p->wfd < 0)) {
			pipe_close(a, p);
			pipe_open(a, p);
		}
	}
}

void pipes_selftest(struct actor *a)
{
	struct fpipe p;
	uint8_t out[256], in[256];
	long r;

	pipe_open(a, &p);
	if (p.rfd < 0)
		return;                 /* out of fds or memory: nothing to test */
	for (unsigned i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)rnd(a);
	r = fuzz_call(a, __NR_write, p.wfd, (long)out, sizeof(out), 0, 0, 0);
	if (r != (long)sizeof(out))
		fuzz_fail(a, r, "self-test: write to a fresh pipe");
	r = fuzz_call(a, __NR_read, p.rfd, (long)in, sizeof(in), 0, 0, 0);
	if (r != (long)sizeof(in) || memcmp(in, out, sizeof(in)) != 0)
		fuzz_fail(a, r, "self-test: read back from a fresh pipe");
	pipe_close(a, &p);
}

int gen_fd(struct actor *a, struct fpipe **pp, bool *is_read)
{
	struct fpipe *p = &a->pipe[rnd_below(a, ACTOR_PIPES)];

	*pp = NULL;
	if (one_in(a, 6))
		return bad_fds[rnd_below(a, ARRAY_SIZE(bad_fds))];
	*is_read = one_in(a, 2);
	if ((*is_read ? p->rfd : p->wfd) < 0)
		return bad_fds[rnd_below(a, ARRAY_SIZE(bad_fds))];
	*pp = p;
	return *is_read ? p->rfd : p->wfd;
}
