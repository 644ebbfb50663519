/*
 * Pure ACPI table parsing (acpi_tables.h): buffers in, facts or a
 * complaint out.  Every length a table states is checked against the bytes
 * actually held before anything past the header is read.
 */
#include "arch/i386/acpi_tables.h"

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

bool acpi_sig_is(const void *p, const char *sig)
{
	const char *s = p;

	for (; *sig; s++, sig++)
		if (*s != *sig)
			return false;
	return true;
}

const char *acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail)
{
	if (avail < ACPI_RSDP_V1_SIZE || !acpi_sig_is(rsdp->signature, ACPI_SIG_RSDP))
		return "no RSDP signature";
	if (acpi_checksum(rsdp, ACPI_RSDP_V1_SIZE) != 0)
		return "RSDP checksum wrong";
	if (rsdp->revision < 2)
		return NULL;
	/* ACPI 2.0+: the length field and the extended checksum (5.2.5.3). */
	if (avail < ACPI_RSDP_V2_SIZE || rsdp->length < ACPI_RSDP_V2_SIZE || rsdp->length > avail)
		return "RSDP length wrong";
	if (acpi_checksum(rsdp, rsdp->length) != 0)
		return "RSDP extended checksum wrong";
	return NULL;
}

const char *acpi_table_check(const struct acpi_table_header *h, size_t avail, const char *sig)
{
	if (avail < sizeof(*h))
		return "shorter than a table header";
	if (sig && !acpi_sig_is(h->signature, sig))
		return "wrong signature";
	if (h->length < sizeof(*h) || h->length > avail)
		return "length out of range";
	if (acpi_checksum(h, h->length) != 0)
		return "checksum wrong";
	return NULL;
}

unsigned acpi_sdt_entries(const struct acpi_table_header *sdt, bool xsdt, uint64_t *out,
			  unsigned max)
{
	const uint8_t *p = (const uint8_t *)(sdt + 1);
	unsigned size = xsdt ? 8 : 4;
	unsigned n = (sdt->length - sizeof(*sdt)) / size;

	for (unsigned i = 0; i < n && i < max; i++, p += size) {
		uint64_t addr = 0;
		for (unsigned b = 0; b < size; b++)     /* little endian, unaligned */
			addr |= (uint64_t)p[b] << (8 * b);
		out[i] = addr;
	}
	return n;
}

/* The bytes a MADT entry of this type must have; 2 (just the header) for types we skip. */
static unsigned madt_entry_min_length(uint8_t type)
{
	switch (type) {
	case ACPI_MADT_LOCAL_APIC:          return sizeof(struct acpi_madt_local_apic);
	case ACPI_MADT_IO_APIC:             return sizeof(struct acpi_madt_io_apic);
	case ACPI_MADT_INT_OVERRIDE:        return sizeof(struct acpi_madt_int_override);
	case ACPI_MADT_LOCAL_APIC_OVERRIDE: return sizeof(struct acpi_madt_lapic_override);
	case ACPI_MADT_LOCAL_X2APIC:        return sizeof(struct acpi_madt_local_x2apic);
	default:                            return sizeof(struct acpi_madt_entry);
	}
}

/* A processor local APIC: keep the enabled ones (5.2.12.2: others are unusable or hotplug). */
static void madt_add_cpu(struct madt_info *info, const struct acpi_madt_local_apic *e)
{
	if (!(e->flags & ACPI_MADT_ENABLED))
		return;
	if (info->nr_cpus < MADT_MAX_CPUS)
		info->apic_ids[info->nr_cpus++] = e->apic_id;
	else
		info->nr_cpus_dropped++;
}

static void madt_add_ioapic(struct madt_info *info, const struct acpi_madt_io_apic *e)
{
	if (info->nr_ioapics < MADT_MAX_IOAPICS)
		info->ioapics[info->nr_ioapics++] = (struct madt_ioapic){
			.id = e->id, .address = e->address, .gsi_base = e->gsi_base,
		};
}

/* Only ISA overrides mean anything to us (bus 0, source an ISA IRQ). */
static void madt_add_override(struct madt_info *info, const struct acpi_madt_int_override *e)
{
	if (e->bus != 0 || e->source >= 16 || info->nr_overrides >= MADT_MAX_OVERRIDES)
		return;
	info->overrides[info->nr_overrides++] = (struct madt_override){
		.irq = e->source, .gsi = e->gsi, .flags = e->flags,
	};
}

const char *acpi_parse_madt(const struct acpi_madt *madt, struct madt_info *info)
{
	const uint8_t *p = (const uint8_t *)(madt + 1);
	const uint8_t *end = (const uint8_t *)madt + madt->header.length;

	if (madt->header.length < sizeof(*madt))
		return "MADT shorter than its fixed fields";
	*info = (struct madt_info){
		.lapic_address = madt->lapic_address,
		.pcat_compat = madt->flags & ACPI_MADT_PCAT_COMPAT,
	};
	while (p < end) {
		const struct acpi_madt_entry *e = (const void *)p;
		if (end - p < (long)sizeof(*e) || e->length > end - p)
			return "an entry runs past the end of the MADT";
		if (e->length < madt_entry_min_length(e->type))
			return "an entry is shorter than its type needs";
		switch (e->type) {
		case ACPI_MADT_LOCAL_APIC:
			madt_add_cpu(info, (const void *)e);
			break;
		case ACPI_MADT_IO_APIC:
			madt_add_ioapic(info, (const void *)e);
			break;
		case ACPI_MADT_INT_OVERRIDE:
			madt_add_override(info, (const void *)e);
			break;
		case ACPI_MADT_LOCAL_APIC_OVERRIDE:
			info->lapic_address = ((const struct acpi_madt_lapic_override *)e)->address;
			break;
		case ACPI_MADT_LOCAL_X2APIC:
			/* Only for IDs past 254 (5.2.12.12); xAPIC mode cannot reach them. */
			if (((const struct acpi_madt_local_x2apic *)e)->flags & ACPI_MADT_ENABLED)
				info->nr_cpus_dropped++;
			break;
		}
		p += e->length;
	}
	return NULL;
}
