/*
 * ACPI discovery (acpi.h): find the tables, copy them out of firmware
 * memory, check them, parse the MADT.  Anything missing or malformed is
 * reported and leaves acpi_madt() NULL: the kernel then runs on one CPU
 * with the legacy PIC instead of failing.
 */
#include "arch/i386/acpi.h"
#include "arch/i386/cpufeature.h"
#include "kernel/bootparam.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/memlayout.h"

#define BDA_EBDA_SEGMENT        0x40E           /* BIOS data area: EBDA segment >> 4 */
#define EBDA_SEARCH_BYTES       1024
#define BIOS_ROM_START          0xE0000
#define BIOS_ROM_END            0x100000
#define ACPI_MAX_TABLES         32
#define ACPI_TABLE_MAX_BYTES    (256u << 10)    /* refuse to copy more per table */

static bool acpi_disabled;

/* Filled by acpi_init (boot CPU, alone); copies[] is guarded by acpi_lock. */
static struct {
	unsigned nr_tables;
	uint64_t table_phys[ACPI_MAX_TABLES];
	const struct acpi_table_header *copies[ACPI_MAX_TABLES];
} acpi;
static spinlock_t acpi_lock = SPINLOCK_INIT;

static struct madt_info madt;
static bool madt_valid;

static int set_acpi(const char *v)
{
	if (!v || strcmp(v, "off") != 0)
		return -EINVAL;
	acpi_disabled = true;
	return 0;
}
BOOT_PARAM("acpi", set_acpi, "off");

bool acpi_copy_phys(void *dst, uint64_t phys, size_t len)
{
	uint8_t *out = dst;

	if (phys + len < phys || phys + len > (1ULL << boot_cpu.phys_limit_bits))
		return false;
	while (len) {
		size_t off = phys & (PAGE_SIZE - 1);
		size_t chunk = MIN(len, PAGE_SIZE - off);
		uint32_t flags = local_irq_save();
		const uint8_t *va = kmap_atomic_pfn((pfn_t)(phys >> PAGE_SHIFT));
		memcpy(out, va + off, chunk);
		kunmap_atomic((void *)va);
		local_irq_restore(flags);
		out += chunk;
		phys += chunk;
		len -= chunk;
	}
	return true;
}

/*
 * Copy the table at phys into kmalloc memory and check it (signature sig
 * unless NULL).  Returns the copy, or NULL with *why saying what is wrong.
 */
static struct acpi_table_header *copy_table(uint64_t phys, const char *sig, const char **why)
{
	struct acpi_table_header h;

	if (!acpi_copy_phys(&h, phys, sizeof(h))) {
		*why = "beyond the physical address limit";
		return NULL;
	}
	if (h.length < sizeof(h) || h.length > ACPI_TABLE_MAX_BYTES) {
		*why = "length out of range";
		return NULL;
	}
	struct acpi_table_header *copy = kmalloc(h.length, GFP_KERNEL);
	if (!copy) {
		*why = "no memory for a copy";
		return NULL;
	}
	*why = acpi_copy_phys(copy, phys, h.length) ?
	       acpi_table_check(copy, h.length, sig) : "beyond the physical address limit";
	if (*why) {
		kfree(copy);
		return NULL;
	}
	return copy;
}

/* The RSDP in [start, end) of the first MiB (direct-mapped), on 16-byte boundaries. */
static const struct acpi_rsdp *scan_for_rsdp(uint32_t start, uint32_t end)
{
	for (uint32_t a = ALIGN_UP(start, 16); a + ACPI_RSDP_V1_SIZE <= end; a += 16) {
		const struct acpi_rsdp *r = phys_to_virt(a);
		if (!acpi_rsdp_check(r, end - a))
			return r;
	}
	return NULL;
}

/* ACPI 5.2.5.1: the first KiB of the EBDA, then the BIOS ROM area. */
static const struct acpi_rsdp *find_rsdp(void)
{
	uint32_t ebda = (uint32_t)*(const uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xA0000)         /* a plausible EBDA */
		r = scan_for_rsdp(ebda, ebda + EBDA_SEARCH_BYTES);
	return r ? r : scan_for_rsdp(BIOS_ROM_START, BIOS_ROM_END);
}

/*
 * The root table: the XSDT for ACPI 2.0+ when we can address it, else
 * the RSDT.  Fills acpi.table_phys; returns false with a report on failure.
 */
static bool read_root_table(const struct acpi_rsdp *rsdp)
{
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt_address &&
		    rsdp->xsdt_address < (1ULL << boot_cpu.phys_limit_bits);
	uint64_t phys = xsdt ? rsdp->xsdt_address : rsdp->rsdt_address;
	const char *why;
	struct acpi_table_header *root = copy_table(phys, xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT, &why);

	if (!root) {
		pr_warn("acpi: %s at 0x%llx: %s\n", xsdt ? "XSDT" : "RSDT", phys, why);
		return false;
	}
	unsigned n = acpi_sdt_entries(root, xsdt, acpi.table_phys, ACPI_MAX_TABLES);
	acpi.nr_tables = MIN(n, ACPI_MAX_TABLES);
	if (n > ACPI_MAX_TABLES)
		pr_warn("acpi: %s lists %u tables; only the first %u are used\n",
			xsdt ? "XSDT" : "RSDT", n, ACPI_MAX_TABLES);

	char sigs[ACPI_MAX_TABLES * 5 + 1] = "";
	size_t len = 0;
	for (unsigned i = 0; i < acpi.nr_tables; i++) {
		struct acpi_table_header h;
		if (acpi_copy_phys(&h, acpi.table_phys[i], sizeof(h)))
			len += snprintf(sigs + len, sizeof(sigs) - len, " %.4s", h.signature);
		else
			len += snprintf(sigs + len, sizeof(sigs) - len, " ????");
	}
	pr_info("acpi: RSDP rev %u (OEM %.6s), %s at 0x%llx lists:%s\n",
		rsdp->revision, rsdp->oem_id, xsdt ? "XSDT" : "RSDT", phys, sigs);
	kfree(root);
	return true;
}

const struct acpi_table_header *acpi_find_table(const char *sig)
{
	for (unsigned i = 0; i < acpi.nr_tables; i++) {
		struct acpi_table_header h;
		if (!acpi_copy_phys(&h, acpi.table_phys[i], sizeof(h)) ||
		    !acpi_sig_is(h.signature, sig))
			continue;
		uint32_t flags = spin_lock_irqsave(&acpi_lock);
		const struct acpi_table_header *copy = acpi.copies[i];
		spin_unlock_irqrestore(&acpi_lock, flags);
		if (copy)
			return copy;
		const char *why;
		struct acpi_table_header *fresh = copy_table(acpi.table_phys[i], sig, &why);
		if (!fresh) {
			pr_warn("acpi: %.4s at 0x%llx refused: %s\n", sig, acpi.table_phys[i], why);
			return NULL;
		}
		/* Two first callers may race: the loser frees its copy. */
		flags = spin_lock_irqsave(&acpi_lock);
		if (!acpi.copies[i])
			acpi.copies[i] = fresh;
		copy = acpi.copies[i];
		spin_unlock_irqrestore(&acpi_lock, flags);
		if (copy != fresh)
			kfree(fresh);
		return copy;
	}
	return NULL;
}

const struct madt_info *acpi_madt(void)
{
	return madt_valid ? &madt : NULL;
}

/* One line per kind of MADT entry we use. */
static void report_madt(void)
{
	char buf[256];
	size_t len = 0;

	for (unsigned i = 0; i < madt.nr_cpus && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, " %u", madt.apic_ids[i]);
	pr_info("acpi: MADT: local APIC at 0x%llx, %u CPU%s enabled, APIC IDs%s%s\n",
		madt.lapic_address, madt.nr_cpus, madt.nr_cpus == 1 ? "" : "s", buf,
		madt.pcat_compat ? "; 8259 PICs present" : "");
	if (madt.nr_cpus_dropped)
		pr_warn("acpi: MADT: %u more CPUs ignored (x2APIC-only, or past %u)\n",
			madt.nr_cpus_dropped, MADT_MAX_CPUS);
	for (unsigned i = 0; i < madt.nr_ioapics; i++)
		pr_info("acpi: MADT: I/O APIC %u at 0x%08x, GSI base %u\n",
			madt.ioapics[i].id, madt.ioapics[i].address, madt.ioapics[i].gsi_base);
	len = 0;
	for (unsigned i = 0; i < madt.nr_overrides && len < sizeof(buf); i++) {
		const struct madt_override *o = &madt.overrides[i];
		len += snprintf(buf + len, sizeof(buf) - len, " IRQ%u->GSI%u%s%s", o->irq, o->gsi,
				(o->flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL ? " level" : "",
				(o->flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_ACTIVE_LOW ? " low" : "");
	}
	if (madt.nr_overrides)
		pr_info("acpi: MADT: interrupt source overrides:%s\n", buf);
}

/* Copy, check and parse the MADT into madt; false (reported) when unusable. */
static bool read_madt(void)
{
	const struct acpi_table_header *h = acpi_find_table(ACPI_SIG_MADT);
	const char *why;

	if (!h) {
		pr_warn("acpi: no usable MADT\n");
		return false;
	}
	why = acpi_parse_madt((const struct acpi_madt *)h, &madt);
	if (why) {
		pr_warn("acpi: MADT malformed: %s\n", why);
		return false;
	}
	if (madt.nr_cpus == 0 || madt.nr_ioapics == 0) {
		pr_warn("acpi: MADT lists %s\n", madt.nr_cpus ? "no I/O APIC" : "no enabled CPU");
		return false;
	}
	report_madt();
	return true;
}

void acpi_init(void)
{
	if (acpi_disabled) {
		pr_info("acpi: off (boot option acpi=off)\n");
		return;
	}
	const struct acpi_rsdp *rsdp = find_rsdp();
	if (!rsdp) {
		pr_warn("acpi: no RSDP in the EBDA or the BIOS area\n");
		return;
	}
	if (read_root_table(rsdp))
		madt_valid = read_madt();
}
