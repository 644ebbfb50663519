/*
 * Boot options: the kernel command line ("mm=per-task ktest=all loglevel=7").
 *
 * A file that owns an option registers it with BOOT_PARAM; its setter gets
 * the text after '=' (NULL for a bare word) and returns 0 or -EINVAL.  An
 * unknown option, or one whose setter refuses the value, is reported and
 * ignored: boot goes on with the default.
 */
#ifndef KERNEL_BOOTPARAM_H
#define KERNEL_BOOTPARAM_H

#include "kernel/compiler.h"

struct boot_param {
	const char *name;
	int (*set)(const char *value);
	const char *help;               /* values accepted, for the error message */
};

#define BOOT_PARAM(optname, setter, helptext)                                  \
	static const struct boot_param __boot_param_##setter                   \
	__section(".boot_params") __used __attribute__((aligned(4))) =          \
		{ optname, setter, helptext }

/* Copy the command line out of boot loader memory and apply every option. */
void parse_boot_params(const char *cmdline);
/* The command line as the boot loader gave it (after the image path). */
const char *boot_cmdline(void);

/* The words after "--" on the command line, for init's argv ("" if none). */
const char *boot_init_args(void);

/* Parse a decimal or 0x-prefixed unsigned number; returns 0 or -EINVAL. */
int parse_uint(const char *s, unsigned long long *out);
/* Parse a size with an optional K, M or G suffix ("64M"); returns 0 or -EINVAL. */
int parse_size(const char *s, unsigned long long *out);

#endif
