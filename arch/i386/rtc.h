/* The CMOS real-time clock: wall-clock time at boot. */
#ifndef ARCH_I386_RTC_H
#define ARCH_I386_RTC_H

#include <stdint.h>

/* Seconds since 1970-01-01 UTC read from the RTC (assumed to run in UTC). */
int64_t rtc_read_unix_time(void);

#endif
