/*
 * Host tests of arch/i386/acpi_tables.c: checksums, the RSDP in both
 * revisions, RSDT/XSDT entries, and the MADT walk on tables built here,
 * well-formed and broken.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "../../arch/i386/acpi_tables.c"
#include "acpi_build.h"

/* A MADT like QEMU's for two CPUs, plus entries a parser must skip or weigh. */
static struct {
	struct acpi_madt madt;
	struct acpi_madt_local_apic cpu0, cpu1, cpu_off;
	struct acpi_madt_io_apic ioapic;
	struct acpi_madt_int_override irq0, irq9, not_isa;
	uint8_t nmi[6];                 /* type 4, skipped */
	struct acpi_madt_local_x2apic x2;
} __attribute__((packed)) qemu_madt;

static void build_madt(void)
{
	memset(&qemu_madt, 0, sizeof(qemu_madt));
	header(&qemu_madt.madt.header, "APIC", sizeof(qemu_madt));
	qemu_madt.madt.lapic_address = 0xFEE00000;
	qemu_madt.madt.flags = ACPI_MADT_PCAT_COMPAT;
	qemu_madt.cpu0 = (struct acpi_madt_local_apic){ { 0, 8 }, 0, 0, ACPI_MADT_ENABLED };
	qemu_madt.cpu1 = (struct acpi_madt_local_apic){ { 0, 8 }, 1, 3, ACPI_MADT_ENABLED };
	qemu_madt.cpu_off = (struct acpi_madt_local_apic){ { 0, 8 }, 2, 7, 0 };
	qemu_madt.ioapic = (struct acpi_madt_io_apic){ { 1, 12 }, 5, 0, 0xFEC00000, 0 };
	qemu_madt.irq0 = (struct acpi_madt_int_override){ { 2, 10 }, 0, 0, 2, 0 };
	qemu_madt.irq9 = (struct acpi_madt_int_override){ { 2, 10 }, 0, 9, 9, 0xD };
	qemu_madt.not_isa = (struct acpi_madt_int_override){ { 2, 10 }, 1, 3, 20, 0 };
	memcpy(qemu_madt.nmi, "\x04\x06\xff\x00\x00\x01", 6);
	qemu_madt.x2 = (struct acpi_madt_local_x2apic){ { 9, 16 }, 0, 300, ACPI_MADT_ENABLED, 9 };
	fix_checksum(&qemu_madt.madt.header);
}

static void checksum_sums_bytes(void)
{
	uint8_t b[] = { 0x10, 0x20, 0xF0, 0x30 };

	CHECK_EQ(acpi_checksum(b, 4), 0x50);
	CHECK_EQ(acpi_checksum(b, 0), 0);
	build_madt();
	CHECK_EQ(acpi_checksum(&qemu_madt, sizeof(qemu_madt)), 0);
}

static void rsdp_v1_and_v2(void)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	r.rsdt_address = 0x7FE1000;
	r.checksum = (uint8_t)-acpi_checksum(&r, ACPI_RSDP_V1_SIZE);
	CHECK(acpi_rsdp_check(&r, ACPI_RSDP_V1_SIZE) == NULL);  /* v1: 20 bytes suffice */
	CHECK(acpi_rsdp_check(&r, 19) != NULL);
	r.oem_id[0] ^= 1;
	CHECK(acpi_rsdp_check(&r, sizeof(r)) != NULL);          /* checksum */
	r.oem_id[0] ^= 1;

	r.revision = 2;
	r.length = ACPI_RSDP_V2_SIZE;
	r.xsdt_address = 0x7FE2000;
	r.checksum = 0;
	r.checksum = (uint8_t)-acpi_checksum(&r, ACPI_RSDP_V1_SIZE);
	r.extended_checksum = 0;
	r.extended_checksum = (uint8_t)-acpi_checksum(&r, ACPI_RSDP_V2_SIZE);
	CHECK(acpi_rsdp_check(&r, sizeof(r)) == NULL);
	CHECK(acpi_rsdp_check(&r, ACPI_RSDP_V1_SIZE) != NULL);  /* v2 needs 36 bytes */
	r.reserved[1] = 1;                                      /* only the extended sum sees it */
	CHECK(acpi_rsdp_check(&r, sizeof(r)) != NULL);
	r.reserved[1] = 0;
	r.signature[3] = 'X';
	CHECK(acpi_rsdp_check(&r, sizeof(r)) != NULL);
}

static void table_check_refuses_bad_tables(void)
{
	build_madt();
	struct acpi_table_header *h = &qemu_madt.madt.header;

	CHECK(acpi_table_check(h, sizeof(qemu_madt), "APIC") == NULL);
	CHECK(acpi_table_check(h, sizeof(qemu_madt), NULL) == NULL);
	CHECK(acpi_table_check(h, sizeof(qemu_madt), "SRAT") != NULL);
	CHECK(acpi_table_check(h, sizeof(qemu_madt) - 1, "APIC") != NULL);   /* longer than held */
	CHECK(acpi_table_check(h, 20, "APIC") != NULL);
	qemu_madt.cpu1.apic_id ^= 0x40;                                        /* one bit flipped */
	CHECK(acpi_table_check(h, sizeof(qemu_madt), "APIC") != NULL);
	qemu_madt.cpu1.apic_id ^= 0x40;
	h->length = 10;                                                         /* shorter than a header */
	CHECK(acpi_table_check(h, sizeof(qemu_madt), "APIC") != NULL);
}

static void rsdt_and_xsdt_entries(void)
{
	struct {
		struct acpi_table_header h;
		uint32_t e[3];
	} __attribute__((packed)) rsdt;
	struct {
		struct acpi_table_header h;
		uint64_t e[2];
	} __attribute__((packed)) xsdt;
	uint64_t out[4];

	header(&rsdt.h, "RSDT", sizeof(rsdt));
	rsdt.e[0] = 0x1000;
	rsdt.e[1] = 0xBFFE0000;
	rsdt.e[2] = 0x2000;
	CHECK_EQ(acpi_sdt_entries(&rsdt.h, false, out, 4), 3);
	CHECK_EQ(out[0], 0x1000);
	CHECK_EQ(out[1], 0xBFFE0000);
	CHECK_EQ(out[2], 0x2000);
	out[1] = 0;
	CHECK_EQ(acpi_sdt_entries(&rsdt.h, false, out, 1), 3);  /* counts past max */
	CHECK_EQ(out[1], 0);                                    /* writes no more than max */

	header(&xsdt.h, "XSDT", sizeof(xsdt));
	xsdt.e[0] = 0x123456789ULL;
	xsdt.e[1] = 0xBFFE1000;
	CHECK_EQ(acpi_sdt_entries(&xsdt.h, true, out, 4), 2);
	CHECK_EQ(out[0], 0x123456789ULL);
	CHECK_EQ(out[1], 0xBFFE1000);
}

static void madt_walk_finds_cpus_ioapics_overrides(void)
{
	struct madt_info info;

	build_madt();
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) == NULL);
	CHECK_EQ(info.lapic_address, 0xFEE00000);
	CHECK(info.pcat_compat);
	CHECK_EQ(info.nr_cpus, 2);                      /* the disabled one is left out */
	CHECK_EQ(info.apic_ids[0], 0);
	CHECK_EQ(info.apic_ids[1], 3);
	CHECK_EQ(info.nr_cpus_dropped, 1);              /* the x2APIC-only CPU */
	CHECK_EQ(info.nr_ioapics, 1);
	CHECK_EQ(info.ioapics[0].id, 5);
	CHECK_EQ(info.ioapics[0].address, 0xFEC00000);
	CHECK_EQ(info.ioapics[0].gsi_base, 0);
	CHECK_EQ(info.nr_overrides, 2);                 /* the non-ISA one is left out */
	CHECK_EQ(info.overrides[0].irq, 0);
	CHECK_EQ(info.overrides[0].gsi, 2);
	CHECK_EQ(info.overrides[1].irq, 9);
	CHECK_EQ(info.overrides[1].flags & ACPI_MADT_TRIGGER_MASK, ACPI_MADT_TRIGGER_LEVEL);
	CHECK_EQ(info.overrides[1].flags & ACPI_MADT_POLARITY_MASK, 1);
}

static void madt_lapic_address_override(void)
{
	struct {
		struct acpi_madt madt;
		struct acpi_madt_lapic_override o;
		struct acpi_madt_local_apic cpu;
	} __attribute__((packed)) t;
	struct madt_info info;

	memset(&t, 0, sizeof(t));
	header(&t.madt.header, "APIC", sizeof(t));
	t.madt.lapic_address = 0xFEE00000;
	t.o = (struct acpi_madt_lapic_override){ { 5, 12 }, 0, 0xFED00000 };
	t.cpu = (struct acpi_madt_local_apic){ { 0, 8 }, 0, 0, ACPI_MADT_ENABLED };
	CHECK(acpi_parse_madt(&t.madt, &info) == NULL);
	CHECK_EQ(info.lapic_address, 0xFED00000);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK(!info.pcat_compat);
}

/* Entry lengths that would loop for ever or read past the table are refused. */
static void madt_malformed_entries_refused(void)
{
	struct madt_info info;

	build_madt();
	qemu_madt.cpu1.e.length = 0;
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) != NULL);

	build_madt();
	qemu_madt.ioapic.e.length = 8;                  /* an I/O APIC needs 12 */
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) != NULL);

	build_madt();
	qemu_madt.x2.e.length = 17;                     /* one byte past the end */
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) != NULL);

	build_madt();
	qemu_madt.madt.header.length = sizeof(qemu_madt) - 1;   /* cuts the last entry */
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) != NULL);

	build_madt();
	qemu_madt.madt.header.length = sizeof(struct acpi_madt) - 1;
	CHECK(acpi_parse_madt(&qemu_madt.madt, &info) != NULL);
}

/* More enabled CPUs than the kernel keeps: the rest are counted, not stored. */
static void madt_counts_cpus_past_its_array(void)
{
	static struct {
		struct acpi_madt madt;
		struct acpi_madt_local_apic cpu[MADT_MAX_CPUS + 3];
	} __attribute__((packed)) t;
	struct madt_info info;

	memset(&t, 0, sizeof(t));
	header(&t.madt.header, "APIC", sizeof(t));
	for (unsigned i = 0; i < MADT_MAX_CPUS + 3; i++)
		t.cpu[i] = (struct acpi_madt_local_apic){ { 0, 8 }, (uint8_t)i, (uint8_t)i,
							  ACPI_MADT_ENABLED };
	CHECK(acpi_parse_madt(&t.madt, &info) == NULL);
	CHECK_EQ(info.nr_cpus, MADT_MAX_CPUS);
	CHECK_EQ(info.nr_cpus_dropped, 3);
	CHECK_EQ(info.apic_ids[MADT_MAX_CPUS - 1], MADT_MAX_CPUS - 1);
}

TEST_MAIN(TEST(checksum_sums_bytes), TEST(rsdp_v1_and_v2), TEST(table_check_refuses_bad_tables),
	  TEST(rsdt_and_xsdt_entries), TEST(madt_walk_finds_cpus_ioapics_overrides),
	  TEST(madt_lapic_address_override), TEST(madt_malformed_entries_refused),
	  TEST(madt_counts_cpus_past_its_array))
