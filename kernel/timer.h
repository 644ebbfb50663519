/*
 * Kernel timers on the periodic tick: a callback runs from the timer
 * interrupt once jiffies reaches its expiry.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include "kernel/list.h"

struct timer {
	unsigned long long expires;     /* in jiffies */
	void (*fn)(void *data);         /* runs in interrupt context */
	void *data;
	struct list_head link;
	bool pending;
};

extern volatile unsigned long long jiffies;     /* ticks since boot */

void add_timer(struct timer *t);
/* Cancel; returns true if the timer was still pending. */
bool del_timer(struct timer *t);
/*
 * The boot CPU's periodic tick (interrupt context, from tick_periodic in
 * time.h): advance jiffies, run due timers.  Timers run on the boot CPU.
 */
void timer_tick(void);

#endif
