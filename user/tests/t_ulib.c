/*
 * The runtime library itself (user/lib), which every other test trusts:
 * snprintf's conversions, the string functions and path_sibling. No system
 * calls are tested here.
 */
#include "ktap.h"
#include "path.h"
#include "printf.h"
#include "string.h"

/* Checks that snprintf of the remaining arguments gives want; shows both
 * if not. */
#define EXPECT_FMT(want, ...)                                          \
	do {                                                           \
		char got_[64];                                         \
		snprintf(got_, sizeof(got_), __VA_ARGS__);             \
		if (!EXPECT_EQ(strcmp(got_, want), 0))                 \
			ktap_diag("got \"%s\", want \"%s\"", got_, want); \
	} while (0)

/* Integers in every length and base, with widths and padding. */
static void integers(void)
{
	EXPECT_FMT("0 -1 42", "%d %d %i", 0, -1, 42);
	EXPECT_FMT("-2147483648", "%d", -2147483647 - 1);
	EXPECT_FMT("4294967295 ffffffff FFFF", "%u %x %X", 0xffffffffu,
		   0xffffffffu, 0xffffu);
	EXPECT_FMT("-5 5 12345678", "%ld %lu %lx", -5L, 5UL, 0x12345678UL);
	EXPECT_FMT("18446744073709551615 -9223372036854775808",
		   "%llu %lld", 0xffffffffffffffffULL,
		   -0x7fffffffffffffffLL - 1);
	EXPECT_FMT("ff00000000 7", "%llx %zu", 0xff00000000ULL, (size_t)7);
	EXPECT_FMT("[   42][42   ][00042][-0042]", "[%5d][%-5d][%05d][%05d]",
		   42, 42, 42, -42);
	EXPECT_FMT("[  ab][000ab]", "[%4x][%05x]", 0xab, 0xab);
	EXPECT_FMT("[   7]", "[%*d]", 4, 7);
}

/* Characters, strings, pointers and the percent sign. */
static void others(void)
{
	char *volatile none = NULL;	/* hidden from GCC's format check */

	EXPECT_FMT("x hello (null) %", "%c %s %s %%", 'x', "hello", none);
	EXPECT_FMT("[  ab][ab  ]", "[%4s][%-4s]", "ab", "ab");
	EXPECT_FMT("0x00001234 0xc0000000", "%p %p", (void *)0x1234,
		   (void *)0xc0000000);
}

/* snprintf truncates but always terminates, and returns the length the
 * whole output would have had. */
static void truncation(void)
{
	char buf[8] = "zzzzzzz";

	EXPECT_EQ(snprintf(buf, 4, "%s", "abcdef"), 6);
	EXPECT_EQ(strcmp(buf, "abc"), 0);
	EXPECT_EQ(snprintf(buf, 0, "%d", 12345), 5);
	EXPECT_EQ(buf[0], 'a');
}

/* The memory and string functions, including overlapping moves. */
static void strings(void)
{
	char buf[16] = "abcdefgh";

	EXPECT_EQ(strlen(""), 0);
	EXPECT_EQ(strlen(buf), 8);
	EXPECT(strcmp("abc", "abd") < 0);
	EXPECT(strcmp("b", "abc") > 0);
	EXPECT_EQ(strcmp("same", "same"), 0);
	EXPECT_EQ(strncmp("abcx", "abcy", 3), 0);
	EXPECT(strchr(buf, 'd') == buf + 3);
	EXPECT(strchr(buf, 'z') == NULL);
	EXPECT(strrchr("a/b/c", '/') != NULL);
	EXPECT_EQ(atoi("-123x"), -123);
	memmove(buf + 2, buf, 6);
	EXPECT_EQ(memcmp(buf, "ababcdef", 8), 0);
	memmove(buf, buf + 2, 6);
	EXPECT_EQ(memcmp(buf, "abcdefef", 8), 0);
	memset(buf, 'q', 3);
	EXPECT_EQ(memcmp(buf, "qqqdefef", 8), 0);
}

/* path_sibling replaces the last component of a path. */
static void sibling_paths(void)
{
	char buf[32];

	EXPECT_EQ(path_sibling(buf, sizeof(buf), "/bin/t_exec", "h_args"), 0);
	EXPECT_EQ(strcmp(buf, "/bin/h_args"), 0);
	EXPECT_EQ(path_sibling(buf, sizeof(buf), "/init", "x"), 0);
	EXPECT_EQ(strcmp(buf, "/x"), 0);
	EXPECT_EQ(path_sibling(buf, sizeof(buf), "t_exec", "x"), 0);
	EXPECT_EQ(strcmp(buf, "./x"), 0);
	EXPECT_EQ(path_sibling(buf, 8, "/bin/t_exec", "h_args"), -1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(integers),
	KTAP_CASE(others),
	KTAP_CASE(truncation),
	KTAP_CASE(strings),
	KTAP_CASE(sibling_paths),
};

int main(void)
{
	return ktap_run("t_ulib", cases, ARRAY_SIZE(cases));
}
