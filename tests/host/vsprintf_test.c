/* Host tests of kernel/vsprintf.c against what C's printf prints. */
#include <stdint.h>
#include <string.h>
#include "check.h"
/* Test the kernel's functions under their own names, not libc's. */
#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../kernel/vsprintf.c"

#define CHECK_FMT(expect, ...)                                                  \
	do {                                                                    \
		char buf[128];                                                  \
		int n = snprintf(buf, sizeof(buf), __VA_ARGS__);                \
		if (strcmp(buf, expect) != 0 || n != (int)strlen(expect)) {     \
			fprintf(stderr, "  %s:%d: got \"%s\" (%d), want \"%s\"\n", \
				__FILE__, __LINE__, buf, n, expect);            \
			check_failures++;                                       \
		}                                                               \
	} while (0)

static void integers(void)
{
	CHECK_FMT("42 -42 4294967254", "%d %i %u", 42, -42, (unsigned)-42);
	CHECK_FMT("ff FF 17", "%x %X %o", 255, 255, 15);
	CHECK_FMT("-2147483648", "%d", INT32_MIN);
	CHECK_FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK_FMT("1000000000000", "%llx", 0x1000000000000ULL);
	CHECK_FMT("255 -1", "%hhu %hd", 0x1FF, 0xFFFF);
}

static void widths_and_flags(void)
{
	CHECK_FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("  abc|ab", "%5s|%.2s", "abc", "abcdef");
	CHECK_FMT("   7", "%*d", 4, 7);
	CHECK_FMT("x   |", "%-4c|", 'x');
}

static void strings_pointers_percent(void)
{
	const char *volatile null_string = NULL;        /* hidden from -Wformat */
	CHECK_FMT("(null) 100%", "%s 100%%", null_string);
	char want[32];
	sprintf(want, "0x%0*lx", (int)(2 * sizeof(void *)), (unsigned long)0x1234);
	CHECK_FMT(want, "%p", (void *)0x1234);
}

static void truncation_reports_full_length(void)
{
	char buf[4];
	int n = snprintf(buf, sizeof(buf), "%s", "abcdef");
	CHECK_EQ(n, 6);
	CHECK(strcmp(buf, "abc") == 0);
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
}

TEST_MAIN(TEST(integers), TEST(widths_and_flags), TEST(strings_pointers_percent),
	  TEST(truncation_reports_full_length))
