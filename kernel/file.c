/* Files, descriptor tables, and the read/write/close system calls. */
#include "kernel/file.h"
#include "kernel/task.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

struct file *file_alloc(const struct file_ops *ops, unsigned mode, void *private)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		*f = (struct file){ .ops = ops, .mode = mode, .refcount = 1, .private = private };
	return f;
}

void fget(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void fput(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

static struct files *files_alloc(void)
{
	struct files *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (files) {
		spin_lock_init(&files->lock);
		files->refcount = 1;
	}
	return files;
}

struct files *files_create_console(void)
{
	struct files *files = files_alloc();
	struct file *console = file_alloc(&console_file_ops, FMODE_READ | FMODE_WRITE, NULL);

	if (!files || !console) {
		kfree(files);
		kfree(console);
		return NULL;
	}
	for (int fd = 0; fd < 3; fd++) {
		files->fd[fd] = console;
		if (fd)
			fget(console);
	}
	return files;
}

struct files *files_dup(struct files *old)
{
	struct files *files = files_alloc();

	if (!files)
		return NULL;
	spin_lock(&old->lock);
	for (int fd = 0; fd < NR_OPEN; fd++) {
		files->fd[fd] = old->fd[fd];
		if (files->fd[fd])
			fget(files->fd[fd]);
	}
	spin_unlock(&old->lock);
	return files;
}

void files_get(struct files *files)
{
	__atomic_add_fetch(&files->refcount, 1, __ATOMIC_RELAXED);
}

void files_put(struct files *files)
{
	if (__atomic_sub_fetch(&files->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files);
}

int fd_install(struct files *files, struct file *f)
{
	int ret = -EMFILE;

	spin_lock(&files->lock);
	for (int fd = 0; fd < NR_OPEN; fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			ret = fd;
			break;
		}
	}
	spin_unlock(&files->lock);
	return ret;
}

struct file *fd_get(struct files *files, int fd)
{
	struct file *f = NULL;

	if (fd < 0 || fd >= NR_OPEN)
		return NULL;
	spin_lock(&files->lock);
	f = files->fd[fd];
	if (f)
		fget(f);
	spin_unlock(&files->lock);
	return f;
}

/*
 * read and write: Linux's order of checks, so that errno matches: a bad
 * descriptor or one opened the other way is EBADF before a bad buffer is
 * EFAULT, and a count of 0 touches nothing.
 */
static long read_write(int fd, uintptr_t buf, size_t count, unsigned mode)
{
	struct file *f = fd_get(current->files, fd);
	long (*op)(struct file *, uintptr_t, size_t);
	long ret;

	if (!f)
		return -EBADF;
	op = mode == FMODE_READ ? f->ops->read : f->ops->write;
	if (!(f->mode & mode) || !op)
		ret = -EBADF;
	else if (!access_ok(buf, count))
		ret = -EFAULT;
	else
		ret = count ? op(f, buf, count) : 0;
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(read, int, fd, uintptr_t, buf, size_t, count)
{
	return read_write(fd, buf, count, FMODE_READ);
}

SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
{
	return read_write(fd, buf, count, FMODE_WRITE);
}

int fd_close(struct files *files, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&files->lock);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	spin_unlock(&files->lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(current->files, fd);
}

/* Console writes go out in chunks copied from user memory. */
static long console_write_user(struct file *f, uintptr_t ubuf, size_t n)
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t len = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		if (copy_from_user(chunk, ubuf + done, len))
			return done ? (long)done : -EFAULT;
		console_write(chunk, len);
		done += len;
	}
	return (long)done;
}

/* There is no keyboard: the console reads as an empty file. */
static long console_read_user(struct file *f, uintptr_t ubuf, size_t n)
{
	return 0;
}

const struct file_ops console_file_ops = {
	.read = console_read_user,
	.write = console_write_user,
};
