#include "kernel/initrd.h"
#include "kernel/cpio.h"
#include "kernel/stat.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "mm/memmap.h"
#include "mm/memlayout.h"
#include "mm/page.h"

static const void *archive;
static size_t archive_len;

void initrd_init(void)
{
	const char *reason;
	size_t offset;

	if (nr_boot_modules == 0) {
		pr_info("initrd: none (no boot module)\n");
		return;
	}
	const struct boot_module *m = &boot_modules[0];
	if (m->end > (uint64_t)lowmem_pfn_limit << PAGE_SHIFT) {
		pr_err("initrd: module at 0x%llx is beyond lowmem; ignored\n", m->start);
		return;
	}
	if (cpio_validate(phys_to_virt(m->start), m->end - m->start, &reason, &offset) < 0) {
		pr_err("initrd: not a valid cpio (newc) archive: %s at offset 0x%x; ignored\n",
		       reason, (unsigned)offset);
		return;
	}
	archive = phys_to_virt(m->start);
	archive_len = m->end - m->start;
	pr_info("initrd: %u KiB cpio archive\n", (unsigned)(archive_len >> 10));
}

/* Is every directory on the way to path's last component a directory? */
static int check_components(const char *path)
{
	char prefix[256];
	struct cpio_entry e;

	for (const char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t n = (size_t)(slash - path);
		if (n >= sizeof(prefix))
			return -ENAMETOOLONG;
		memcpy(prefix, path, n);
		prefix[n] = '\0';
		if (cpio_find(archive, archive_len, prefix, &e) == 0 && !S_ISDIR(e.mode))
			return -ENOTDIR;
	}
	return 0;
}

int initrd_lookup_exec(const char *path, const void **data, size_t *size)
{
	struct cpio_entry e;

	if (!archive || !*path)
		return -ENOENT;
	int err = check_components(path);
	if (err)
		return err;
	if (cpio_find(archive, archive_len, path, &e) != 0)
		return -ENOENT;
	if (!S_ISREG(e.mode) || !(e.mode & 0111))
		return -EACCES;
	*data = e.data;
	*size = e.size;
	return 0;
}
