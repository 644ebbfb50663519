/*
 * Byte-at-a-time string functions, with rep-string fast paths for bulk
 * memory.  The bulk moves 4 bytes per iteration (stosl, movsl), then the
 * 0-3 tail bytes: an emulator (QEMU TCG, Bochs) executes a rep string
 * instruction one element per iteration, so a page cleared with stosb
 * costs 4096 iterations and with stosl 1024.  Hardware with fast strings
 * (SDM vol. 1 7.3.9.3) runs both at the same speed.
 */
#include "kernel/string.h"
#include "mm/page.h"

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	uint32_t fill = (uint8_t)c * 0x01010101u;
	size_t words = n / 4, tail = n % 4;

	__asm__ volatile("rep stosl\n\t"
			 "movl %[tail], %%ecx\n\t"
			 "rep stosb"
			 : "+D"(d), "+c"(words) : "a"(fill), [tail] "r"(tail) : "memory");
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	size_t words = n / 4, tail = n % 4;

	__asm__ volatile("rep movsl\n\t"
			 "movl %[tail], %%ecx\n\t"
			 "rep movsb"
			 : "+D"(d), "+S"(src), "+c"(words) : [tail] "r"(tail) : "memory");
	return dst;
}

/*
 * Unrolled 32-byte steps instead of a rep prefix: TCG translates the
 * loop body once and runs 128 passes of eight stores, where rep stosl
 * goes through its loop machinery 1024 times.
 */
void clear_page(void *page)
{
	void *d = page;
	uint32_t n = PAGE_SIZE / 64;

	__asm__ volatile("1:\n\t"
			 "movl %%eax, 0(%0)\n\tmovl %%eax, 4(%0)\n\t"
			 "movl %%eax, 8(%0)\n\tmovl %%eax, 12(%0)\n\t"
			 "movl %%eax, 16(%0)\n\tmovl %%eax, 20(%0)\n\t"
			 "movl %%eax, 24(%0)\n\tmovl %%eax, 28(%0)\n\t"
			 "movl %%eax, 32(%0)\n\tmovl %%eax, 36(%0)\n\t"
			 "movl %%eax, 40(%0)\n\tmovl %%eax, 44(%0)\n\t"
			 "movl %%eax, 48(%0)\n\tmovl %%eax, 52(%0)\n\t"
			 "movl %%eax, 56(%0)\n\tmovl %%eax, 60(%0)\n\t"
			 "addl $64, %0\n\t"
			 "decl %1\n\t"
			 "jnz 1b"
			 : "+r"(d), "+r"(n) : "a"(0) : "memory");
}

/* Copy one page in unrolled 32-byte steps, for the same reason as clear_page. */
void copy_page(void *to, const void *from)
{
	void *d = to;
	const void *s = from;
	uint32_t n = PAGE_SIZE / 32, a, b;

#define COPY_PAIR(off) "movl " #off "(%[s]), %[a]\n\tmovl " #off "+4(%[s]), %[b]\n\t" \
		       "movl %[a], " #off "(%[d])\n\tmovl %[b], " #off "+4(%[d])\n\t"
	__asm__ volatile("1:\n\t"
			 COPY_PAIR(0) COPY_PAIR(8) COPY_PAIR(16) COPY_PAIR(24)
			 "addl $32, %[s]\n\t"
			 "addl $32, %[d]\n\t"
			 "decl %[n]\n\t"
			 "jnz 1b"
			 : [d] "+r"(d), [s] "+r"(s), [n] "+r"(n), [a] "=&r"(a), [b] "=&r"(b)
			 : : "memory");
#undef COPY_PAIR
}

/* Like memcpy, but the regions may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
