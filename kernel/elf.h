/*
 * Checking a static ELF32 i386 executable before exec maps it.
 *
 * elf_parse() reads the headers of an image in memory (a file of the
 * initrd) and either rejects it with -ENOEXEC and a reason, or describes
 * what the loader must do: which file bytes go to which user addresses
 * with which protection, where execution starts, and what the auxiliary
 * vector says about the program headers.  It never reads outside
 * [image, image + len) and never trusts a field; after success the loader
 * may copy seg[i] without further checks: every segment lies inside the
 * file and inside [MMAP_MIN_ADDR, USER_END), and no two share a page.
 *
 * Only what a static, non-relocatable program needs is accepted: ET_EXEC
 * for EM_386, no PT_INTERP.  Everything else is -ENOEXEC, as Linux says
 * when no binary format handler accepts a file.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

/* The ELF32 file header and program header (System V ABI, gABI 4.1). */
struct elf32_hdr {
	uint8_t  e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
};

_Static_assert(sizeof(struct elf32_hdr) == 52, "Elf32_Ehdr is 52 bytes");
_Static_assert(sizeof(struct elf32_phdr) == 32, "Elf32_Phdr is 32 bytes");

#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS32      1
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define ET_DYN          3
#define EM_386          3

#define PT_LOAD         1
#define PT_INTERP       3
#define PT_GNU_STACK    0x6474e551

#define PF_X            0x1
#define PF_W            0x2
#define PF_R            0x4

#define ELF_MAX_LOAD    8       /* PT_LOAD segments we accept: gcc emits 4 */
#define ELF_MAX_PHNUM   128     /* Linux: the table must fit in one page */

struct elf_segment {
	uint32_t vaddr;         /* user address of the segment's first byte */
	uint32_t memsz;         /* bytes in memory; [filesz, memsz) is zeroed (bss) */
	uint32_t filesz;        /* bytes copied from the file ... */
	uint32_t offset;        /* ... starting at this file offset */
	uint32_t prot;          /* PROT_READ/WRITE/EXEC (mm/mman.h) from p_flags */
};

/* What PT_GNU_STACK asked for; Linux i386 treats "none" as executable. */
enum elf_stack {
	ELF_STACK_DEFAULT = 0,  /* no PT_GNU_STACK */
	ELF_STACK_NOEXEC,       /* PT_GNU_STACK without PF_X */
	ELF_STACK_EXEC,         /* PT_GNU_STACK with PF_X */
};

struct elf_image {
	uint32_t entry;                 /* e_entry, inside an executable segment */
	uint32_t phdr_vaddr;            /* AT_PHDR, or 0 if no segment loads the table */
	uint32_t phentsize;             /* AT_PHENT */
	uint32_t phnum;                 /* AT_PHNUM */
	uint32_t brk;                   /* end of the highest segment: the heap starts
					   at its page-aligned-up value */
	enum elf_stack stack;
	unsigned nr_segments;
	struct elf_segment seg[ELF_MAX_LOAD];   /* PT_LOADs in header order */
};

/*
 * Check the executable [image, image + len) and describe it in *out.
 * Returns 0, or -ENOEXEC with *reason saying which rule it broke (and
 * *out partly written).
 */
int elf_parse(const void *image, size_t len, struct elf_image *out, const char **reason);

#endif
