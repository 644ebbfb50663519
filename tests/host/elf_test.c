/*
 * Host tests of kernel/elf.c: executables assembled here header by header
 * (one good image and one fault per test case), random damage, and real
 * binaries from gcc -m32.  Images sit in heap blocks of exactly their
 * length so AddressSanitizer catches any read past the end.
 */
#define _DEFAULT_SOURCE                 /* popen, mkdtemp */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "../../kernel/elf.c"

/* An image under construction: headers as structs, then the file size. */
struct spec {
	struct elf32_hdr eh;
	struct elf32_phdr ph[ELF_MAX_PHNUM + 1];
	size_t len;
};

#define TEXT    0x08048000u
#define DATA    0x0804a000u

/* A good static executable: text (with the headers), data + bss, GNU_STACK. */
static struct spec good(void)
{
	struct spec s = { 0 };
	memcpy(s.eh.e_ident, "\177ELF", 4);
	s.eh.e_ident[EI_CLASS] = ELFCLASS32;
	s.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	s.eh.e_ident[EI_VERSION] = EV_CURRENT;
	s.eh.e_type = ET_EXEC;
	s.eh.e_machine = EM_386;
	s.eh.e_version = EV_CURRENT;
	s.eh.e_entry = TEXT + 0x100;
	s.eh.e_phoff = sizeof(struct elf32_hdr);
	s.eh.e_ehsize = sizeof(struct elf32_hdr);
	s.eh.e_phentsize = sizeof(struct elf32_phdr);
	s.eh.e_phnum = 3;
	s.ph[0] = (struct elf32_phdr){ PT_LOAD, 0, TEXT, TEXT, 0x1000, 0x1000, PF_R | PF_X, 0x1000 };
	s.ph[1] = (struct elf32_phdr){ PT_LOAD, 0x2010, DATA + 0x10, DATA + 0x10, 0x100, 0x3000,
				       PF_R | PF_W, 0x1000 };
	s.ph[2] = (struct elf32_phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };
	s.len = 0x3000;
	return s;
}

/* Lay the spec out in a heap block of exactly s->len bytes. */
static unsigned char *build(const struct spec *s)
{
	unsigned char *p = calloc(1, s->len ? s->len : 1);
	size_t eh = sizeof(s->eh) < s->len ? sizeof(s->eh) : s->len;
	memcpy(p, &s->eh, eh);
	for (unsigned i = 0; i < s->eh.e_phnum && i <= ELF_MAX_PHNUM; i++) {
		size_t at = (size_t)s->eh.e_phoff + i * sizeof(struct elf32_phdr);
		for (size_t k = 0; k < sizeof(s->ph[i]) && at + k < s->len; k++)
			p[at + k] = ((const unsigned char *)&s->ph[i])[k];
	}
	return p;
}

/* Parse a spec; returns elf_parse's result and its reason. */
static int parse(const struct spec *s, struct elf_image *img, const char **reason)
{
	unsigned char *p = build(s);
	*reason = NULL;
	int r = elf_parse(p, s->len, img, reason);
	free(p);
	return r;
}

/* Expect the spec to be rejected for the given reason. */
#define CHECK_REJECT(spec, want)                                                \
	do {                                                                    \
		struct elf_image _img;                                          \
		const char *_why;                                               \
		int _r = parse(&(spec), &_img, &_why);                          \
		CHECK_EQ(_r, -ENOEXEC);                                         \
		if (!_why || strcmp(_why, want) != 0) {                         \
			fprintf(stderr, "  %s:%d: reason \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, _why ? _why : "(none)", want); \
			check_failures++;                                       \
		}                                                               \
	} while (0)

#define CHECK_ACCEPT(spec, img)                                                 \
	do {                                                                    \
		const char *_why;                                               \
		int _r = parse(&(spec), &(img), &_why);                         \
		if (_r != 0)                                                    \
			fprintf(stderr, "  %s:%d: rejected: %s\n", __FILE__,    \
				__LINE__, _why);                                \
		CHECK_EQ(_r, 0);                                                \
	} while (0)

static void describes_a_good_image(void)
{
	struct spec s = good();
	struct elf_image img;

	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.entry, TEXT + 0x100);
	CHECK_EQ(img.phdr_vaddr, TEXT + 52);
	CHECK_EQ(img.phentsize, 32);
	CHECK_EQ(img.phnum, 3);
	CHECK_EQ(img.nr_segments, 2);
	CHECK_EQ(img.seg[0].vaddr, TEXT);
	CHECK_EQ(img.seg[0].prot, PROT_READ | PROT_EXEC);
	CHECK_EQ(img.seg[1].vaddr, DATA + 0x10);
	CHECK_EQ(img.seg[1].offset, 0x2010);
	CHECK_EQ(img.seg[1].filesz, 0x100);
	CHECK_EQ(img.seg[1].memsz, 0x3000);
	CHECK_EQ(img.seg[1].prot, PROT_READ | PROT_WRITE);
	CHECK_EQ(img.brk, DATA + 0x3010);
	CHECK_EQ(img.stack, ELF_STACK_NOEXEC);
}

/* The ELF spec wants PT_LOADs sorted by address; Linux does not insist. */
static void accepts_segments_in_any_order(void)
{
	struct spec s = good();
	struct elf_image img;

	struct elf32_phdr t = s.ph[0];
	s.ph[0] = s.ph[1];
	s.ph[1] = t;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.seg[0].vaddr, DATA + 0x10);
	CHECK_EQ(img.brk, DATA + 0x3010);
	CHECK_EQ(img.phdr_vaddr, TEXT + 52);
}

static void rejects_bad_file_headers(void)
{
	struct spec s;

	s = good(); s.len = 51;
	CHECK_REJECT(s, "too short for an ELF header");
	s = good(); s.eh.e_ident[3] = 'f';
	CHECK_REJECT(s, "bad ELF magic");
	s = good(); s.eh.e_ident[EI_CLASS] = 2;
	CHECK_REJECT(s, "not ELFCLASS32 (a 64-bit or invalid class)");
	s = good(); s.eh.e_ident[EI_DATA] = 2;
	CHECK_REJECT(s, "not little-endian (ELFDATA2LSB)");
	s = good(); s.eh.e_ident[EI_VERSION] = 0;
	CHECK_REJECT(s, "not ELF version EV_CURRENT");
	s = good(); s.eh.e_version = 2;
	CHECK_REJECT(s, "not ELF version EV_CURRENT");
	s = good(); s.eh.e_type = ET_DYN;
	CHECK_REJECT(s, "ET_DYN (PIE or shared object): no relocation support");
	s = good(); s.eh.e_type = 1;                    /* ET_REL */
	CHECK_REJECT(s, "not an executable (e_type is not ET_EXEC)");
	s = good(); s.eh.e_machine = 62;                /* EM_X86_64 */
	CHECK_REJECT(s, "not an i386 program (e_machine is not EM_386)");
	s = good(); s.eh.e_phentsize = 56;
	CHECK_REJECT(s, "e_phentsize is not 32 (sizeof Elf32_Phdr)");
	s = good(); s.eh.e_phnum = 0;
	CHECK_REJECT(s, "e_phnum is 0 or above 128");
	s = good(); s.eh.e_phnum = 129;
	CHECK_REJECT(s, "e_phnum is 0 or above 128");
	s = good(); s.eh.e_phoff = 0x3000 - 3 * 32 + 1;
	CHECK_REJECT(s, "program headers run past the end of the file");
	s = good(); s.eh.e_phoff = 0xFFFFFFF0;          /* would wrap in 32 bits */
	CHECK_REJECT(s, "program headers run past the end of the file");
}

static void rejects_bad_segments(void)
{
	struct spec s;

	s = good(); s.ph[1].p_filesz = 0x3001;
	CHECK_REJECT(s, "PT_LOAD with p_filesz > p_memsz");
	s = good(); s.ph[1].p_filesz = 0xFF1; s.ph[1].p_memsz = 0xFF1;
	CHECK_REJECT(s, "PT_LOAD file bytes run past the end of the file");
	s = good(); s.ph[1].p_offset = 0xFFFFF010; s.ph[1].p_filesz = 0x2000;  /* wraps */
	CHECK_REJECT(s, "PT_LOAD file bytes run past the end of the file");
	s = good(); s.ph[1].p_offset = 0x2020;
	CHECK_REJECT(s, "PT_LOAD p_offset and p_vaddr differ modulo the page size");
	s = good(); s.ph[1].p_vaddr = 0xBFFFF010;
	CHECK_REJECT(s, "PT_LOAD reaches kernel space (0xC0000000) or wraps");
	s = good(); s.ph[1].p_vaddr = 0xFFFFF010;                /* wraps in 32 bits */
	CHECK_REJECT(s, "PT_LOAD reaches kernel space (0xC0000000) or wraps");
	s = good(); s.ph[1].p_vaddr = 0x10;
	CHECK_REJECT(s, "PT_LOAD below mmap_min_addr (64 KiB)");
	s = good(); s.ph[1].p_vaddr = MMAP_MIN_ADDR - 0x1000 + 0x10;
	CHECK_REJECT(s, "PT_LOAD below mmap_min_addr (64 KiB)");
	s = good(); s.ph[1].p_vaddr = TEXT + 0x10;               /* on top of text */
	CHECK_REJECT(s, "PT_LOAD segments overlap or share a page");
	s = good(); s.ph[1].p_vaddr = TEXT + 0x1010;             /* text's last page is ... */
	s.ph[0].p_memsz = 0x1001;                                /* ... now shared */
	CHECK_REJECT(s, "PT_LOAD segments overlap or share a page");
	s = good(); s.ph[0].p_filesz = s.ph[0].p_memsz = 0x800; /* gap in one page */
	s.ph[1].p_vaddr = TEXT + 0x900; s.ph[1].p_offset = 0x2900;
	CHECK_REJECT(s, "PT_LOAD segments overlap or share a page");
	struct elf32_phdr t = s.ph[0];                          /* the same, listed downward */
	s.ph[0] = s.ph[1];
	s.ph[1] = t;
	CHECK_REJECT(s, "PT_LOAD segments overlap or share a page");
	s = good(); s.ph[1].p_type = PT_INTERP;
	CHECK_REJECT(s, "PT_INTERP: dynamically linked, no interpreter support");
	s = good(); s.ph[0].p_type = 0; s.ph[1].p_type = 0;
	CHECK_REJECT(s, "no PT_LOAD segment");
}

static void rejects_more_than_max_loads(void)
{
	struct spec s = good();

	s.len = 0x20000;
	s.eh.e_phnum = ELF_MAX_LOAD + 1;
	for (unsigned i = 0; i < ELF_MAX_LOAD + 1; i++)
		s.ph[i] = (struct elf32_phdr){ PT_LOAD, i * 0x1000, TEXT + i * 0x1000, 0, 0x1000,
					       0x1000, PF_R | PF_X, 0x1000 };
	CHECK_REJECT(s, "more than 8 PT_LOAD segments");
	s.eh.e_phnum = ELF_MAX_LOAD;
	struct elf_image img;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.nr_segments, ELF_MAX_LOAD);
}

static void entry_must_be_in_executable_file_bytes(void)
{
	struct spec s;
	struct elf_image img;

	s = good(); s.eh.e_entry = DATA + 0x20;                 /* RW data */
	CHECK_REJECT(s, "entry point not in an executable segment's file bytes");
	s = good(); s.eh.e_entry = TEXT + 0x1000;               /* one past text */
	CHECK_REJECT(s, "entry point not in an executable segment's file bytes");
	s = good(); s.eh.e_entry = TEXT - 1;
	CHECK_REJECT(s, "entry point not in an executable segment's file bytes");
	s = good(); s.ph[0].p_filesz = 0x80;                    /* entry now in bss */
	CHECK_REJECT(s, "entry point not in an executable segment's file bytes");
	s = good(); s.eh.e_entry = TEXT + 0xFFF;
	CHECK_ACCEPT(s, img);
}

static void accepts_the_boundaries(void)
{
	struct spec s;
	struct elf_image img;

	s = good(); s.ph[1].p_vaddr = 0xBFFFD010;               /* ends exactly at USER_END */
	s.ph[1].p_memsz = 0x2FF0;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.brk, USER_END);
	s = good(); s.ph[1].p_vaddr = MMAP_MIN_ADDR + 0x10;     /* the lowest legal page */
	CHECK_ACCEPT(s, img);
	s = good(); s.ph[1].p_vaddr = TEXT + 0x1010;            /* the very next page */
	CHECK_ACCEPT(s, img);
	s = good(); s.ph[1].p_offset = 0x3000; s.ph[1].p_vaddr = DATA;   /* bss only, at EOF */
	s.ph[1].p_filesz = 0;
	CHECK_ACCEPT(s, img);
	s = good(); s.ph[1].p_memsz = 0; s.ph[1].p_filesz = 0;  /* empty: skipped */
	s.ph[1].p_vaddr = 0; s.ph[1].p_offset = 0x10;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.nr_segments, 1);
	s = good(); s.eh.e_phnum = ELF_MAX_PHNUM;               /* type 0 = PT_NULL */
	s.len = 52 + ELF_MAX_PHNUM * 32;
	s.ph[1].p_offset = 0x1010; s.ph[1].p_filesz = 0x10;
	CHECK_ACCEPT(s, img);
}

static void finds_the_program_headers_like_linux(void)
{
	struct spec s;
	struct elf_image img;

	/* Table in the data segment's file bytes. */
	s = good(); s.eh.e_phoff = 0x2040;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.phdr_vaddr, DATA + 0x40);
	/* Table in the data segment's bss range, not its file bytes: 0. */
	s = good(); s.eh.e_phoff = 0x2200;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.phdr_vaddr, 0);
	/* Start inside text's file bytes is what counts, as in Linux. */
	s = good(); s.eh.e_phoff = 0xFE0; s.eh.e_phnum = 2;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.phdr_vaddr, TEXT + 0xFE0);
}

static void records_gnu_stack(void)
{
	struct spec s;
	struct elf_image img;

	s = good(); s.ph[2].p_flags = PF_R | PF_W | PF_X;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.stack, ELF_STACK_EXEC);
	s = good(); s.eh.e_phnum = 2;
	CHECK_ACCEPT(s, img);
	CHECK_EQ(img.stack, ELF_STACK_DEFAULT);
}

static void reads_an_unaligned_image(void)
{
	struct spec s = good();
	unsigned char *p = build(&s), *q = malloc(s.len + 1);
	struct elf_image img;
	const char *why;

	memcpy(q + 1, p, s.len);
	CHECK_EQ(elf_parse(q + 1, s.len, &img, &why), 0);
	CHECK_EQ(img.phdr_vaddr, TEXT + 52);
	free(p);
	free(q);
}

/* Every prefix too short for the headers or the segments is refused. */
static void rejects_every_truncation(void)
{
	struct spec s = good();
	size_t need = 0x2010 + 0x100;           /* end of the data segment's file bytes */

	for (size_t n = 0; n < need; n++) {
		struct spec t = s;
		struct elf_image img;
		const char *why;
		t.len = n;
		CHECK_EQ(parse(&t, &img, &why), -ENOEXEC);
	}
}

/* Check what a successful parse promises the loader. */
static void check_promises(const struct elf_image *img, size_t len)
{
	bool entry_ok = false;
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *g = &img->seg[i];
		CHECK((uint64_t)g->offset + g->filesz <= len);
		CHECK(g->filesz <= g->memsz && g->memsz > 0);
		CHECK(g->vaddr >= MMAP_MIN_ADDR && (uint64_t)g->vaddr + g->memsz <= USER_END);
		if ((g->prot & PROT_EXEC) && img->entry >= g->vaddr &&
		    img->entry < g->vaddr + g->filesz)
			entry_ok = true;
		for (unsigned j = 0; j < i; j++)
			CHECK(!share_a_page(g, &img->seg[j]));
	}
	CHECK(entry_ok);
}

static void survives_random_damage(void)
{
	struct spec s = good();
	unsigned char *orig = build(&s);
	size_t hdrs = 52 + 3 * 32;
	uint32_t seed = 99;
	int accepted = 0;

	for (int round = 0; round < 50000; round++) {
		unsigned char *p = malloc(s.len);
		memcpy(p, orig, s.len);
		for (int k = 0; k < 1 + round % 3; k++) {
			seed = seed * 1103515245 + 12345;
			p[(seed >> 8) % hdrs] ^= (unsigned char)(1u << ((seed >> 20) & 7));
		}
		struct elf_image img;
		const char *why = NULL;
		int r = elf_parse(p, s.len, &img, &why);
		CHECK(r == 0 || (r == -ENOEXEC && why != NULL));
		if (r == 0) {
			check_promises(&img, s.len);
			accepted++;
		}
		free(p);
	}
	CHECK(accepted > 0);                    /* some flips are harmless */
	free(orig);
}

/* Compile t.c with gcc -m32 and flags; parse the result. */
static int parse_gcc_output(const char *flags, const char *src, struct elf_image *img,
			    const char **why, uint32_t *e_entry)
{
	char dir[] = "/tmp/elf_test.XXXXXX", cmd[1024];
	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof(cmd), "cd %s && printf '%%s' '%s' > t.c && gcc -m32 %s -o t t.c",
		 dir, src, flags);
	int r = system(cmd);
	CHECK_EQ(r, 0);
	snprintf(cmd, sizeof(cmd), "%s/t", dir);
	FILE *f = fopen(cmd, "rb");
	CHECK(f != NULL);
	if (r != 0 || !f)
		return 1;
	unsigned char *buf = NULL;
	size_t len = 0, n;
	unsigned char chunk[65536];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, len + n);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	r = elf_parse(buf, len, img, why);
	if (r == 0)
		check_promises(img, len);
	memcpy(e_entry, buf + 24, 4);
	free(buf);
	return r;
}

static void reads_real_gcc_binaries(void)
{
	static const char prog[] = "int main(void) { return 0; }";
	static const char bare[] = "void _start(void) { __asm__ volatile(\"movl $1, %eax; "
				   "xorl %ebx, %ebx; int $0x80\"); }";
	struct elf_image img;
	const char *why;
	uint32_t entry;

	CHECK_EQ(parse_gcc_output("-static", prog, &img, &why, &entry), 0);
	CHECK_EQ(img.entry, entry);
	CHECK(img.nr_segments >= 2);
	CHECK_EQ(img.phdr_vaddr, img.seg[0].vaddr + 52);        /* gcc puts it after the ehdr */
	CHECK_EQ(img.stack, ELF_STACK_NOEXEC);
	CHECK_EQ(parse_gcc_output("-static -nostdlib", bare, &img, &why, &entry), 0);
	CHECK_EQ(img.entry, entry);
	CHECK_EQ(parse_gcc_output("-static -nostdlib -z execstack", bare, &img, &why, &entry), 0);
	CHECK_EQ(img.stack, ELF_STACK_EXEC);
	CHECK_EQ(parse_gcc_output("-no-pie", prog, &img, &why, &entry), -ENOEXEC);
	CHECK(strcmp(why, "PT_INTERP: dynamically linked, no interpreter support") == 0);
	CHECK_EQ(parse_gcc_output("-static-pie", prog, &img, &why, &entry), -ENOEXEC);
	CHECK(strcmp(why, "ET_DYN (PIE or shared object): no relocation support") == 0);
}

TEST_MAIN(TEST(describes_a_good_image), TEST(accepts_segments_in_any_order),
	  TEST(rejects_bad_file_headers),
	  TEST(rejects_bad_segments), TEST(rejects_more_than_max_loads),
	  TEST(entry_must_be_in_executable_file_bytes), TEST(accepts_the_boundaries),
	  TEST(finds_the_program_headers_like_linux), TEST(records_gnu_stack),
	  TEST(reads_an_unaligned_image), TEST(rejects_every_truncation),
	  TEST(survives_random_damage), TEST(reads_real_gcc_binaries))
