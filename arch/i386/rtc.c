/*
 * Reading the MC146818 RTC through CMOS ports 0x70/0x71.  Registers: 0 sec,
 * 2 min, 4 hour, 7 day, 8 month, 9 year, 0x32 century (ACPI FADT's usual
 * index); status A bit 7 = update in progress; status B bit 2 = binary,
 * bit 1 = 24-hour.  Read twice until equal to dodge an update mid-read.
 */
#include <stdbool.h>
#include "arch/i386/rtc.h"
#include "arch/i386/io.h"
#include "kernel/string.h"

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define NMI_DISABLE     0x80

struct rtc_time {
	unsigned sec, min, hour, day, month, year, century;
};

static unsigned cmos_read(unsigned reg)
{
	outb(CMOS_INDEX, NMI_DISABLE | reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	while (cmos_read(0x0A) & 0x80)
		;
	t->sec = cmos_read(0x00);
	t->min = cmos_read(0x02);
	t->hour = cmos_read(0x04);
	t->day = cmos_read(0x07);
	t->month = cmos_read(0x08);
	t->year = cmos_read(0x09);
	t->century = cmos_read(0x32);
}

static unsigned bcd(unsigned v)
{
	return (v & 0x0F) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rtc_read_unix_time(void)
{
	struct rtc_time a, b;

	do {
		read_raw(&a);
		read_raw(&b);
	} while (memcmp(&a, &b, sizeof(a)) != 0);

	unsigned status_b = cmos_read(0x0B);
	bool pm = !(status_b & 0x02) && (a.hour & 0x80);
	a.hour &= 0x7F;
	if (!(status_b & 0x04)) {
		a.sec = bcd(a.sec), a.min = bcd(a.min), a.hour = bcd(a.hour);
		a.day = bcd(a.day), a.month = bcd(a.month), a.year = bcd(a.year);
		a.century = bcd(a.century);
	}
	if (!(status_b & 0x02))         /* 12-hour clock: 12 AM is 0 */
		a.hour = a.hour % 12 + (pm ? 12 : 0);
	unsigned year = (a.century >= 19 && a.century <= 30 ? a.century : 20) * 100 + a.year;
	return days_from_civil(year, a.month, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
}
