/* The fuzzer's random streams: splitmix64, one state per actor. */
#include "fuzz.h"

/* Mixes s into a well-spread 64-bit value (splitmix64's finaliser). */
static uint64_t mix(uint64_t s)
{
	s = (s ^ (s >> 30)) * 0xbf58476d1ce4e5b9ull;
	s = (s ^ (s >> 27)) * 0x94d049bb133111ebull;
	return s ^ (s >> 31);
}

uint64_t rng_seed(uint64_t s, uint64_t i)
{
	return mix(s + 0x9e3779b97f4a7c15ull * (i + 1));
}

uint32_t rnd(struct actor *a)
{
	a->rng += 0x9e3779b97f4a7c15ull;
	return (uint32_t)(mix(a->rng) >> 32);
}

uint32_t rnd_below(struct actor *a, uint32_t n)
{
	return n ? (uint32_t)(((uint64_t)rnd(a) * n) >> 32) : 0;
}

bool one_in(struct actor *a, uint32_t n)
{
	return rnd_below(a, n) == 0;
}
