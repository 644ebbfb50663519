/*
 * Sets of physical address ranges: the RAM the firmware reports, minus what
 * the kernel cannot address or has reserved.  Pure logic (no kernel state),
 * so tests/host builds it natively with sanitizers.
 */
#ifndef MM_RANGE_H
#define MM_RANGE_H

#include <stdbool.h>
#include <stdint.h>

struct range {
	uint64_t start, end;            /* [start, end) */
};

#define RANGE_SET_MAX 64

struct range_set {
	unsigned nr;
	struct range r[RANGE_SET_MAX];  /* sorted, disjoint, non-adjacent */
};

/* Add [start, end) and merge; returns false if the set is full. */
bool range_set_add(struct range_set *s, uint64_t start, uint64_t end);
/* Remove [start, end) from the set; returns false if a split overflows it. */
bool range_set_remove(struct range_set *s, uint64_t start, uint64_t end);
/* Shrink every range inward to multiples of align (a power of two). */
void range_set_align_inward(struct range_set *s, uint64_t align);
/* Total bytes in the set. */
uint64_t range_set_bytes(const struct range_set *s);
/* Bytes of the set that lie in [start, end). */
uint64_t range_set_bytes_in(const struct range_set *s, uint64_t start, uint64_t end);
/* Does the set fully contain [start, end)? */
bool range_set_contains(const struct range_set *s, uint64_t start, uint64_t end);
/*
 * Find size bytes aligned to align inside the set and below limit, as high
 * as possible; returns the start or UINT64_MAX when nothing fits.
 */
uint64_t range_set_find_top_down(const struct range_set *s, uint64_t size,
				 uint64_t align, uint64_t limit);

#endif
