/* The cpio "newc" reader; see cpio.h. */
#include "kernel/cpio.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/string.h"

/* Field indices of the 13 hex fields that follow the 6-byte magic. */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, NR_FIELDS };

#define MAGIC_LEN       6
#define FIELD_LEN       8

_Static_assert(MAGIC_LEN + NR_FIELDS * FIELD_LEN == CPIO_HEADER_SIZE,
	       "newc header layout");

static const char trailer_name[] = "TRAILER!!!";

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t len)
{
	it->base = archive;
	it->len = len;
	it->pos = 0;
	it->status = 0;
	it->reason = NULL;
	it->err_offset = 0;
}

/* Record a malformed archive at offset; returns -EINVAL. */
static int fail(struct cpio_iter *it, size_t offset, const char *reason)
{
	it->status = -EINVAL;
	it->reason = reason;
	it->err_offset = offset;
	return -EINVAL;
}

/* Parse exactly 8 hex digits into *val; returns false on any other byte. */
static bool parse_hex8(const unsigned char *s, uint32_t *val)
{
	uint32_t v = 0;

	for (int i = 0; i < FIELD_LEN; i++) {
		unsigned c = s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*val = v;
	return true;
}

/* Bytes of padding after offset off up to the next multiple of 4. */
static size_t pad4(size_t off)
{
	return (4 - (off & 3)) & 3;
}

/*
 * Every bound is checked as "need <= left" where left = len - pos, never as
 * "pos + need <= len", so no sum can wrap whatever the fields say.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *out)
{
	if (it->status < 0)
		return it->status;

	size_t at = it->pos, left = it->len - it->pos;
	uint32_t f[NR_FIELDS];

	if (left == 0)
		return fail(it, at, "missing TRAILER!!! (archive ends)");
	const unsigned char *h = it->base + at;
	if (left < CPIO_HEADER_SIZE)
		return fail(it, at, "truncated header");
	if (memcmp(h, "070701", MAGIC_LEN) != 0 && memcmp(h, "070702", MAGIC_LEN) != 0)
		return fail(it, at, "bad magic");
	for (int i = 0; i < NR_FIELDS; i++)
		if (!parse_hex8(h + MAGIC_LEN + i * FIELD_LEN, &f[i]))
			return fail(it, at, "bad hex digit in header");

	/* The name: namesize bytes, its first NUL the last byte. */
	size_t namesize = f[F_NAMESIZE];
	const char *name = (const char *)h + CPIO_HEADER_SIZE;
	left -= CPIO_HEADER_SIZE;
	if (namesize == 0)
		return fail(it, at, "empty name (namesize 0)");
	if (namesize > left)
		return fail(it, at, "name runs past the end");
	if (strnlen(name, namesize) != namesize - 1)
		return fail(it, at, "name not NUL-terminated at namesize");
	left -= namesize;

	/* The data, after the name's padding. */
	size_t data_off = at + CPIO_HEADER_SIZE + namesize;
	size_t pad = pad4(data_off);
	if (pad > left)
		return fail(it, at, "name padding runs past the end");
	data_off += pad;
	left -= pad;
	size_t size = f[F_FILESIZE];
	if (size > left)
		return fail(it, at, "file data runs past the end");

	/* The trailer is never passed, so every later call returns 0 too. */
	if (strcmp(name, trailer_name) == 0)
		return 0;

	/* The data's padding may be cut off only by the end of the archive. */
	left -= size;
	it->pos = data_off + size + MIN(left, pad4(data_off + size));
	out->name = name;
	out->mode = f[F_MODE];
	out->data = it->base + data_off;
	out->size = size;
	out->offset = at;
	return 1;
}

/* Skip any leading "/" and "./" components: archives store relative names. */
static const char *skip_root(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *out)
{
	struct cpio_iter it;
	struct cpio_entry e, match;
	bool found = false;
	int r;

	path = skip_root(path);
	cpio_iter_init(&it, archive, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		if (strcmp(skip_root(e.name), path) == 0) {
			match = e;
			found = true;
		}
	}
	if (r < 0)
		return r;
	if (!found)
		return -ENOENT;
	*out = match;
	return 0;
}

int cpio_validate(const void *archive, size_t len, const char **reason, size_t *offset)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int n = 0, r;

	cpio_iter_init(&it, archive, len);
	while ((r = cpio_next(&it, &e)) > 0)
		n++;
	if (r < 0) {
		*reason = it.reason;
		*offset = it.err_offset;
		return r;
	}
	return n;
}
