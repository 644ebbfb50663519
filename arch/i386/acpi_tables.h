/*
 * ACPI table formats and their pure parsing: checksums, the RSDP, the
 * entries of the RSDT/XSDT, and the MADT walk.  Nothing here touches
 * hardware or maps memory: every function reads a buffer the caller owns
 * (acpi.c copies tables out of firmware memory first), so the same code
 * runs in the host unit tests (tests/host/acpi_test.c).
 *
 * References: ACPI 6.5, 5.2.5 (RSDP), 5.2.6 (system description table
 * header), 5.2.7-5.2.8 (RSDT, XSDT), 5.2.12 (MADT).
 */
#ifndef ARCH_I386_ACPI_TABLES_H
#define ARCH_I386_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_SIG_RSDP           "RSD PTR "
#define ACPI_SIG_RSDT           "RSDT"
#define ACPI_SIG_XSDT           "XSDT"
#define ACPI_SIG_MADT           "APIC"

/* Root System Description Pointer (ACPI 5.2.5.3). */
struct acpi_rsdp {
	char signature[8];              /* "RSD PTR " */
	uint8_t checksum;               /* bytes 0-19 sum to 0 */
	char oem_id[6];
	uint8_t revision;               /* 0: ACPI 1.0 (20 bytes), 2: 2.0+ */
	uint32_t rsdt_address;
	/* ACPI 2.0 and later: */
	uint32_t length;                /* of the whole structure: 36 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;      /* bytes 0..length-1 sum to 0 */
	uint8_t reserved[3];
} __attribute__((packed));

#define ACPI_RSDP_V1_SIZE       20
#define ACPI_RSDP_V2_SIZE       36

/* The header every description table starts with (ACPI 5.2.6). */
struct acpi_table_header {
	char signature[4];
	uint32_t length;                /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;               /* all length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

/* MADT (ACPI 5.2.12): the header, then typed entries. */
struct acpi_madt {
	struct acpi_table_header header;
	uint32_t lapic_address;         /* physical, of every CPU's local APIC */
	uint32_t flags;                 /* bit 0: PC-AT dual 8259s present */
} __attribute__((packed));

#define ACPI_MADT_PCAT_COMPAT           (1u << 0)

/* Every MADT entry starts with a type and its own length. */
struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;
} __attribute__((packed));

enum {
	ACPI_MADT_LOCAL_APIC            = 0,    /* 5.2.12.2, 8 bytes */
	ACPI_MADT_IO_APIC               = 1,    /* 5.2.12.3, 12 bytes */
	ACPI_MADT_INT_OVERRIDE          = 2,    /* 5.2.12.5, 10 bytes */
	ACPI_MADT_LOCAL_APIC_OVERRIDE   = 5,    /* 5.2.12.8, 12 bytes */
	ACPI_MADT_LOCAL_X2APIC          = 9,    /* 5.2.12.12, 16 bytes */
};

struct acpi_madt_local_apic {
	struct acpi_madt_entry e;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

#define ACPI_MADT_ENABLED               (1u << 0)   /* usable now */

struct acpi_madt_io_apic {
	struct acpi_madt_entry e;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;              /* the GSI of its pin 0 */
} __attribute__((packed));

struct acpi_madt_int_override {
	struct acpi_madt_entry e;
	uint8_t bus;                    /* 0: ISA */
	uint8_t source;                 /* the ISA IRQ */
	uint32_t gsi;                   /* where it arrives */
	uint16_t flags;                 /* MPS INTI flags */
} __attribute__((packed));

/* MPS INTI flags (as MP spec 1.4 Table 4-10): polarity 1:0, trigger 3:2; 00 = bus default. */
#define ACPI_MADT_POLARITY_MASK         0x3
#define ACPI_MADT_POLARITY_ACTIVE_LOW   0x3
#define ACPI_MADT_TRIGGER_MASK          0xC
#define ACPI_MADT_TRIGGER_LEVEL         0xC

struct acpi_madt_lapic_override {
	struct acpi_madt_entry e;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed));

struct acpi_madt_local_x2apic {
	struct acpi_madt_entry e;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));

/* What the kernel keeps of a MADT. */
#define MADT_MAX_CPUS           64
#define MADT_MAX_IOAPICS        8
#define MADT_MAX_OVERRIDES      16      /* one per ISA IRQ */

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct madt_override {
	uint8_t irq;                    /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;                 /* ACPI_MADT_POLARITY_*, _TRIGGER_* */
};

struct madt_info {
	uint64_t lapic_address;         /* after any override entry */
	bool pcat_compat;               /* 8259s present: mask them */
	unsigned nr_cpus;               /* enabled local APICs, in table order */
	uint8_t apic_ids[MADT_MAX_CPUS];
	unsigned nr_cpus_dropped;       /* enabled ones past MADT_MAX_CPUS, or x2APIC-only */
	unsigned nr_ioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	unsigned nr_overrides;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
};

/* The 8-bit sum of len bytes: 0 for a table with a correct checksum. */
uint8_t acpi_checksum(const void *p, size_t len);

/* Does the 4- or 8-character signature sig start p? */
bool acpi_sig_is(const void *p, const char *sig);

/*
 * Check an RSDP candidate of avail readable bytes: signature, the ACPI 1.0
 * checksum, and for revision 2 and later the length and the extended
 * checksum.  Returns NULL if valid, else what is wrong.
 */
const char *acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail);

/*
 * Check a whole table held in avail bytes: signature sig (NULL: any), a
 * length that fits avail and covers the header, and the checksum.
 * Returns NULL if valid, else what is wrong.
 */
const char *acpi_table_check(const struct acpi_table_header *h, size_t avail, const char *sig);

/*
 * The table addresses a checked RSDT (4-byte entries) or XSDT (8-byte
 * entries) lists: up to max of them into out.  Returns how many it lists
 * in all (more than max when out was too small).
 */
unsigned acpi_sdt_entries(const struct acpi_table_header *sdt, bool xsdt, uint64_t *out,
			  unsigned max);

/*
 * Walk a checked MADT into *info.  Returns NULL, or what is malformed
 * (an entry shorter than its type needs, or running past the table), in
 * which case *info must not be used.
 */
const char *acpi_parse_madt(const struct acpi_madt *madt, struct madt_info *info);

#endif
