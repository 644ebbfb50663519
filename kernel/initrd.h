/*
 * The initial archive: a cpio (newc) boot module holding /init and the
 * programs it runs.  It is the whole file system: read-only, in memory.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stddef.h>
#include <stdint.h>

/* Find the archive among the boot modules and check it; reports problems. */
void initrd_init(void);

/*
 * Look up an absolute or relative path ("/bin/t_exec", "bin/t_exec") as
 * execve would: returns 0 with the file's contents, or -ENOENT, -ENOTDIR
 * (a component is a file), -EACCES (a directory, or not executable).
 */
int initrd_lookup_exec(const char *path, const void **data, size_t *size);

#endif
