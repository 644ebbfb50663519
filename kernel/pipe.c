/*
 * Pipes: a 64 KiB ring buffer between a read end and a write end, as
 * Linux's default pipe capacity; its pages are allocated on first use.
 *
 * Linux semantics (pipe(7)): a read blocks while the pipe is empty and a
 * writer exists, and returns 0 (end of file) once none does; a write blocks
 * until all its bytes are in, and a write of at most PIPE_BUF bytes goes in
 * at once, never interleaved with another; writing with no reader left
 * returns -EPIPE and the writer dies of SIGPIPE on its way out of the call
 * (the default action; we have no handlers).
 */
#include "kernel/file.h"
#include "kernel/task.h"
#include "kernel/wait.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/uaccess.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"

#define PIPE_PAGES      16
#define PIPE_SIZE       (PIPE_PAGES * PAGE_SIZE)
#define PIPE_BUF        4096            /* writes up to this size are atomic */

struct pipe {
	spinlock_t lock;
	struct wait_queue_head wq;      /* readers and writers wait here */
	char *page[PIPE_PAGES];         /* the ring, one lowmem page each; NULL until used */
	size_t head, len;               /* read position, bytes held */
	int readers, writers;           /* open ends */
};

/* The contiguous run of the ring at pos: at most to the end of its page. */
static size_t ring_run(size_t pos, size_t n)
{
	size_t room = PAGE_SIZE - pos % PAGE_SIZE;
	return n < room ? n : room;
}

/* Copy out what the pipe holds (up to n) with the lock held; bytes or -EFAULT. */
static long pipe_take(struct pipe *p, uintptr_t ubuf, size_t n)
{
	size_t done = 0;

	while (done < n && p->len) {
		size_t run = ring_run(p->head, p->len < n - done ? p->len : n - done);
		if (copy_to_user(ubuf + done, p->page[p->head / PAGE_SIZE] + p->head % PAGE_SIZE, run))
			return done ? (long)done : -EFAULT;
		p->head = (p->head + run) % PIPE_SIZE;
		p->len -= run;
		done += run;
	}
	return (long)done;
}

static long pipe_read(struct file *f, uintptr_t ubuf, size_t n)
{
	struct pipe *p = f->private;

	spin_lock(&p->lock);
	while (!p->len && p->writers) {
		spin_unlock(&p->lock);
		if (wait_event_killable(p->wq, READ_ONCE(p->len) || !READ_ONCE(p->writers)))
			return -EINTR;
		spin_lock(&p->lock);
	}
	long ret = pipe_take(p, ubuf, n);
	spin_unlock(&p->lock);
	wake_up(&p->wq);
	return ret;
}

/*
 * Copy in as much of [ubuf, ubuf + n) as fits, lock held.  Returns the
 * bytes copied; *err is set (-EFAULT, -ENOMEM) when it stopped short for
 * another reason than a full ring.
 */
static size_t pipe_put(struct pipe *p, uintptr_t ubuf, size_t n, long *err)
{
	size_t done = 0;

	while (done < n && p->len < PIPE_SIZE) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t want = PIPE_SIZE - p->len < n - done ? PIPE_SIZE - p->len : n - done;
		size_t run = ring_run(tail, want);
		char **page = &p->page[tail / PAGE_SIZE];
		if (!*page) {
			struct page *pg = alloc_page(GFP_KERNEL);
			if (!pg) {
				*err = -ENOMEM;
				break;
			}
			*page = page_address(pg);
		}
		if (copy_from_user(*page + tail % PAGE_SIZE, ubuf + done, run)) {
			*err = -EFAULT;
			break;
		}
		p->len += run;
		done += run;
	}
	return done;
}

static long pipe_write(struct file *f, uintptr_t ubuf, size_t n)
{
	struct pipe *p = f->private;
	size_t need = n <= PIPE_BUF ? n : 1;    /* room to wait for before copying */
	size_t done = 0;
	long err = 0;

	spin_lock(&p->lock);
	while (done < n && !err) {
		if (!p->readers) {
			spin_unlock(&p->lock);
			send_fatal_signal(SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		if (PIPE_SIZE - p->len < need) {
			spin_unlock(&p->lock);
			if (wait_event_killable(p->wq, PIPE_SIZE - READ_ONCE(p->len) >= need ||
						       !READ_ONCE(p->readers)))
				return done ? (long)done : -EINTR;
			spin_lock(&p->lock);
			continue;
		}
		done += pipe_put(p, ubuf + done, n - done, &err);
		/*
		 * A fault part way ends the write.  An atomic one went in whole
		 * under the lock, unseen: take it back, all or nothing (Linux:
		 * EFAULT); a longer one returns what went in.
		 */
		if (err && n <= PIPE_BUF) {
			p->len -= done;
			done = 0;
		}
		wake_up(&p->wq);
	}
	spin_unlock(&p->lock);
	return done ? (long)done : err;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->private;

	spin_lock(&p->lock);
	if (f->mode & FMODE_READ)
		p->readers--;
	else
		p->writers--;
	bool last = !p->readers && !p->writers;
	spin_unlock(&p->lock);
	wake_up(&p->wq);
	if (last) {
		for (int i = 0; i < PIPE_PAGES; i++)
			if (p->page[i])
				free_page(virt_to_page(p->page[i]));
		kfree(p);
	}
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
};

/* Make a pipe's two ends; returns 0 or -ENOMEM. */
static int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	*rd = p ? file_alloc(&pipe_ops, FMODE_READ, p) : NULL;
	*wr = *rd ? file_alloc(&pipe_ops, FMODE_WRITE, p) : NULL;
	if (!*wr) {
		kfree(*rd);
		kfree(p);
		return -ENOMEM;
	}
	spin_lock_init(&p->lock);
	init_waitqueue_head(&p->wq);
	p->readers = p->writers = 1;
	return 0;
}

SYSCALL_DEFINE1(pipe, uintptr_t, ufds)
{
	struct file *rd, *wr;
	int fds[2];

	if (!access_ok(ufds, sizeof(fds)))
		return -EFAULT;
	int err = pipe_create(&rd, &wr);
	if (err)
		return err;
	fds[0] = fd_install(current->files, rd);
	if (fds[0] < 0) {
		fput(rd);
		fput(wr);
		return fds[0];
	}
	fds[1] = fd_install(current->files, wr);
	if (fds[1] < 0) {
		fd_close(current->files, fds[0]);
		fput(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(current->files, fds[0]);
		fd_close(current->files, fds[1]);
		return -EFAULT;
	}
	return 0;
}
