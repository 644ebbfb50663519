/* The ELF32 executable checker; see elf.h. */
#include <stdbool.h>
#include "kernel/elf.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/mman.h"
#include "mm/page.h"

/* Headers are copied out with memcpy: the image need not be aligned. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "ELFDATA2LSB fields are read in host byte order");

/* Store reason; returns -ENOEXEC. */
static int reject(const char **reason, const char *why)
{
	*reason = why;
	return -ENOEXEC;
}

/* The identification and type checks of the file header; NULL if it passes. */
static const char *check_header(const struct elf32_hdr *eh)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0)
		return "bad ELF magic";
	if (eh->e_ident[EI_CLASS] != ELFCLASS32)
		return "not ELFCLASS32 (a 64-bit or invalid class)";
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return "not little-endian (ELFDATA2LSB)";
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "not ELF version EV_CURRENT";
	if (eh->e_type == ET_DYN)
		return "ET_DYN (PIE or shared object): no relocation support";
	if (eh->e_type != ET_EXEC)
		return "not an executable (e_type is not ET_EXEC)";
	if (eh->e_machine != EM_386)
		return "not an i386 program (e_machine is not EM_386)";
	if (eh->e_phentsize != sizeof(struct elf32_phdr))
		return "e_phentsize is not 32 (sizeof Elf32_Phdr)";
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return "e_phnum is 0 or above 128";
	return NULL;
}

/* PF_R/W/X as PROT_READ/WRITE/EXEC. */
static uint32_t flags_to_prot(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/*
 * Do two (non-empty) segments touch a common page?  Mapping is page by
 * page.  Rounding the starts down suffices: for a page-aligned x,
 * x < ALIGN_UP(end) exactly when x < end.
 */
static bool share_a_page(const struct elf_segment *a, const struct elf_segment *b)
{
	return ALIGN_DOWN(a->vaddr, PAGE_SIZE) < b->vaddr + b->memsz &&
	       ALIGN_DOWN(b->vaddr, PAGE_SIZE) < a->vaddr + a->memsz;
}

/*
 * Check one PT_LOAD against the file and user space and append it to
 * out->seg, unless it is empty.  Returns NULL or the reason to reject.
 */
static const char *add_load(struct elf_image *out, const struct elf32_phdr *ph, size_t len)
{
	if (ph->p_filesz > ph->p_memsz)
		return "PT_LOAD with p_filesz > p_memsz";
	if ((uint64_t)ph->p_offset + ph->p_filesz > len)
		return "PT_LOAD file bytes run past the end of the file";
	if (ph->p_memsz == 0)
		return NULL;            /* Linux maps nothing for it either */
	if (ph->p_offset % PAGE_SIZE != ph->p_vaddr % PAGE_SIZE)
		return "PT_LOAD p_offset and p_vaddr differ modulo the page size";
	if ((uint64_t)ph->p_vaddr + ph->p_memsz > USER_END)
		return "PT_LOAD reaches kernel space (0xC0000000) or wraps";
	if (ph->p_vaddr < MMAP_MIN_ADDR)
		return "PT_LOAD below mmap_min_addr (64 KiB)";
	if (out->nr_segments == ELF_MAX_LOAD)
		return "more than 8 PT_LOAD segments";

	struct elf_segment s = {
		.vaddr = ph->p_vaddr, .memsz = ph->p_memsz, .filesz = ph->p_filesz,
		.offset = ph->p_offset, .prot = flags_to_prot(ph->p_flags),
	};
	for (unsigned i = 0; i < out->nr_segments; i++)
		if (share_a_page(&out->seg[i], &s))
			return "PT_LOAD segments overlap or share a page";
	out->seg[out->nr_segments++] = s;
	out->brk = MAX(out->brk, s.vaddr + s.memsz);
	return NULL;
}

/* Is the entry point in the file-backed bytes of an executable segment? */
static bool entry_is_code(const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		if ((s->prot & PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->filesz)
			return true;
	}
	return false;
}

int elf_parse(const void *image, size_t len, struct elf_image *out, const char **reason)
{
	const unsigned char *file = image;
	struct elf32_hdr eh;
	const char *why;

	if (len < sizeof(eh))
		return reject(reason, "too short for an ELF header");
	memcpy(&eh, file, sizeof(eh));
	if ((why = check_header(&eh)))
		return reject(reason, why);
	if ((uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(struct elf32_phdr) > len)
		return reject(reason, "program headers run past the end of the file");

	memset(out, 0, sizeof(*out));         /* stack = ELF_STACK_DEFAULT, brk = 0 */
	out->entry = eh.e_entry;
	out->phentsize = eh.e_phentsize;
	out->phnum = eh.e_phnum;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr ph;
		memcpy(&ph, file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_INTERP:
			return reject(reason, "PT_INTERP: dynamically linked, no interpreter support");
		case PT_GNU_STACK:
			out->stack = ph.p_flags & PF_X ? ELF_STACK_EXEC : ELF_STACK_NOEXEC;
			break;
		case PT_LOAD:
			if ((why = add_load(out, &ph, len)))
				return reject(reason, why);
			/*
			 * AT_PHDR the way Linux computes it: the address where
			 * the segment whose file bytes hold e_phoff puts it
			 * (the unsigned difference also says p_offset <= e_phoff).
			 * PT_PHDR is not consulted, as Linux does not.
			 */
			if (eh.e_phoff - ph.p_offset < ph.p_filesz)
				out->phdr_vaddr = eh.e_phoff - ph.p_offset + ph.p_vaddr;
			break;
		}
	}
	if (out->nr_segments == 0)
		return reject(reason, "no PT_LOAD segment");
	if (!entry_is_code(out))
		return reject(reason, "entry point not in an executable segment's file bytes");
	return 0;
}
