/*
 * Reading a cpio "newc" archive in place: the initial ram archive the boot
 * loader passes as a multiboot module (GRUB `module`, QEMU `-initrd`).
 *
 * An entry is a 110-byte ASCII header, the name, then the data:
 *
 *   "070701"  magic ("070702": the same with a checksum, which we ignore)
 *   13 fields of 8 hex digits: ino mode uid gid nlink mtime filesize
 *             devmajor devminor rdevmajor rdevminor namesize check
 *   name      namesize bytes including its NUL, padded so that header
 *             plus name is a multiple of 4
 *   data      filesize bytes, padded to a multiple of 4
 *
 * The entry named "TRAILER!!!" ends the archive; bytes after it are ignored
 * (cpio pads archives to 512-byte blocks).  Offsets and padding are counted
 * from the start of the archive.
 *
 * Everything here is pure: it reads (buf, len) and never trusts a field.
 * A malformed archive yields -EINVAL and a reason with the offset of the
 * entry at fault, never a read outside [buf, buf + len).  Entries point
 * into the archive, which must outlive them.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE        110

struct cpio_entry {
	const char *name;       /* NUL-terminated, as stored: "bin/sh", "./bin/sh" */
	uint32_t mode;          /* st_mode: S_IFMT type bits and permissions (kernel/stat.h) */
	const void *data;       /* file contents (a symlink's target), inside the archive */
	size_t size;            /* bytes at data */
	size_t offset;          /* of this entry's header from the archive start */
};

struct cpio_iter {
	const unsigned char *base;
	size_t len;
	size_t pos;             /* offset of the next header */
	int status;             /* 0, or -errno once the archive proved malformed */
	const char *reason;     /* why the walk failed, when status < 0 */
	size_t err_offset;      /* offset of the header at fault */
};

/* Start walking the archive [archive, archive + len). */
void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t len);

/*
 * Fill *out with the next entry.  Returns 1 for an entry, 0 at the trailer
 * (and on every later call), or -EINVAL for a malformed archive, with
 * it->reason and it->err_offset saying what and where (sticky as well).
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *out);

/*
 * Find path in the archive.  A leading "/" or "./" (repeated) is ignored on
 * both sides, so "/bin/t_exec" finds an entry stored as "bin/t_exec" or
 * "./bin/t_exec".  When a name occurs twice the later entry wins, as when
 * the archive is extracted in order.  Returns 0 with *out filled, -ENOENT,
 * or -EINVAL if the archive is malformed (cpio_validate says why).
 */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *out);

/*
 * Walk the whole archive once.  Returns the number of entries before the
 * trailer, or -EINVAL with *reason and *offset naming the first fault, for
 * a message like "initrd: bad magic at offset 0x1234".
 */
int cpio_validate(const void *archive, size_t len, const char **reason, size_t *offset);

#endif
