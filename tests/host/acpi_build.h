/*
 * Building ACPI tables in host tests (acpi_test.c, srat_test.c): a header
 * and a right checksum.  Include after arch/i386/acpi_tables.c.
 */
#ifndef TESTS_HOST_ACPI_BUILD_H
#define TESTS_HOST_ACPI_BUILD_H

#include <stdint.h>
#include <string.h>

/* Make h's checksum right (the byte that makes all length bytes sum to 0). */
static void fix_checksum(struct acpi_table_header *h)
{
	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(h, h->length);
}

/* A zeroed header with signature sig and length, as our firmware would write it. */
static void header(struct acpi_table_header *h, const char *sig, uint32_t length)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = 1;
	memcpy(h->oem_id, "UKVA  ", 6);
}

#endif
