/*
 * ACPI on the machine we booted on: the MADT copy is checked, stable and
 * agrees with what acpi_init parsed; a corrupted copy of it is refused.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "arch/i386/acpi.h"
#include "mm/kmalloc.h"

/* The MADT copy, or skip the case on a machine booted without one. */
static const struct acpi_table_header *madt_or_skip(struct ktest *t)
{
	if (!acpi_madt())
		ktest_skip(t, "no usable MADT (acpi=off or no ACPI)");
	const struct acpi_table_header *h = acpi_find_table(ACPI_SIG_MADT);
	KTEST_ASSERT(t, h);
	return h;
}

static void madt_copy_is_checked_and_kept(struct ktest *t)
{
	const struct acpi_table_header *h = madt_or_skip(t);
	struct madt_info info;

	KTEST_EXPECT(t, acpi_table_check(h, h->length, ACPI_SIG_MADT) == NULL);
	KTEST_EXPECT(t, acpi_find_table(ACPI_SIG_MADT) == h);  /* copied once */
	KTEST_ASSERT(t, acpi_parse_madt((const struct acpi_madt *)h, &info) == NULL);
	KTEST_EXPECT_EQ(t, info.nr_cpus, acpi_madt()->nr_cpus);
	KTEST_EXPECT_EQ(t, info.lapic_address, acpi_madt()->lapic_address);
	KTEST_EXPECT_EQ(t, info.nr_ioapics, acpi_madt()->nr_ioapics);
}

/* Flip each of a few bytes of a copy in turn: every flip breaks the checksum. */
static void corrupted_copy_is_refused(struct ktest *t)
{
	const struct acpi_table_header *h = madt_or_skip(t);
	uint8_t *copy = kmalloc(h->length, GFP_KERNEL);
	const uint32_t offsets[] = { 0, 9, sizeof(*h), h->length - 1 };
	unsigned refused = 0;

	KTEST_ASSERT(t, copy);
	memcpy(copy, h, h->length);
	for (unsigned i = 0; i < ARRAY_SIZE(offsets); i++) {
		copy[offsets[i]] ^= 0x10;
		refused += acpi_table_check((void *)copy, h->length, NULL) != NULL;
		copy[offsets[i]] ^= 0x10;
	}
	bool intact_ok = acpi_table_check((void *)copy, h->length, ACPI_SIG_MADT) == NULL;
	kfree(copy);
	KTEST_EXPECT_EQ(t, refused, ARRAY_SIZE(offsets));
	KTEST_EXPECT(t, intact_ok);
}

static void absent_table_is_null(struct ktest *t)
{
	madt_or_skip(t);
	KTEST_EXPECT(t, acpi_find_table("ZZZZ") == NULL);
}

KTEST_SUITE(acpi,
	KTEST_CASE(madt_copy_is_checked_and_kept),
	KTEST_CASE(corrupted_copy_is_refused),
	KTEST_CASE(absent_table_is_null));
