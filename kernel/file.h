/*
 * Open files and file-descriptor tables.  A file is refcounted: fork and
 * dup share it; the last close releases it.  A table is shared by the
 * threads of a process (CLONE_FILES) and copied by fork.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/spinlock.h"

#define NR_OPEN         64
#define FMODE_READ      1u
#define FMODE_WRITE     2u

struct file;

struct file_ops {
	/* Move up to n bytes between the file and user memory; bytes moved or -errno. */
	long (*read)(struct file *f, uintptr_t ubuf, size_t n);
	long (*write)(struct file *f, uintptr_t ubuf, size_t n);
	/* The last reference is gone. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	unsigned mode;                  /* FMODE_READ | FMODE_WRITE */
	int refcount;
	void *private;
};

struct files {
	spinlock_t lock;
	int refcount;
	struct file *fd[NR_OPEN];
};

/* A file with one reference, or NULL when memory is short. */
struct file *file_alloc(const struct file_ops *ops, unsigned mode, void *private);
void fget(struct file *f);
void fput(struct file *f);

/* The table the first process starts with: 0, 1, 2 on the console. */
struct files *files_create_console(void);
/* A copy for fork (every file gains a reference), or NULL. */
struct files *files_dup(struct files *old);
void files_get(struct files *files);
void files_put(struct files *files);

/* Install f at the lowest free descriptor; returns it or -EMFILE. */
int fd_install(struct files *files, struct file *f);
/* Close fd; returns 0 or -EBADF. */
int fd_close(struct files *files, int fd);
/* The file of fd with a reference taken, or NULL if fd is not open. */
struct file *fd_get(struct files *files, int fd);

/* The console as a file (writes print; reads see end of file). */
extern const struct file_ops console_file_ops;

#endif
