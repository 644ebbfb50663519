/*
 * set_thread_area: TLS segment descriptors in the GDT. Entry -1 lets the
 * kernel pick a free slot and write its number back; %gs loaded with that
 * slot's selector then reads memory at the base we gave. Descriptors are
 * per task: a forked child keeps them, and two processes using the same
 * slot with different bases each see their own. Bad descriptors: EINVAL.
 * %fs, which the kernel uses for itself while it runs, comes back to user
 * mode as the program left it; a %gs whose slot was emptied comes back null.
 */
#include <stdint.h>

#include "child.h"
#include "ktap.h"
#include "syscall.h"
#include "tls.h"

static uint32_t block_a[4] = { 0xaaaa0001, 0xaaaa0002 };
static uint32_t block_b[4] = { 0xbbbb0001, 0xbbbb0002 };

/* Installs a TLS segment based at base in a new slot; returns the slot, or
 * -errno. */
static long alloc_slot(const void *base)
{
	struct user_desc d;
	long r;

	tls_desc(&d, (uint32_t)-1, base);
	r = sys_set_thread_area(&d);
	return r < 0 ? r : (long)d.entry_number;
}

/* With entry -1 the kernel chooses a slot and reports it; %gs then reads
 * through the new segment at its base. */
static void alloc_and_load(void)
{
	long slot = alloc_slot(block_a);

	if (!EXPECT_OK(slot))
		return;
	EXPECT(slot > 0 && slot < 8192);
	ktap_diag("TLS slot %ld", slot);
	tls_load_gs(tls_selector((uint32_t)slot));
	EXPECT_EQ(tls_read_gs(), tls_selector((uint32_t)slot));
	EXPECT_EQ(tls_read(0), 0xaaaa0001);
	EXPECT_EQ(tls_read(4), 0xaaaa0002);
}

/* Rewriting a slot's descriptor moves the segment (after %gs is reloaded,
 * which refreshes the CPU's cached copy). */
static void change_base(void)
{
	long slot = alloc_slot(block_a);
	struct user_desc d;

	if (!EXPECT_OK(slot))
		return;
	tls_load_gs(tls_selector((uint32_t)slot));
	EXPECT_EQ(tls_read(0), 0xaaaa0001);
	tls_desc(&d, (uint32_t)slot, block_b);
	EXPECT_EQ(sys_set_thread_area(&d), 0);
	EXPECT_EQ(d.entry_number, slot);
	tls_load_gs(tls_selector((uint32_t)slot));
	EXPECT_EQ(tls_read(0), 0xbbbb0001);
}

/* Child side of slots_run_out: takes every free slot, then frees one. */
static int exhaust_slots(void *arg)
{
	struct user_desc d = { .read_exec_only = 1, .seg_not_present = 1 };
	long slot = 0, last = -1;
	int n;

	(void)arg;
	for (n = 0; n < 16 && (slot = alloc_slot(block_a)) >= 0; n++)
		last = slot;
	EXPECT_ERRNO(slot, ESRCH);
	if (!EXPECT_GE(last, 0))
		return 1;
	/* The "empty" descriptor (Linux's LDT_empty) clears a slot, which
	 * -1 may then pick again. */
	d.entry_number = (uint32_t)last;
	EXPECT_EQ(sys_set_thread_area(&d), 0);
	EXPECT_EQ(alloc_slot(block_b), last);
	return ktap_failed();
}

/* Child side of emptying_loaded_slot: %gs names a slot that then empties. */
static int empty_loaded_slot(void *arg)
{
	struct user_desc d = { .read_exec_only = 1, .seg_not_present = 1 };
	long slot = alloc_slot(block_a);

	(void)arg;
	if (!EXPECT_OK(slot))
		return 1;
	tls_load_gs(tls_selector((uint32_t)slot));
	d.entry_number = (uint32_t)slot;
	EXPECT_EQ(sys_set_thread_area(&d), 0);
	/* The kernel cannot hand back a selector with no descriptor: %gs is 0. */
	EXPECT_EQ(tls_read_gs(), 0);
	return ktap_failed();
}

/* Emptying the slot %gs holds: the process goes on, with %gs null (Linux). */
static void emptying_loaded_slot(void)
{
	EXPECT_EXIT(child_run(empty_loaded_slot, NULL), 0);
}

/* Slots are few (Linux has 3): asking for one more is ESRCH. */
static void slots_run_out(void)
{
	EXPECT_EXIT(child_run(exhaust_slots, NULL), 0);
}

/* What a child of per_process_segments needs: the slot its parent uses. */
static int own_segment(void *slot)
{
	struct user_desc d;
	int wrong = 0;

	/* Inherited across fork: the same slot, still based at block_a. */
	EXPECT_EQ(tls_read(0), 0xaaaa0001);
	tls_desc(&d, (uint32_t)(long)slot, block_b);
	EXPECT_EQ(sys_set_thread_area(&d), 0);
	tls_load_gs(tls_selector((uint32_t)(long)slot));
	for (int i = 0; i < 200; i++) {
		sys_sched_yield();
		wrong += tls_read(0) != 0xbbbb0001;
	}
	EXPECT_EQ(wrong, 0);
	return ktap_failed();
}

/* A forked child inherits its parent's TLS descriptors; when it then
 * rebases the same slot, parent and child each keep seeing their own
 * segment across context switches. */
static void per_process_segments(void)
{
	long slot = alloc_slot(block_a), pid;
	int wrong = 0;

	if (!EXPECT_OK(slot))
		return;
	tls_load_gs(tls_selector((uint32_t)slot));
	pid = child_start(own_segment, (void *)slot);
	for (int i = 0; i < 200; i++) {
		sys_sched_yield();
		wrong += tls_read(0) != 0xaaaa0001;
	}
	EXPECT_EQ(wrong, 0);
	EXPECT_EXIT(child_wait(pid), 0);
}

/* Returns the 32-bit word at %fs:addr and, in *sel, the %fs selector. */
static uint32_t fs_read(const void *addr, uint16_t *sel)
{
	uint32_t v;

	__asm__ volatile("movl %%fs:(%2), %0\n\t"
			 "movw %%fs, %1" : "=r"(v), "=r"(*sel) : "r"(addr) : "memory");
	return v;
}

/* The selector %fs holds survives system calls, context switches and
 * timer interrupts: the kernel loads its own %fs on every entry and gives
 * the user's back on the way out.  The user data segment (what %ds holds)
 * is flat, so %fs:addr reads addr. */
static void fs_survives_kernel_entries(void)
{
	uint16_t want, sel;
	int wrong = 0;

	__asm__ volatile("movw %%ds, %0\n\t"
			 "movw %0, %%fs" : "=r"(want) : : "memory");
	for (int i = 0; i < 200; i++) {
		sys_sched_yield();
		for (volatile int spin = 0; spin < 20000; spin++)
			;                       /* long enough to meet a tick */
		wrong += fs_read(block_b, &sel) != 0xbbbb0001 || sel != want;
	}
	EXPECT_EQ(wrong, 0);
	EXPECT_EQ(sel, want);
}

/* Child side of clear_loaded_slot: frees every TLS slot (an empty
 * descriptor is accepted exactly at the TLS slot numbers), takes one,
 * loads %gs from it, then empties it under %gs's feet. */
static int clear_own_slot(void *arg)
{
	struct user_desc d = { .read_exec_only = 1, .seg_not_present = 1 };
	long slot;

	(void)arg;
	for (uint32_t i = 0; i < 32; i++) {
		d.entry_number = i;
		sys_set_thread_area(&d);
	}
	slot = alloc_slot(block_a);
	if (!EXPECT_OK(slot))
		return 1;
	tls_load_gs(tls_selector((uint32_t)slot));
	EXPECT_EQ(tls_read(0), 0xaaaa0001);
	d.entry_number = (uint32_t)slot;
	EXPECT_EQ(sys_set_thread_area(&d), 0);
	EXPECT_GE(sys_getpid(), 1);
	EXPECT_EQ(tls_read_gs(), 0);
	return ktap_failed();
}

/* Emptying the slot %gs is loaded from does not trouble the kernel on its
 * way back to user mode: %gs comes back null, as on Linux. */
static void clear_loaded_slot(void)
{
	EXPECT_EXIT(child_run(clear_own_slot, NULL), 0);
}

/* Slot numbers outside the TLS range: EINVAL. */
static void bad_slot(void)
{
	struct user_desc d;

	tls_desc(&d, 0, block_a);
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
	tls_desc(&d, 100, block_a);
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
	tls_desc(&d, 0x7fffffff, block_a);
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
}

/* Descriptors the kernel must refuse: a code segment, a 16-bit segment, a
 * segment marked not present (but not empty). */
static void bad_descriptor(void)
{
	struct user_desc d;

	tls_desc(&d, (uint32_t)-1, block_a);
	d.contents = 2;
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
	tls_desc(&d, (uint32_t)-1, block_a);
	d.seg_32bit = 0;
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
	tls_desc(&d, (uint32_t)-1, block_a);
	d.seg_not_present = 1;
	EXPECT_ERRNO(sys_set_thread_area(&d), EINVAL);
}

/* A descriptor pointer the kernel cannot read: EFAULT. */
static void bad_pointer(void)
{
	EXPECT_ERRNO(sys_set_thread_area(NULL), EFAULT);
	EXPECT_ERRNO(sys_set_thread_area((void *)1), EFAULT);
	EXPECT_ERRNO(sys_set_thread_area((void *)0xc0000000), EFAULT);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(alloc_and_load),
	KTAP_CASE(change_base),
	KTAP_CASE(slots_run_out),
	KTAP_CASE(emptying_loaded_slot),
	KTAP_CASE(per_process_segments),
	KTAP_CASE(fs_survives_kernel_entries),
	KTAP_CASE(clear_loaded_slot),
	KTAP_CASE(bad_slot),
	KTAP_CASE(bad_descriptor),
	KTAP_CASE(bad_pointer),
};

int main(void)
{
	return ktap_run("t_tls", cases, ARRAY_SIZE(cases));
}
