/* Formatted output into a buffer: the subset of C's printf the kernel uses. */
#ifndef KERNEL_VSPRINTF_H
#define KERNEL_VSPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-' and '0', a
 * width (number or '*'), a precision for %s, and the length modifiers
 * hh, h, l, ll, z.  Returns the length the full output would have had;
 * at most size - 1 characters are stored, always NUL-terminated if size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
