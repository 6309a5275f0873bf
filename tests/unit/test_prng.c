/*
 * test_prng.c - the seeded PRNG: known answers for xoshiro256** seeded by
 * SplitMix64 (checked against a second, inline implementation), bounds and
 * rough uniformity of prng_below, prng_chance extremes, reproducibility.
 */
#include <secsoc/prng.h>

#include "helpers.h"

/* Independent reference, written straight from the papers' pseudo-code. */
static u64 ref_splitmix(u64 *x)
{
	u64 z;

	*x += 0x9e3779b97f4a7c15ULL;
	z = *x;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 ref_next(u64 s[4])
{
	u64 r = s[1] * 5, t = s[1] << 17;

	r = ((r << 7) | (r >> 57)) * 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return r;
}

static void check_known(u64 seed, const u64 *want, unsigned int n)
{
	struct prng p;
	u64 ref[4], x = seed;
	unsigned int i;

	for (i = 0; i < 4; i++)
		ref[i] = ref_splitmix(&x);
	prng_seed(&p, seed);
	for (i = 0; i < n; i++) {
		u64 got = prng_next(&p);

		assert_int_equal(got, want[i]);
		assert_int_equal(got, ref_next(ref));
	}
}

static void test_known_answer_seed0(void **state)
{
	static const u64 want[] = { 0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL,
				    0x1a5f849d4933e6e0ULL, 0x6aa594f1262d2d2cULL };

	check_known(0, want, ARRAY_SIZE(want));
}

static void test_known_answer_seed7(void **state)
{
	static const u64 want[] = { 0xb358faf74ef9765aULL, 0x475c3d964f482cd2ULL,
				    0xd6f1d349952c7996ULL, 0xfb2938731e807240ULL };

	check_known(7, want, ARRAY_SIZE(want));
}

static void test_matches_reference_long(void **state)
{
	struct prng p;
	u64 ref[4], x = 0x123456789abcdefULL;
	unsigned int i;

	for (i = 0; i < 4; i++)
		ref[i] = ref_splitmix(&x);
	prng_seed(&p, 0x123456789abcdefULL);
	for (i = 0; i < 10000; i++)
		assert_int_equal(prng_next(&p), ref_next(ref));
}

static void test_reproducible(void **state)
{
	struct prng a, b, c;
	unsigned int i, same = 0;

	prng_seed(&a, 42);
	prng_seed(&b, 42);
	prng_seed(&c, 43);
	for (i = 0; i < 1000; i++) {
		u64 va = prng_next(&a);

		assert_int_equal(va, prng_next(&b));
		same += va == prng_next(&c);
	}
	assert_int_equal(same, 0);
}

static void test_below_bounds(void **state)
{
	static const u64 bounds[] = { 1, 2, 3, 7, 10, 1000, 1ULL << 33, UINT64_MAX };
	struct prng p;
	unsigned int i, j;

	prng_seed(&p, 1);
	for (i = 0; i < ARRAY_SIZE(bounds); i++)
		for (j = 0; j < 2000; j++)
			assert_true(prng_below(&p, bounds[i]) < bounds[i]);
	assert_int_equal(prng_below(&p, 1), 0);
}

/* Each of 6 buckets gets 60000/6 = 10000 +- 5% (far beyond 5 sigma of ~91). */
static void test_below_uniform(void **state)
{
	unsigned int count[6] = { 0 }, i;
	struct prng p;

	prng_seed(&p, 2);
	for (i = 0; i < 60000; i++)
		count[prng_below(&p, 6)]++;
	for (i = 0; i < 6; i++) {
		assert_in_range(count[i], 9500, 10500);
	}
}

/* A bound just above 2^63 rejects about half the draws: the answers stay uniform. */
static void test_below_large_bound_halves(void **state)
{
	u64 n = (1ULL << 63) + (1ULL << 62);
	unsigned int low = 0, i;
	struct prng p;

	prng_seed(&p, 3);
	for (i = 0; i < 30000; i++)
		low += prng_below(&p, n) < n / 2;
	assert_in_range(low, 14250, 15750);
}

static void test_chance_extremes(void **state)
{
	unsigned int i, hits = 0;
	struct prng p;

	prng_seed(&p, 4);
	for (i = 0; i < 10000; i++) {
		assert_false(prng_chance(&p, 0));
		assert_true(prng_chance(&p, PRNG_Q32_ALWAYS));
		hits += prng_chance(&p, 1U << 30);	/* 1/4 */
	}
	assert_in_range(hits, 2300, 2700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer_seed0),
		cmocka_unit_test(test_known_answer_seed7),
		cmocka_unit_test(test_matches_reference_long),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_below_bounds),
		cmocka_unit_test(test_below_uniform),
		cmocka_unit_test(test_below_large_bound_halves),
		cmocka_unit_test(test_chance_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
