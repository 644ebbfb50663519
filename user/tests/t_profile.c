/*
 * The profiler seen from user space (ukva_profile, kernel/profile.c): a
 * loop in one user function shows up as samples on its page, system
 * calls as kernel samples on kernel functions, a reset empties the
 * counts, and bad arguments get errnos.  The data cases need a boot with
 * profile= (the machine user-profile-smp2 runs this program as init);
 * without it, and on Linux, they are skipped.  Every loop runs until
 * enough samples have arrived, never for a set time.
 */
#include <stdint.h>

#include "ktap.h"
#include "syscall.h"
#include "ukva.h"

#define WANT_SAMPLES    20
#define MAX_ENTRIES     4096
#define KERNEL_BASE     0xc0000000u         /* the 3G/1G split */

static struct ukva_profile_entry entries[MAX_ENTRIES];

/* True when the profiler runs; otherwise skips the case with the reason. */
static bool profiling(void)
{
	struct ukva_profile_totals t;
	long r = sys_ukva_profile(UKVA_PROFILE_TOTALS, -1, &t, 1);

	if (r == -ENOSYS)
		ktap_skip("not on the ukva kernel");
	else if (r == -ENOENT)
		ktap_skip("booted without profile=");
	else if (EXPECT_OK(r))
		return true;
	return false;
}

static struct ukva_profile_totals totals(void)
{
	struct ukva_profile_totals t = { 0 };

	sys_ukva_profile(UKVA_PROFILE_TOTALS, -1, &t, 1);
	return t;
}

/* Spins in user mode until the profiler has taken `want` user samples. */
static __attribute__((noinline)) void spin_in_user_mode(uint32_t want)
{
	volatile uint32_t sink = 0;

	while (totals().user < want)
		for (uint32_t i = 0; i < 200000; i++)
			sink += i;
}

/* The hits the PROFILE_USER entries give the page holding addr. */
static uint32_t user_page_hits(uint32_t addr, uint32_t *most)
{
	long n = sys_ukva_profile(UKVA_PROFILE_USER, -1, entries, MAX_ENTRIES);
	uint32_t hits = 0;

	*most = 0;
	for (long i = 0; i < n && i < MAX_ENTRIES; i++) {
		if (entries[i].addr == (addr & ~0xfffu))
			hits += entries[i].hits;
		if (entries[i].hits > *most)
			*most = entries[i].hits;
	}
	return hits;
}

/* A user loop's samples land on its own page, at least as many as on any other. */
static void user_loop_is_sampled_on_its_page(void)
{
	uint32_t most;

	if (!profiling())
		return;
	EXPECT_OK(sys_ukva_profile(UKVA_PROFILE_RESET, -1, NULL, 0));
	spin_in_user_mode(WANT_SAMPLES);
	uint32_t hits = user_page_hits((uint32_t)spin_in_user_mode, &most);
	ktap_diag("%u samples on the loop's page, %u on the busiest page", hits, most);
	EXPECT_GE(hits, WANT_SAMPLES / 2);
	EXPECT_GE(hits, most);          /* entries are per CPU: the loop may have moved */
}

/* System calls are sampled in kernel mode, on kernel functions. */
static void syscalls_are_sampled_in_the_kernel(void)
{
	if (!profiling())
		return;
	EXPECT_OK(sys_ukva_profile(UKVA_PROFILE_RESET, -1, NULL, 0));
	while (totals().kernel < WANT_SAMPLES)
		for (int i = 0; i < 1000; i++)
			sys_getppid();
	long n = sys_ukva_profile(UKVA_PROFILE_KERNEL, -1, entries, MAX_ENTRIES);
	int outside = 0;
	EXPECT_GE(n, 1);
	for (long i = 0; i < n && i < MAX_ENTRIES; i++)
		outside += entries[i].addr < KERNEL_BASE || entries[i].hits == 0;
	EXPECT_EQ(outside, 0);
}

/* A reset takes the counts back to (nearly) nothing; the rate is reported. */
static void reset_empties_the_counts(void)
{
	if (!profiling())
		return;
	spin_in_user_mode(totals().user + WANT_SAMPLES);
	struct ukva_profile_totals before = totals();
	EXPECT_OK(sys_ukva_profile(UKVA_PROFILE_RESET, -1, NULL, 0));
	struct ukva_profile_totals after = totals();
	EXPECT(after.user + after.kernel < before.user + before.kernel);
	EXPECT_GE(after.hz, 100);
}

/* Bad operations, CPUs and buffers get EINVAL and EFAULT, never a crash. */
static void bad_arguments_get_errnos(void)
{
	if (!profiling())
		return;
	EXPECT_ERRNO(sys_ukva_profile((enum ukva_profile_op)99, -1, entries, 1), EINVAL);
	EXPECT_ERRNO(sys_ukva_profile(UKVA_PROFILE_TOTALS, 4096, entries, 1), EINVAL);
	EXPECT_ERRNO(sys_ukva_profile(UKVA_PROFILE_TOTALS, -2, entries, 1), EINVAL);
	EXPECT_ERRNO(sys_ukva_profile(UKVA_PROFILE_TOTALS, -1, NULL, 1), EFAULT);
	EXPECT_ERRNO(sys_ukva_profile(UKVA_PROFILE_TOTALS, -1, (void *)KERNEL_BASE, 1), EFAULT);
	spin_in_user_mode(totals().user + 1);   /* at least one entry to copy */
	EXPECT_ERRNO(sys_ukva_profile(UKVA_PROFILE_USER, -1, (void *)KERNEL_BASE, 8), EFAULT);
	/* n = 0 copies nothing and still counts the entries. */
	EXPECT_GE(sys_ukva_profile(UKVA_PROFILE_USER, -1, NULL, 0), 1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(user_loop_is_sampled_on_its_page),
	KTAP_CASE(syscalls_are_sampled_in_the_kernel),
	KTAP_CASE(reset_empties_the_counts),
	KTAP_CASE(bad_arguments_get_errnos),
};

int main(void)
{
	return ktap_run("t_profile", cases, ARRAY_SIZE(cases));
}
