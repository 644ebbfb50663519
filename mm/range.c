/* Range-set arithmetic; see range.h. */
#include "mm/range.h"

static void remove_at(struct range_set *s, unsigned i)
{
	for (; i + 1 < s->nr; i++)
		s->r[i] = s->r[i + 1];
	s->nr--;
}

static bool insert_at(struct range_set *s, unsigned i, struct range r)
{
	if (s->nr == RANGE_SET_MAX)
		return false;
	for (unsigned j = s->nr; j > i; j--)
		s->r[j] = s->r[j - 1];
	s->r[i] = r;
	s->nr++;
	return true;
}

bool range_set_add(struct range_set *s, uint64_t start, uint64_t end)
{
	if (start >= end)
		return true;
	unsigned i = 0;
	while (i < s->nr && s->r[i].end < start)
		i++;
	/* Every range from i on that touches [start, end) merges into it. */
	while (i < s->nr && s->r[i].start <= end) {
		if (s->r[i].start < start)
			start = s->r[i].start;
		if (s->r[i].end > end)
			end = s->r[i].end;
		remove_at(s, i);
	}
	return insert_at(s, i, (struct range){ start, end });
}

bool range_set_remove(struct range_set *s, uint64_t start, uint64_t end)
{
	if (start >= end)
		return true;
	for (unsigned i = 0; i < s->nr;) {
		struct range *r = &s->r[i];
		if (r->end <= start || r->start >= end) {
			i++;
			continue;
		}
		if (r->start < start && r->end > end) {
			/* The hole splits r in two. */
			struct range tail = { end, r->end };
			r->end = start;
			return insert_at(s, i + 1, tail);
		}
		if (r->start < start) {
			r->end = start;
			i++;
		} else if (r->end > end) {
			r->start = end;
			i++;
		} else {
			remove_at(s, i);
		}
	}
	return true;
}

void range_set_align_inward(struct range_set *s, uint64_t align)
{
	for (unsigned i = 0; i < s->nr;) {
		struct range *r = &s->r[i];
		uint64_t start = (r->start + align - 1) & ~(align - 1);
		uint64_t end = r->end & ~(align - 1);
		if (start >= end) {
			remove_at(s, i);
			continue;
		}
		r->start = start;
		r->end = end;
		i++;
	}
}

uint64_t range_set_bytes(const struct range_set *s)
{
	return range_set_bytes_in(s, 0, UINT64_MAX);
}

uint64_t range_set_bytes_in(const struct range_set *s, uint64_t start, uint64_t end)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < s->nr; i++) {
		uint64_t a = s->r[i].start > start ? s->r[i].start : start;
		uint64_t b = s->r[i].end < end ? s->r[i].end : end;
		if (a < b)
			total += b - a;
	}
	return total;
}

bool range_set_contains(const struct range_set *s, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < s->nr; i++)
		if (s->r[i].start <= start && end <= s->r[i].end)
			return true;
	return false;
}

uint64_t range_set_find_top_down(const struct range_set *s, uint64_t size,
				 uint64_t align, uint64_t limit)
{
	for (unsigned i = s->nr; i-- > 0;) {
		uint64_t end = s->r[i].end < limit ? s->r[i].end : limit;
		if (end < size)
			continue;
		uint64_t start = (end - size) & ~(align - 1);
		if (start >= s->r[i].start && start + size <= end)
			return start;
	}
	return UINT64_MAX;
}
