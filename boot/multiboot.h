/*
 * The multiboot (version 1) information structure the boot loader leaves
 * for us; EBX holds its physical address.  Only the parts we read are named.
 * Every address in it is physical.
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC      0x2BADB002

#define MULTIBOOT_INFO_MEMORY           (1u << 0)
#define MULTIBOOT_INFO_CMDLINE          (1u << 2)
#define MULTIBOOT_INFO_MODS             (1u << 3)
#define MULTIBOOT_INFO_MEM_MAP          (1u << 6)
#define MULTIBOOT_INFO_BOOT_LOADER_NAME (1u << 9)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;  /* KiB below 1 MiB, above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

#define MULTIBOOT_MEMORY_AVAILABLE      1
#define MULTIBOOT_MEMORY_RESERVED       2
#define MULTIBOOT_MEMORY_ACPI_RECLAIM   3
#define MULTIBOOT_MEMORY_NVS            4
#define MULTIBOOT_MEMORY_BADRAM         5

/* One memory map entry; size does not count itself, so the next is at +size+4. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start, mod_end;    /* [start, end) physical */
	uint32_t cmdline;
	uint32_t pad;
} __attribute__((packed));

#endif
