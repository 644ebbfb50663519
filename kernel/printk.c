/*
 * printk: formats into a stack buffer and writes whole lines to the console
 * under one lock, so lines from different CPUs never interleave mid-line.
 */
#include <stdarg.h>
#include "kernel/printk.h"
#include "kernel/compiler.h"
#include "kernel/vsprintf.h"
#include "kernel/spinlock.h"
#include "arch/i386/uart.h"

int console_loglevel = LOG_INFO;

static spinlock_t console_lock = SPINLOCK_INIT;
static bool console_unlocked;           /* panic mode: write without the lock */

static const char *const level_prefix[] = {
	[LOG_EMERG]   = "EMERG: ",
	[LOG_ALERT]   = "ALERT: ",
	[LOG_CRIT]    = "CRIT: ",
	[LOG_ERR]     = "error: ",
	[LOG_WARNING] = "warning: ",
	[LOG_NOTICE]  = "",
	[LOG_INFO]    = "",
	[LOG_DEBUG]   = "debug: ",
};

/* Write len bytes to the serial console, turning "\n" into "\r\n". */
void console_write(const char *s, unsigned len)
{
	bool unlocked = READ_ONCE(console_unlocked);
	uint32_t flags = 0;

	if (!unlocked)
		flags = spin_lock_irqsave(&console_lock);
	for (unsigned i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
	if (!unlocked)
		spin_unlock_irqrestore(&console_lock, flags);
}

void console_panic_mode(void)
{
	WRITE_ONCE(console_unlocked, true);
}

static void vprintk(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	int n = 0;

	while (prefix[n] && n < (int)sizeof(buf) - 1) {
		buf[n] = prefix[n];
		n++;
	}
	int m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	n += m;
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	console_write(buf, n);
}

void printk(enum log_level level, const char *fmt, ...)
{
	if ((int)level > console_loglevel)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintk(level_prefix[level], fmt, ap);
	va_end(ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk("", fmt, ap);
	va_end(ap);
}
