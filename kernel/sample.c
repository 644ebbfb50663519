/* EIP sampling from the timer interrupt, for any number of readers (sample.h). */
#include "kernel/sample.h"
#include "kernel/sched.h"
#include "kernel/errno.h"
#include "kernel/compiler.h"
#include "arch/i386/percpu.h"

static const struct sample_reader *readers[SAMPLE_MAX_READERS];
static unsigned per_tick = 1;
static unsigned subticks[NR_CPUS];      /* timer interrupts since the last tick, per CPU */

int sample_reader_add(const struct sample_reader *r)
{
	for (unsigned i = 0; i < SAMPLE_MAX_READERS; i++) {
		const struct sample_reader *none = NULL;
		if (__atomic_compare_exchange_n(&readers[i], &none, r, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return 0;
	}
	return -EBUSY;
}

void sample_reader_remove(const struct sample_reader *r)
{
	for (unsigned i = 0; i < SAMPLE_MAX_READERS; i++) {
		const struct sample_reader *mine = r;
		__atomic_compare_exchange_n(&readers[i], &mine, NULL, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}
}

bool sample_timer_interrupt(const struct trap_frame *f)
{
	unsigned cpu = this_cpu()->id;
	bool user = user_mode(f);

	for (unsigned i = 0; i < SAMPLE_MAX_READERS; i++) {
		const struct sample_reader *r = __atomic_load_n(&readers[i], __ATOMIC_ACQUIRE);
		if (r)
			r->sample(cpu, f->eip, user);
	}
	if (++subticks[cpu] < per_tick)
		return false;
	subticks[cpu] = 0;
	return true;
}

unsigned sample_timer_hz(void)
{
	return HZ * per_tick;
}

unsigned sample_per_tick(void)
{
	return per_tick;
}

int sample_set_per_tick(unsigned n)
{
	if (n < 1 || n > SAMPLE_MAX_PER_TICK)
		return -EINVAL;
	per_tick = n;
	return 0;
}
