/*
 * prng.h - the simulator's own seeded pseudo-random generator.
 *
 * Algorithm: xoshiro256** (Blackman and Vigna, 2018) with its 256-bit state
 * seeded from the 64-bit user seed by four rounds of SplitMix64. Chosen
 * because it is tiny, fast, has no bad seeds once SplitMix64-expanded, and
 * its output is fully specified, so a seed means the same run on every host
 * and every libc. Never use rand(), random() or time() in a simulation.
 */
#ifndef SECSOC_PRNG_H
#define SECSOC_PRNG_H

#include <secsoc/types.h>

struct prng {
	u64 s[4];
};

/** prng_seed - expand a 64-bit seed into a full state with SplitMix64 */
void prng_seed(struct prng *p, u64 seed);
/** prng_next - next 64 output bits (xoshiro256**) */
u64 prng_next(struct prng *p);
/** prng_below - uniform integer in [0, n), n > 0, without modulo bias */
u64 prng_below(struct prng *p, u64 n);
/*
 * A probability as a 0.32 fixed-point number. 2^32 - 1 is saturated and means
 * "always" so that a probability of 1 really always fires.
 */
#define PRNG_Q32_ALWAYS 0xffffffffU

/** prng_chance - true with probability @q32 / 2^32 (PRNG_Q32_ALWAYS: always) */
bool prng_chance(struct prng *p, u32 q32);

#endif /* SECSOC_PRNG_H */
