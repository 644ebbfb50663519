/*
 * vsnprintf: a small, complete-enough printf engine.  Pure logic with no
 * kernel dependencies, so tests/host builds it natively under sanitizers.
 */
#include "kernel/vsprintf.h"
#include <stdint.h>
#include <stdbool.h>

struct out {
	char *buf;
	size_t size;
	size_t len;             /* characters produced, stored or not */
};

struct spec {
	bool left;              /* '-' */
	bool zero;              /* '0' */
	int width;
	int precision;          /* -1: none */
	int length;             /* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z' */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emit s (n characters) padded to the spec's width. */
static void put_field(struct out *o, const struct spec *sp, const char *s, int n)
{
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

/* Emit a number in the given base; neg puts a '-' before the digits. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       unsigned base, bool upper, bool neg)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	int len = n + (neg ? 1 : 0);
	if (sp->zero && !sp->left) {
		if (neg)
			put(o, '-');
		pad(o, '0', sp->width - len);
	} else {
		if (!sp->left)
			pad(o, ' ', sp->width - len);
		if (neg)
			put(o, '-');
	}
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'L': return va_arg(*ap, unsigned long long);
	case 'l': return va_arg(*ap, unsigned long);
	case 'z': return va_arg(*ap, size_t);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	default:  return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'L': return va_arg(*ap, long long);
	case 'l': return va_arg(*ap, long);
	case 'z': return (int64_t)va_arg(*ap, size_t);
	case 'h': return (short)va_arg(*ap, int);
	case 'H': return (signed char)va_arg(*ap, int);
	default:  return va_arg(*ap, int);
	}
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	if (f[0] == 'h' && f[1] == 'h') { sp->length = 'H'; f += 2; }
	else if (f[0] == 'l' && f[1] == 'l') { sp->length = 'L'; f += 2; }
	else if (*f == 'h' || *f == 'l' || *f == 'z') sp->length = *f++;
	return f;
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = fetch_signed(sp, ap);
		put_number(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, v < 0);
		break;
	}
	case 'u': put_number(o, sp, fetch_unsigned(sp, ap), 10, false, false); break;
	case 'x': put_number(o, sp, fetch_unsigned(sp, ap), 16, false, false); break;
	case 'X': put_number(o, sp, fetch_unsigned(sp, ap), 16, true, false); break;
	case 'o': put_number(o, sp, fetch_unsigned(sp, ap), 8, false, false); break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		sp->zero = true;
		sp->width = 2 * (int)sizeof(void *);
		put_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, false, false);
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		put_field(o, sp, &ch, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		int n = 0;
		while (s[n] && (sp->precision < 0 || n < sp->precision))
			n++;
		put_field(o, sp, s, n);
		break;
	}
	case '%': put(o, '%'); break;
	default:  put(o, '%'); put(o, c); break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &args);
		if (!*f)
			break;
		convert(&o, *f, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
