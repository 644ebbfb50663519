/* The kernel log: printk with Linux-style levels, to the serial console. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

enum log_level {
	LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR,
	LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

/* Messages above this level are dropped (boot option loglevel=N). */
extern int console_loglevel;

void printk(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Raw console output with no level prefix: KTAP lines, tables. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, unsigned len);
/*
 * From now on write to the console without its lock: the panic path may
 * run while this CPU (or a dead one) holds it.  Lines from several CPUs
 * may interleave after this; nothing can deadlock.  There is no way back.
 */
void console_panic_mode(void);

#define pr_emerg(...)   printk(LOG_EMERG, __VA_ARGS__)
#define pr_err(...)     printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)    printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...)  printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)    printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)   printk(LOG_DEBUG, __VA_ARGS__)

#endif
