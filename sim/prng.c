/*
 * prng.c - the simulator's seeded PRNG: xoshiro256** (Blackman and Vigna)
 * with its state expanded from a 64-bit seed by SplitMix64 (see prng.h).
 *
 * Owns the exact output sequence for a seed: schedules and traces are only
 * reproducible across hosts because this file never depends on libc.
 */
#include <secsoc/prng.h>

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/**
 * prng_seed - expand a 64-bit seed into a full state with SplitMix64
 * @p: the generator
 * @seed: any value, 0 included (SplitMix64 never yields an all-zero state)
 */
void prng_seed(struct prng *p, u64 seed)
{
	u64 x = seed;
	unsigned int i;

	for (i = 0; i < 4; i++)
		p->s[i] = splitmix64(&x);
}

/**
 * prng_next - next 64 output bits (xoshiro256**)
 * @p: the generator
 *
 * Return: the output of the reference algorithm, bit for bit.
 */
u64 prng_next(struct prng *p)
{
	u64 *s = p->s;
	u64 result = rotl(s[1] * 5, 7) * 9;
	u64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/**
 * prng_below - uniform integer in [0, n) without modulo bias
 * @p: the generator
 * @n: the bound, n > 0 (n == 0 yields 0)
 *
 * Lemire's multiply-shift: the high half of x * n is the answer; the low half
 * tells when x fell in the short, over-represented stretch, which is
 * rejected. Usually a single 64-bit draw and no division.
 *
 * Return: a value in [0, n).
 */
u64 prng_below(struct prng *p, u64 n)
{
	unsigned __int128 m;
	u64 low, threshold;

	if (n == 0)
		return 0;
	m = (unsigned __int128)prng_next(p) * n;
	low = (u64)m;
	if (low < n) {
		threshold = -n % n;	/* 2^64 mod n */
		while (low < threshold) {
			m = (unsigned __int128)prng_next(p) * n;
			low = (u64)m;
		}
	}
	return (u64)(m >> 64);
}

/**
 * prng_chance - true with probability @q32 / 2^32
 * @p: the generator
 * @q32: 0 never fires; PRNG_Q32_ALWAYS (0xffffffff) always fires
 *
 * One draw is consumed whatever @q32 is, so the stream does not depend on it.
 *
 * Return: whether the event happens.
 */
bool prng_chance(struct prng *p, u32 q32)
{
	u32 x = (u32)(prng_next(p) >> 32);

	return q32 == PRNG_Q32_ALWAYS || x < q32;
}
