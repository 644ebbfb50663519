/*
 * Command-line parsing.  Both GRUB and QEMU's -kernel put the image path as
 * the first word, so it is skipped; the rest are space-separated options.
 */
#include "kernel/bootparam.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/errno.h"

extern const struct boot_param __boot_params_start[], __boot_params_end[];

static char cmdline_buf[1024];
static const char *cmdline_args = "";
static const char *init_args = "";

const char *boot_cmdline(void)
{
	return cmdline_args;
}

const char *boot_init_args(void)
{
	return init_args;
}

int parse_uint(const char *s, unsigned long long *out)
{
	unsigned base = 10;
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -EINVAL;         /* overflow */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int parse_size(const char *s, unsigned long long *out)
{
	char digits[24];
	size_t n = s ? strlen(s) : 0;
	unsigned shift = 0;

	if (n == 0 || n >= sizeof(digits))
		return -EINVAL;
	switch (s[n - 1]) {
	case 'K': case 'k': shift = 10; n--; break;
	case 'M': case 'm': shift = 20; n--; break;
	case 'G': case 'g': shift = 30; n--; break;
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (parse_uint(digits, out) || *out > (~0ULL >> shift))
		return -EINVAL;
	*out <<= shift;
	return 0;
}

static const struct boot_param *find_param(const char *name)
{
	for (const struct boot_param *p = __boot_params_start; p < __boot_params_end; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Apply one "name" or "name=value" word (modified in place). */
static void apply_option(char *word)
{
	char *value = strchr(word, '=');

	if (value)
		*value++ = '\0';
	const struct boot_param *p = find_param(word);
	if (!p) {
		pr_warn("unknown boot option '%s' ignored\n", word);
		return;
	}
	if (p->set(value) != 0)
		pr_warn("boot option %s: bad value '%s' (expected %s); using the default\n",
			word, value ? value : "", p->help);
}

void parse_boot_params(const char *cmdline)
{
	if (!cmdline)
		cmdline = "";
	size_t n = strnlen(cmdline, sizeof(cmdline_buf) - 1);
	if (cmdline[n])
		pr_warn("boot command line longer than %u bytes: truncated\n",
			(unsigned)sizeof(cmdline_buf) - 1);
	memcpy(cmdline_buf, cmdline, n);
	cmdline_buf[n] = '\0';

	/* Keep a pristine copy for boot_cmdline(): options are split in place. */
	static char args_copy[sizeof(cmdline_buf)];
	char *s = cmdline_buf;
	while (*s == ' ')
		s++;
	while (*s && *s != ' ')         /* the image path */
		s++;
	while (*s == ' ')
		s++;
	memcpy(args_copy, s, strlen(s) + 1);
	cmdline_args = args_copy;

	while (*s) {
		char *word = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		if (strcmp(word, "--") == 0) {
			init_args = s;          /* as Linux: the rest is init's argv */
			return;
		}
		apply_option(word);
		while (*s == ' ')
			s++;
	}
}

static int set_loglevel(const char *v)
{
	unsigned long long n;
	if (parse_uint(v, &n) || n > LOG_DEBUG)
		return -EINVAL;
	console_loglevel = (int)n;
	return 0;
}
BOOT_PARAM("loglevel", set_loglevel, "a number 0-7");
