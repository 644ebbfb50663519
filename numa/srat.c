/*
 * Pure SRAT and SLIT parsing (srat.h): buffers in, facts or a complaint
 * out.  Every length is checked against the table before it is read.
 */
#include "numa/srat.h"

#define SLIT_MAX_LOCALITIES     256     /* proximity domains we can name in a byte */

/* The bytes an SRAT entry of this type must have; 2 for types we skip. */
static unsigned srat_entry_min_length(uint8_t type)
{
	switch (type) {
	case ACPI_SRAT_CPU_AFFINITY:    return sizeof(struct acpi_srat_cpu_affinity);
	case ACPI_SRAT_MEM_AFFINITY:    return sizeof(struct acpi_srat_mem_affinity);
	case ACPI_SRAT_X2APIC_AFFINITY: return sizeof(struct acpi_srat_x2apic_affinity);
	default:                        return 2;
	}
}

/* An enabled local APIC entry: its APIC ID and 32-bit domain.  NULL or what is wrong. */
static const char *srat_add_cpu(struct srat_info *info, const struct acpi_srat_cpu_affinity *e)
{
	if (!(e->flags & ACPI_SRAT_ENABLED)) {
		info->nr_ignored++;
		return NULL;
	}
	if (info->nr_cpus == SRAT_MAX_CPUS)
		return "more CPU entries than the kernel keeps";
	uint32_t pxm = e->proximity_lo | (uint32_t)e->proximity_hi[0] << 8 |
		       (uint32_t)e->proximity_hi[1] << 16 | (uint32_t)e->proximity_hi[2] << 24;
	info->cpus[info->nr_cpus++] = (struct srat_cpu){ .apic_id = e->apic_id, .pxm = pxm };
	return NULL;
}

/* An enabled, present memory range (5.2.16.2: hot-pluggable ones may be absent). */
static const char *srat_add_mem(struct srat_info *info, const struct acpi_srat_mem_affinity *e)
{
	if (!(e->flags & ACPI_SRAT_ENABLED) || (e->flags & ACPI_SRAT_HOTPLUG)) {
		info->nr_ignored++;
		return NULL;
	}
	if (e->length_bytes == 0 || e->base + e->length_bytes < e->base)
		return "a memory range is empty or wraps";
	if (info->nr_mems == SRAT_MAX_MEMS)
		return "more memory entries than the kernel keeps";
	info->mems[info->nr_mems++] = (struct srat_mem){
		.start = e->base, .end = e->base + e->length_bytes, .pxm = e->proximity,
	};
	return NULL;
}

const char *acpi_parse_srat(const struct acpi_srat *srat, struct srat_info *info)
{
	const uint8_t *p = (const uint8_t *)(srat + 1);
	const uint8_t *end = (const uint8_t *)srat + srat->header.length;
	const char *why = NULL;

	if (srat->header.length < sizeof(*srat))
		return "SRAT shorter than its fixed fields";
	*info = (struct srat_info){ 0 };
	while (p < end && !why) {
		uint8_t type = p[0], length = end - p >= 2 ? p[1] : 0;
		if (end - p < 2 || length > end - p)
			return "an entry runs past the end of the SRAT";
		if (length < srat_entry_min_length(type))
			return "an entry is shorter than its type needs";
		if (type == ACPI_SRAT_CPU_AFFINITY)
			why = srat_add_cpu(info, (const void *)p);
		else if (type == ACPI_SRAT_MEM_AFFINITY)
			why = srat_add_mem(info, (const void *)p);
		else if (type == ACPI_SRAT_X2APIC_AFFINITY &&
			 (((const struct acpi_srat_x2apic_affinity *)p)->flags & ACPI_SRAT_ENABLED))
			info->nr_ignored++;     /* xAPIC mode cannot reach x2APIC-only CPUs */
		p += length;
	}
	return why;
}

const char *acpi_check_slit(const struct acpi_slit *slit, unsigned *n)
{
	if (slit->header.length < sizeof(*slit))
		return "SLIT shorter than its fixed fields";
	uint64_t nr = slit->localities;
	if (nr == 0 || nr > SLIT_MAX_LOCALITIES)
		return "number of localities out of range";
	if (slit->header.length - sizeof(*slit) != nr * nr)
		return "size is not localities squared";
	for (unsigned i = 0; i < nr; i++)
		for (unsigned j = 0; j < nr; j++) {
			uint8_t d = slit_distance(slit, i, j);
			if (i == j ? d != SLIT_LOCAL_DISTANCE : d <= SLIT_LOCAL_DISTANCE)
				return i == j ? "a locality is not at distance 10 from itself"
					      : "two localities are as close as one to itself";
		}
	*n = (unsigned)nr;
	return NULL;
}
