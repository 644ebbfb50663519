/*
 * Argument generators. Pointers come from classes that matter to a kernel:
 * the edges of user space, the kernel's direct map, text, vmalloc area and
 * UKVA window, the very last page, and ranges that start in user space and
 * end in the kernel's, or wrap past 4 GiB.
 */
#include "fuzz.h"

enum ptr_class {
	P_NULL, P_LOW, P_SCRATCH, P_SCRATCH_END, P_PLAY, P_HOLE, P_STACK_TOP,
	P_SPAN, P_KBASE, P_DIRECT, P_KTEXT, P_VMALLOC, P_UKVA, P_LAST_PAGE,
	P_TOP, NR_PTR_CLASSES
};

bool hits_kernel(uint32_t p, uint32_t len)
{
	return opts.on_ukva && len > 0 && (uint64_t)p + len > USER_TOP;
}

bool in_any_play(uint32_t p, uint32_t len)
{
	return p < PLAY_BASE + PLAY_PAGES * PAGE_SIZE && (uint64_t)p + len > PLAY_BASE;
}

bool in_play(struct actor *a, uint32_t p, uint32_t len)
{
	return p >= a->play && (uint64_t)p + len <= (uint64_t)a->play + a->play_pages * PAGE_SIZE;
}

bool in_scratch(struct actor *a, uint32_t p, uint32_t len)
{
	uint32_t s = (uint32_t)(uintptr_t)a->scratch;

	return p >= s && (uint64_t)p + len <= (uint64_t)s + SCRATCH_PAGES * PAGE_SIZE;
}

/* An address of class c; user-writable ones only where the fuzzer's own
 * state cannot be hurt. */
static uint32_t ptr_of(struct actor *a, enum ptr_class c)
{
	uint32_t scratch = (uint32_t)(uintptr_t)a->scratch;

	switch (c) {
	case P_NULL:        return 0;
	case P_LOW:         return rnd_below(a, 0x10000);
	case P_SCRATCH:     return scratch + rnd_below(a, SCRATCH_PAGES * PAGE_SIZE);
	case P_SCRATCH_END: return scratch + SCRATCH_PAGES * PAGE_SIZE - 1 - rnd_below(a, 64);
	case P_PLAY:        return a->play + rnd_below(a, a->play_pages * PAGE_SIZE);
	case P_HOLE:        return HOLE_BASE + rnd_below(a, HOLE_SIZE);
	case P_STACK_TOP:   return USER_TOP - 1 - rnd_below(a, 16);
	case P_SPAN:        return USER_TOP - 1 - rnd_below(a, 8);
	case P_KBASE:       return USER_TOP + rnd_below(a, 4) * 4;
	case P_DIRECT:      return USER_TOP + rnd_below(a, 0x38000000);
	case P_KTEXT:       return 0xC0100000u + rnd_below(a, 0x40000);
	case P_VMALLOC:     return 0xF8000000u + rnd_below(a, 0x07000000);
	case P_UKVA:        return 0xFF800000u + rnd_below(a, 0x00800000);
	case P_LAST_PAGE:   return 0xFFFFF000u + rnd_below(a, 0x1000);
	case P_TOP:         return 0xFFFFFFFFu - rnd_below(a, 4);
	default:            return 0;
	}
}

/* A pointer of a random class. On the host the top GiB is user space,
 * where the fuzzer's own stack lives: kernel classes become hole addresses. */
static uint32_t any_ptr(struct actor *a, enum ptr_class c)
{
	uint32_t p = ptr_of(a, c);

	if (!opts.on_ukva && p >= USER_TOP)
		p = HOLE_BASE + (p & (HOLE_SIZE - 1));
	return p;
}

uint32_t gen_ptr(struct actor *a)
{
	uint32_t p = any_ptr(a, (enum ptr_class)rnd_below(a, NR_PTR_CLASSES));

	if (one_in(a, 4))
		p &= ~3u;               /* aligned, as most kernels want */
	return p;
}

uint32_t gen_buf(struct actor *a, uint32_t *len, uint32_t max_valid)
{
	enum ptr_class c = (enum ptr_class)rnd_below(a, NR_PTR_CLASSES);
	uint32_t p = any_ptr(a, c);

	if (c == P_SCRATCH || c == P_PLAY) {
		*len = rnd_below(a, max_valid + 1);
		if (c == P_SCRATCH && p + *len > (uint32_t)(uintptr_t)a->scratch +
		    SCRATCH_PAGES * PAGE_SIZE)
			p = (uint32_t)(uintptr_t)a->scratch;    /* stays valid */
	} else {
		*len = gen_len(a, p);
	}
	return p;
}

uint32_t gen_len(struct actor *a, uint32_t ptr)
{
	switch (rnd_below(a, 12)) {
	case 0:  return 0;
	case 1:  return 1;
	case 2:  return 1 + rnd_below(a, 64);
	case 3:  return PAGE_SIZE;
	case 4:  return PAGE_SIZE - 1 + rnd_below(a, 3);
	case 5:  return 0x10000;
	case 6:  return 0x7fffffffu;
	case 7:  return 0x80000000u;
	case 8:  return 0xffffffffu;
	case 9:  return 0u - ptr;                       /* ends exactly at 4 GiB */
	case 10: return 0u - ptr + 1 + rnd_below(a, 0x2000);    /* wraps */
	default: return rnd(a);
	}
}

uint32_t gen_int(struct actor *a)
{
	switch (rnd_below(a, 10)) {
	case 0:  return 0;
	case 1:  return 0xffffffffu;
	case 2:  return rnd_below(a, 16);
	case 3:  return 0x7fffffffu;
	case 4:  return 0x80000000u;
	case 5:  return 1u << rnd_below(a, 32);
	case 6:  return (uint32_t)-(int32_t)rnd_below(a, 200);
	default: return rnd(a);
	}
}

/* Could a call acting on [p, p + len) hurt the fuzzer's own memory (its
 * image below the playground, its stacks and mappings above it)? Ranges
 * that Linux i386 refuses outright are harmless; on the host (whose 32-bit
 * user space reaches 0xFFFFE000) only the playground and the low 64 KiB are. */
static bool range_is_safe(struct actor *a, uint32_t p, uint32_t len)
{
	uint64_t end = (uint64_t)p + len;
	uint64_t play_end = (uint64_t)a->play + a->play_pages * PAGE_SIZE;

	if (!opts.on_ukva && p >= USER_TOP)
		return false;   /* the host's stack; its 64-bit mprotect does not wrap */
	if (len == 0 || end > 0x100000000ull)
		return true;                    /* EINVAL everywhere */
	if (p >= a->play && end <= play_end)
		return true;
	if (end <= 0x10000)             /* refused, but root may map page 0 */
		return opts.on_ukva;
	return opts.on_ukva && end > USER_TOP;  /* touches the kernel: refused */
}

uint32_t gen_map_addr(struct actor *a, uint32_t *len)
{
	uint32_t pages = one_in(a, 8) ? a->play_pages : 1 + rnd_below(a, 16);
	uint32_t p, k;

	switch (rnd_below(a, 16)) {
	case 0:  p = 0; break;
	case 1:  p = rnd_below(a, 0x10000) & ~0xfffu; break;    /* below mmap_min_addr */
	case 2:  k = rnd_below(a, 4);                           /* spans 0xC0000000 */
		 p = USER_TOP - PAGE_SIZE * k; pages = k + 1 + rnd_below(a, 4); break;
	case 3:  p = USER_TOP + (rnd_below(a, 0x3fffffff) & ~0xfffu); break;
	case 4:  p = 0xFF800000u + (rnd_below(a, 0x800000) & ~0xfffu); break;
	case 5:  p = 0xFFFFF000u; break;
	case 6:  p = a->play + rnd_below(a, a->play_pages * PAGE_SIZE); break;  /* unaligned */
	default: p = a->play + PAGE_SIZE * rnd_below(a, a->play_pages); break;
	}
	*len = pages * PAGE_SIZE;
	if (one_in(a, 16))
		*len = gen_len(a, p);   /* zero, unaligned, wrapping */
	if (!range_is_safe(a, p, *len)) {
		uint32_t first = rnd_below(a, a->play_pages);

		p = a->play + PAGE_SIZE * first;
		*len = PAGE_SIZE * (1 + rnd_below(a, a->play_pages - first));
	}
	return p;
}
