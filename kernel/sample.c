/* EIP sampling from the timer interrupt, for any number of readers (sample.h). */
#include "kernel/sample.h"
#include "kernel/sched.h"
#include "kernel/errno.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include "arch/i386/percpu.h"
#include "arch/i386/apic.h"
#include "arch/i386/ioapic.h"
#include "arch/i386/pit.h"

#define PIT_IRQ         0

static const struct sample_reader *readers[SAMPLE_MAX_READERS];
static unsigned per_tick = 1;
static bool nmi_wanted;                 /* profile=N,nmi */
static bool nmi_running;                /* the PIT sends them */
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

/* Hand the interrupted context f to every reader. */
static void deliver(unsigned cpu, const struct trap_frame *f)
{
	bool user = user_mode(f);

	for (unsigned i = 0; i < SAMPLE_MAX_READERS; i++) {
		const struct sample_reader *r = __atomic_load_n(&readers[i], __ATOMIC_ACQUIRE);
		if (r)
			r->sample(cpu, f->eip, user);
	}
}

bool sample_timer_interrupt(const struct trap_frame *f)
{
	unsigned cpu = this_cpu()->id;

	if (nmi_wanted)
		return true;            /* the NMIs sample; the timer only ticks */
	deliver(cpu, f);
	if (++subticks[cpu] < per_tick)
		return false;
	subticks[cpu] = 0;
	return true;
}

bool sample_nmi(const struct trap_frame *f)
{
	if (!READ_ONCE(nmi_running))
		return false;
	deliver(this_cpu()->id, f);
	return true;
}

unsigned sample_timer_hz(void)
{
	return nmi_wanted ? HZ : HZ * per_tick;
}

unsigned sample_hz(void)
{
	return HZ * per_tick;
}

bool sample_uses_nmi(void)
{
	return nmi_running;
}

void sample_start_nmi(void)
{
	if (!nmi_wanted)
		return;
	if (!apic_active() || !ioapic_route_irq_nmi(PIT_IRQ)) {
		pr_warn("sample: no I/O APIC to send NMIs; sampling at each %u Hz tick instead\n", HZ);
		WRITE_ONCE(per_tick, 1);        /* the timer runs at HZ: every interrupt ticks */
		WRITE_ONCE(nmi_wanted, false);
		return;
	}
	WRITE_ONCE(nmi_running, true);
	pit_start_periodic(sample_hz());
	pr_info("sample: the PIT sends every CPU an NMI %u times a second\n", sample_hz());
}

unsigned sample_per_tick(void)
{
	return per_tick;
}

int sample_set_source(unsigned n, bool nmi)
{
	if (n < 1 || n > SAMPLE_MAX_PER_TICK)
		return -EINVAL;
	per_tick = n;
	nmi_wanted = nmi;
	return 0;
}
