/*
 * Host tests of kernel/cpio.c: archives built here byte by byte (valid,
 * truncated, corrupted), one made by the real cpio(1), and random damage.
 * Every archive under test sits in a buffer of exactly its length, so
 * AddressSanitizer reports any read past the end.
 */
#define _DEFAULT_SOURCE                 /* popen, mkdtemp */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../kernel/cpio.c"
#include "kernel/stat.h"

struct ar {
	unsigned char *buf;
	size_t len;
};

/* Append raw bytes. */
static void put(struct ar *a, const void *p, size_t n)
{
	if (n == 0)
		return;
	a->buf = realloc(a->buf, a->len + n);
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

/* Append zero bytes up to a multiple of 4, as cpio pads. */
static void pad(struct ar *a)
{
	static const char zeros[4];
	put(a, zeros, (4 - (a->len & 3)) & 3);
}

/* Append an entry with explicit header values (namesize may lie). */
static void add_raw(struct ar *a, const char *name, size_t namesize, uint32_t mode,
		    const void *data, uint32_t filesize, size_t datalen)
{
	char h[CPIO_HEADER_SIZE + 1];
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, mode, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u, (uint32_t)namesize, 0u);
	put(a, h, CPIO_HEADER_SIZE);
	put(a, name, strlen(name) + 1);
	pad(a);
	put(a, data, datalen);
	pad(a);
}

static void add(struct ar *a, const char *name, uint32_t mode, const char *data)
{
	size_t n = data ? strlen(data) : 0;
	add_raw(a, name, strlen(name) + 1, mode, data, (uint32_t)n, n);
}

static void add_trailer(struct ar *a)
{
	add(a, "TRAILER!!!", 0, NULL);
}

/* The sample archive: a directory, two files, a symlink. */
static struct ar sample(void)
{
	struct ar a = { 0 };
	add(&a, "bin", S_IFDIR | 0755, NULL);
	add(&a, "bin/t_exec", S_IFREG | 0755, "\177ELF-not-really");
	add(&a, "./etc/motd", S_IFREG | 0644, "hi\n");
	add(&a, "bin/sh", S_IFLNK | 0777, "t_exec");
	add_trailer(&a);
	return a;
}

/* Copy [buf, buf + n) into a heap block of exactly n bytes. */
static unsigned char *exact(const void *buf, size_t n)
{
	unsigned char *p = malloc(n ? n : 1);
	memcpy(p, buf, n);
	return p;
}

static int validate(const void *buf, size_t len, const char **reason, size_t *off)
{
	*reason = NULL;
	*off = ~(size_t)0;
	return cpio_validate(buf, len, reason, off);
}

static void iterates_in_order(void)
{
	struct ar a = sample();
	struct cpio_iter it;
	struct cpio_entry e;

	cpio_iter_init(&it, a.buf, a.len);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK(strcmp(e.name, "bin") == 0 && S_ISDIR(e.mode) && e.size == 0);
	CHECK_EQ(e.offset, 0);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK(strcmp(e.name, "bin/t_exec") == 0 && S_ISREG(e.mode));
	CHECK_EQ(e.mode & 07777, 0755);
	CHECK_EQ(e.size, 15);
	CHECK(memcmp(e.data, "\177ELF-not-really", 15) == 0);
	CHECK_EQ(((const unsigned char *)e.data - a.buf) % 4, 0);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK(strcmp(e.name, "./etc/motd") == 0 && e.size == 3);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK(S_ISLNK(e.mode) && e.size == 6 && memcmp(e.data, "t_exec", 6) == 0);
	CHECK_EQ(cpio_next(&it, &e), 0);
	CHECK_EQ(cpio_next(&it, &e), 0);                /* stays at the end */
	free(a.buf);
}

static void find_normalizes_leading_root(void)
{
	struct ar a = sample();
	struct cpio_entry e;

	CHECK_EQ(cpio_find(a.buf, a.len, "/bin/t_exec", &e), 0);
	CHECK(strcmp(e.name, "bin/t_exec") == 0 && e.size == 15);
	CHECK_EQ(cpio_find(a.buf, a.len, "bin/t_exec", &e), 0);
	CHECK_EQ(cpio_find(a.buf, a.len, ".//./bin/t_exec", &e), 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "/etc/motd", &e), 0);    /* stored as ./etc/motd */
	CHECK(strcmp(e.name, "./etc/motd") == 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "/bin", &e), 0);
	CHECK(S_ISDIR(e.mode));
	CHECK_EQ(cpio_find(a.buf, a.len, "/bin/t_exe", &e), -ENOENT);
	CHECK_EQ(cpio_find(a.buf, a.len, "/bin/t_exec/", &e), -ENOENT);
	CHECK_EQ(cpio_find(a.buf, a.len, "TRAILER!!!", &e), -ENOENT);
	free(a.buf);

	a = (struct ar){ 0 };
	add(&a, ".hidden", S_IFREG, "x");
	add(&a, "..", S_IFDIR, NULL);
	add_trailer(&a);
	CHECK_EQ(cpio_find(a.buf, a.len, "/.hidden", &e), 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "hidden", &e), -ENOENT);
	CHECK_EQ(cpio_find(a.buf, a.len, "..", &e), 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "/", &e), -ENOENT);
	free(a.buf);
}

static void find_takes_the_last_duplicate(void)
{
	struct ar a = { 0 };
	struct cpio_entry e;

	add(&a, "f", S_IFREG | 0644, "old");
	add(&a, "./f", S_IFREG | 0644, "newer");
	add_trailer(&a);
	CHECK_EQ(cpio_find(a.buf, a.len, "/f", &e), 0);
	CHECK(e.size == 5 && memcmp(e.data, "newer", 5) == 0);
	free(a.buf);
}

/* Every name length mod 4 and data length mod 4 lands on the right bytes. */
static void padding_of_every_residue(void)
{
	struct ar a = { 0 };
	char name[32], data[16];

	for (int n = 1; n <= 8; n++)
		for (int d = 0; d <= 8; d++) {
			snprintf(name, sizeof(name), "%.*s%d", n - 1, "abcdefgh", d);
			snprintf(data, sizeof(data), "%.*s", d, "0123456789");
			add(&a, name, S_IFREG | 0600, data);
		}
	add_trailer(&a);

	const char *reason;
	size_t off;
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), 8 * 9);
	struct cpio_entry e;
	CHECK_EQ(cpio_find(a.buf, a.len, "abcd7", &e), 0);
	CHECK(e.size == 7 && memcmp(e.data, "0123456", 7) == 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "abcdefg0", &e), 0);
	CHECK_EQ(e.size, 0);
	free(a.buf);
}

/* Corrupt one byte of the second header; expect reason at its offset. */
static void expect_bad_header(size_t at, char c, const char *want)
{
	struct ar a = sample();
	const char *reason;
	size_t off;

	size_t second = 0;
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, a.buf, a.len);
	cpio_next(&it, &e);
	cpio_next(&it, &e);
	second = e.offset;

	a.buf[second + at] = (unsigned char)c;
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(reason && strcmp(reason, want) == 0);
	CHECK_EQ(off, second);
	CHECK_EQ(cpio_find(a.buf, a.len, "/etc/motd", &e), -EINVAL);
	free(a.buf);
}

static void rejects_bad_magic_and_hex(void)
{
	expect_bad_header(0, 'X', "bad magic");
	expect_bad_header(5, '7', "bad magic");                   /* "070707": old binary-ish */
	expect_bad_header(6 + 6 * 8 + 3, 'g', "bad hex digit in header");  /* filesize */
	expect_bad_header(6 + 11 * 8, ' ', "bad hex digit in header");     /* namesize */
	expect_bad_header(6 + 12 * 8 + 7, '\0', "bad hex digit in header"); /* check */
}

static void accepts_crc_magic_and_lowercase_hex(void)
{
	struct ar a = sample();
	const char *reason;
	size_t off;

	a.buf[5] = '2';                                 /* "070702" */
	memcpy(a.buf + 6 + 8, "000041ed", 8);           /* mode, lowercase */
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), 4);
	struct cpio_entry e;
	CHECK_EQ(cpio_find(a.buf, a.len, "bin", &e), 0);
	CHECK_EQ(e.mode, 040755);
	free(a.buf);
}

/* Every strict prefix of an archive is rejected, and read within bounds. */
static void rejects_every_truncation(void)
{
	struct ar a = sample();
	size_t trailer_end = a.len;     /* the trailer is last and has no data */

	for (size_t n = 0; n < trailer_end; n++) {
		unsigned char *p = exact(a.buf, n);
		const char *reason;
		size_t off;
		int r = validate(p, n, &reason, &off);
		if (r != -EINVAL)
			fprintf(stderr, "  prefix %zu: %d\n", n, r);
		CHECK_EQ(r, -EINVAL);
		CHECK(reason != NULL && off <= n);
		free(p);
	}
	free(a.buf);
}

static void rejects_huge_and_lying_sizes(void)
{
	const char *reason;
	size_t off;
	struct ar a = { 0 };

	add(&a, "ok", S_IFREG | 0644, "data");
	add_raw(&a, "big", 4, S_IFREG, "abcd", 0xFFFFFFFF, 4);
	add_trailer(&a);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "file data runs past the end") == 0);
	CHECK_EQ(off, 120);
	free(a.buf);

	a = (struct ar){ 0 };
	add_raw(&a, "x", 0xFFFFFFFF, S_IFREG, NULL, 0, 0);
	add_trailer(&a);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "name runs past the end") == 0);
	free(a.buf);

	a = (struct ar){ 0 };
	add_raw(&a, "x", 0, S_IFREG, NULL, 0, 0);
	add_trailer(&a);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "empty name (namesize 0)") == 0);
	free(a.buf);
}

static void rejects_unterminated_names(void)
{
	const char *reason;
	size_t off;
	struct ar a = { 0 };

	add_raw(&a, "name", 4, S_IFREG, NULL, 0, 0);    /* namesize omits the NUL */
	add_trailer(&a);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "name not NUL-terminated at namesize") == 0);
	free(a.buf);

	a = (struct ar){ 0 };
	add_raw(&a, "ab", 4, S_IFREG, NULL, 0, 0);      /* "ab\0" plus a pad NUL: NUL inside */
	add_trailer(&a);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "name not NUL-terminated at namesize") == 0);
	free(a.buf);
}

static void trailer_is_required_and_ends_the_walk(void)
{
	const char *reason;
	size_t off;
	struct ar a = { 0 };

	CHECK_EQ(validate("", 0, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "missing TRAILER!!! (archive ends)") == 0);

	add(&a, "f", S_IFREG, "x");
	unsigned char *p = exact(a.buf, a.len);
	CHECK_EQ(validate(p, a.len, &reason, &off), -EINVAL);
	CHECK(strcmp(reason, "missing TRAILER!!! (archive ends)") == 0);
	CHECK_EQ(off, a.len);
	free(p);

	/* After the trailer: block padding and garbage are ignored. */
	add_trailer(&a);
	put(&a, "\0\0\0\0garbage-070701", 18);
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), 1);
	free(a.buf);
}

static void errors_are_sticky(void)
{
	struct ar a = sample();
	struct cpio_iter it;
	struct cpio_entry e;

	a.buf[0] = 'Y';
	cpio_iter_init(&it, a.buf, a.len);
	CHECK_EQ(cpio_next(&it, &e), -EINVAL);
	a.buf[0] = '0';                                 /* repairing does not resume */
	CHECK_EQ(cpio_next(&it, &e), -EINVAL);
	CHECK(strcmp(it.reason, "bad magic") == 0);
	free(a.buf);
}

/* Random byte damage: never a crash, always a clean verdict. */
static void survives_random_damage(void)
{
	struct ar a = sample();
	uint32_t seed = 12345;

	for (int round = 0; round < 20000; round++) {
		unsigned char *p = exact(a.buf, a.len);
		size_t n = a.len;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			size_t at = (seed >> 8) % n;
			static const char alphabet[] = "0123456789ABCDEFfF\0xX!";
			p[at] = (unsigned char)alphabet[(seed >> 24) % (sizeof(alphabet) - 1)];
		}
		if (round % 3 == 0)
			n = (seed >> 4) % (n + 1);
		const char *reason;
		size_t off;
		struct cpio_entry e;
		int r = validate(p, n, &reason, &off);
		CHECK(r >= 0 || (r == -EINVAL && reason && off <= n));
		r = cpio_find(p, n, "bin/t_exec", &e);
		CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
		if (r == 0)
			CHECK((const unsigned char *)e.data + e.size <= p + n);
		free(p);
	}
	free(a.buf);
}

/* An archive written by the real cpio -o -H newc. */
static void reads_real_cpio_output(void)
{
	char dir[] = "/tmp/cpio_test.XXXXXX", cmd[512];
	struct ar a = { 0 };

	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p bin && printf 'hello, initrd' > bin/t_exec && "
		 "chmod 755 bin/t_exec && printf '' > empty && "
		 "find . | LC_ALL=C sort | cpio -o -H newc --quiet", dir);
	FILE *f = popen(cmd, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	unsigned char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		put(&a, chunk, n);
	CHECK_EQ(pclose(f), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);

	const char *reason = NULL;
	size_t off;
	struct cpio_entry e;
	CHECK_EQ(a.len % 512, 0);                       /* cpio pads to blocks */
	CHECK_EQ(validate(a.buf, a.len, &reason, &off), 4);  /* . bin bin/t_exec empty */
	CHECK_EQ(cpio_find(a.buf, a.len, "/bin/t_exec", &e), 0);
	CHECK(S_ISREG(e.mode) && (e.mode & 0777) == 0755);
	CHECK(e.size == 13 && memcmp(e.data, "hello, initrd", 13) == 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "/empty", &e), 0);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(cpio_find(a.buf, a.len, "/bin", &e), 0);
	CHECK(S_ISDIR(e.mode));
	free(a.buf);
}

TEST_MAIN(TEST(iterates_in_order), TEST(find_normalizes_leading_root),
	  TEST(find_takes_the_last_duplicate), TEST(padding_of_every_residue),
	  TEST(rejects_bad_magic_and_hex), TEST(accepts_crc_magic_and_lowercase_hex),
	  TEST(rejects_every_truncation), TEST(rejects_huge_and_lying_sizes),
	  TEST(rejects_unterminated_names), TEST(trailer_is_required_and_ends_the_walk),
	  TEST(errors_are_sticky), TEST(survives_random_damage),
	  TEST(reads_real_cpio_output))
