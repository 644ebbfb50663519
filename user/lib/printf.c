/*
 * Formatted output. One formatting engine (format) writes characters into a
 * struct out; the buffer either truncates (snprintf) or is flushed to a file
 * descriptor when full (fprintf).
 */
#include "printf.h"

#include <stdbool.h>
#include <stdint.h>

#include "string.h"
#include "syscall.h"

struct out {
	char *buf;
	size_t size;	/* capacity of buf */
	size_t len;	/* bytes in buf */
	size_t total;	/* bytes produced so far */
	int fd;		/* flush to this descriptor when full; -1: truncate */
	long error;	/* first write error, or 0 */
};

/* Writes all n bytes of buf to fd, retrying short writes; returns 0 or
 * -errno. */
long write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		long r = sys_write(fd, p, n);

		if (r < 0)
			return r;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Empties o's buffer into its descriptor. */
static void out_flush(struct out *o)
{
	long r = write_all(o->fd, o->buf, o->len);

	if (r < 0 && o->error == 0)
		o->error = r;
	o->len = 0;
}

/* Appends one character, keeping room for a NUL when truncating. */
static void out_char(struct out *o, char c)
{
	o->total++;
	if (o->fd >= 0) {
		if (o->len == o->size)
			out_flush(o);
		o->buf[o->len++] = c;
	} else if (o->len + 1 < o->size) {
		o->buf[o->len++] = c;
	}
}

/* Appends s (n bytes) padded with pad to width columns. */
static void out_field(struct out *o, const char *s, size_t n, int width,
		      bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left && pad == '0' && n > 0 && *s == '-') {
		out_char(o, *s++);	/* the sign goes before the zeros */
		n--;
	}
	for (; !left && fill > 0; fill--)
		out_char(o, pad);
	while (n-- > 0)
		out_char(o, *s++);
	for (; fill > 0; fill--)
		out_char(o, ' ');
}

/* How one conversion is to be printed: "%-8lx" is left, width 8, lng 1. */
struct spec {
	bool left;	/* '-': pad on the right */
	char pad;	/* '0' or ' ', for padding on the left */
	int width;	/* minimum number of characters */
	int lng;	/* number of 'l's; 'z' counts as one */
};

/* Reads the flags, width and length that follow a '%' at fmt into *sp;
 * returns a pointer to the conversion character. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .pad = ' ' };
	for (; *fmt == '-' || *fmt == '0'; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else
			sp->pad = '0';
	}
	if (sp->left)
		sp->pad = ' ';
	if (*fmt == '*') {	/* the width is an int argument */
		sp->width = va_arg(*ap, int);
		fmt++;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = sp->width * 10 + (*fmt - '0');
	for (; *fmt == 'l'; fmt++)
		sp->lng++;
	if (*fmt == 'z') {	/* size_t: as wide as long on i386 */
		sp->lng = 1;
		fmt++;
	}
	return fmt;
}

/* Takes the next integer argument, of the width sp says; a signed one is
 * sign-extended to 64 bits. */
static uint64_t int_arg(const struct spec *sp, bool is_signed, va_list *ap)
{
	if (sp->lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (is_signed)
		return (uint64_t)(int64_t)(sp->lng ? va_arg(*ap, long)
						   : va_arg(*ap, int));
	return sp->lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
}

/* Writes v in base (10 or 16) into the end of buf[24]; returns the first
 * character. A minus sign is added if neg. */
static char *format_number(char buf[24], uint64_t v, unsigned base, bool neg,
			   bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = buf + 24;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v != 0);
	if (neg)
		*--p = '-';
	return p;
}

/* Prints the argument of conversion character c (not '%'); returns false if
 * c is not a conversion we know. */
static bool convert(struct out *o, char c, const struct spec *sp, va_list *ap)
{
	char num[24], *s = num;
	char pad = sp->pad;
	uint64_t v;

	switch (c) {
	case 'd':
	case 'i':
		v = int_arg(sp, true, ap);
		/* Negate in unsigned arithmetic: -INT64_MIN would overflow. */
		s = (int64_t)v < 0 ? format_number(num, -v, 10, true, false)
				   : format_number(num, v, 10, false, false);
		break;
	case 'u':
	case 'x':
	case 'X':
		v = int_arg(sp, false, ap);
		s = format_number(num, v, c == 'u' ? 10 : 16, false, c == 'X');
		break;
	case 'p':
		v = (uintptr_t)va_arg(*ap, void *);
		s = format_number(num, v, 16, false, false);
		while (num + 24 - s < 8)	/* always all 8 digits */
			*--s = '0';
		*--s = 'x';
		*--s = '0';
		pad = ' ';
		break;
	case 'c':
		num[0] = (char)va_arg(*ap, int);
		out_field(o, num, 1, sp->width, sp->left, ' ');
		return true;
	case 's':
		s = va_arg(*ap, char *);
		if (s == NULL)
			s = "(null)";
		out_field(o, s, strlen(s), sp->width, sp->left, ' ');
		return true;
	default:
		return false;
	}
	out_field(o, s, (size_t)(num + 24 - s), sp->width, sp->left, pad);
	return true;
}

/* The formatting engine behind every printf variant. */
static void format(struct out *o, const char *fmt, va_list ap)
{
	struct spec sp;
	va_list args;

	va_copy(args, ap);	/* helpers take a pointer to it */
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			out_char(o, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (*fmt == '%') {
			out_char(o, '%');
		} else if (!convert(o, *fmt, &sp, &args)) {
			/* Unknown: print it as it is, so the bug is seen. */
			out_char(o, '%');
			if (*fmt == '\0')
				break;
			out_char(o, *fmt);
		}
	}
	va_end(args);
}

/* Formats into buf (at most size bytes, NUL included); returns the full
 * length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .fd = -1 };

	format(&o, fmt, ap);
	if (size > 0)
		buf[o.len] = '\0';
	return (int)o.total;
}

/* Formats into buf (at most size bytes, NUL included); returns the full
 * length. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Formats to fd; returns the length written or -errno. */
int vfprintf(int fd, const char *fmt, va_list ap)
{
	char buf[256];
	struct out o = { .buf = buf, .size = sizeof(buf), .fd = fd };

	format(&o, fmt, ap);
	out_flush(&o);
	return o.error ? (int)o.error : (int)o.total;
}

/* Formats to fd; returns the length written or -errno. */
int fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* Formats to standard output (fd 1); returns the length or -errno. */
int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(1, fmt, ap);
	va_end(ap);
	return n;
}
