/*
 * Formatted output. Conversions: %d %i %u %x %X %c %s %p %%, with the
 * length modifiers l, ll and z, a field width (digits or *), and the flags
 * '0' (zero pad) and '-' (left-justify). Output to a file descriptor is
 * written with one write(2) per 256 bytes, so short lines from different
 * processes do not interleave.
 */
#ifndef USER_PRINTF_H
#define USER_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Each returns the length of the full output (snprintf: the length it would
 * have had without truncation; the buffer always ends with a NUL when
 * size > 0), or -errno if a write failed. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vfprintf(int fd, const char *fmt, va_list ap);
int fprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes all n bytes of buf to fd, retrying short writes; returns 0 or
 * -errno. */
long write_all(int fd, const void *buf, size_t n);

#endif
