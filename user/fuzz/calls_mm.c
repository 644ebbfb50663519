/*
 * The memory calls: brk, mmap2, munmap, mprotect. Addresses that change
 * mappings come from gen_map_addr (the actor's playground, or ranges the
 * kernel must refuse); mmap2's results outside the playground are
 * remembered and unmapped later.
 */
#include "fuzz.h"

#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_POPULATE    0x8000

/*
 * May brk be asked to end the heap at want? Not inside or past the
 * playground: the heap would take over actors' empty slices, and a later
 * shrink by any thread would unmap what those actors had mapped there
 * meanwhile (a fresh mmap2 result gone before its first write). An end in
 * the main stack's top page is harmless: the stack is always in the way.
 */
static bool brk_end_is_safe(uint32_t want)
{
	if (want <= PLAY_BASE)
		return true;
	return opts.on_ukva && want >= USER_TOP - PAGE_SIZE;
}

void call_brk(struct actor *a)
{
	long cur = fuzz_call(a, __NR_brk, 0, 0, 0, 0, 0, 0);
	uint32_t want;
	long r;

	switch (rnd_below(a, 4)) {
	case 0:  want = (uint32_t)cur + PAGE_SIZE * rnd_below(a, 64); break;
	case 1:  want = (uint32_t)cur - PAGE_SIZE * rnd_below(a, 64); break;
	case 2:  want = gen_ptr(a); break;
	default: want = gen_int(a); break;
	}
	if (!brk_end_is_safe(want))
		want = PLAY_BASE - PAGE_SIZE * rnd_below(a, 64);
	r = fuzz_call(a, __NR_brk, want, 0, 0, 0, 0, 0);
	if (opts.on_ukva && (uint32_t)r >= USER_TOP)
		fuzz_fail(a, r, "brk moved into the kernel's part");
	if ((uint32_t)want < (uint32_t)cur && r == (long)want)
		fuzz_call(a, __NR_brk, cur, 0, 0, 0, 0, 0);     /* grow back */
}

/* Remembers a mapping outside the playground so it can be unmapped later. */
static void remember_map(struct actor *a, uint32_t addr, uint32_t len)
{
	int i = (int)rnd_below(a, ARRAY_SIZE(a->maps));

	if (a->maps[i] && fuzz_call(a, __NR_munmap, a->maps[i], a->map_len[i], 0, 0, 0, 0) != 0)
		fuzz_fail(a, -1, "munmap of a mapping mmap2 gave us failed");
	a->maps[i] = addr;
	a->map_len[i] = len;
}

void call_mmap2(struct actor *a)
{
	static const uint32_t flag_set[] = {
		MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		MAP_ANONYMOUS, MAP_PRIVATE, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS,
	};
	uint32_t len, addr = gen_map_addr(a, &len);
	uint32_t flags = flag_set[rnd_below(a, ARRAY_SIZE(flag_set))];
	uint32_t prot = one_in(a, 8) ? gen_int(a) : rnd_below(a, 8);
	int fd = one_in(a, 4) ? (int)gen_int(a) : -1;
	long r;

	if (!(flags & MAP_FIXED) && one_in(a, 2))
		addr = one_in(a, 2) ? 0 : gen_ptr(a);   /* a hint only */
	if (one_in(a, 16))      /* any other flag, but none that maps at the hint */
		flags |= 1u << rnd_below(a, 32) & ~(uint32_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
	/* MAP_POPULATE of a huge range takes every free frame, and so does
	 * MAP_SHARED here at the next fork (which gives every page of shared
	 * anonymous memory its frame, for parent and child to share):
	 * exhaustion is the attack suite's business (issue 11, item 6), and
	 * it would make this run's other calls fail with ENOMEM. */
	if (len > 0x100000) {
		flags &= ~(uint32_t)MAP_POPULATE;
		if ((flags & MAP_SHARED) && !(flags & MAP_FIXED))   /* (MAP_FIXED: must fail) */
			len = PAGE_SIZE * (1 + rnd_below(a, 256));
	}
	r = fuzz_call(a, __NR_mmap2, addr, len, prot, flags, fd, one_in(a, 4) ? gen_int(a) : 0);
	if (is_err(r))
		return;
	if (r & 0xfff)
		fuzz_fail(a, r, "mmap2 returned an unaligned address");
	if (opts.on_ukva && (uint64_t)(uint32_t)r + len > USER_TOP)
		fuzz_fail(a, r, "mmap2 mapped into the kernel's part");
	if ((flags & MAP_FIXED) && (uint32_t)r != addr)
		fuzz_fail(a, r, "mmap2 MAP_FIXED moved the mapping");
	/* A mapping placed in another actor's slice of the playground is that
	 * actor's to unmap at any moment: leave it alone. */
	if (in_any_play((uint32_t)r, len) && !in_play(a, (uint32_t)r, len))
		return;
	if ((prot & PROT_WRITE) && len && one_in(a, 2))
		*(volatile uint32_t *)(uintptr_t)r = 1;         /* take a frame */
	if (!(flags & MAP_FIXED))
		remember_map(a, (uint32_t)r, len);
}

void call_munmap(struct actor *a)
{
	uint32_t len, addr = gen_map_addr(a, &len);
	long r = fuzz_call(a, __NR_munmap, addr, len, 0, 0, 0, 0);

	no_kernel_access(a, r, addr, len);
}

void call_mprotect(struct actor *a)
{
	uint32_t len, addr = gen_map_addr(a, &len);
	uint32_t prot = one_in(a, 8) ? gen_int(a) : rnd_below(a, 8);
	long r = fuzz_call(a, __NR_mprotect, addr, len, prot, 0, 0, 0);

	no_kernel_access(a, r, addr, len);
}

