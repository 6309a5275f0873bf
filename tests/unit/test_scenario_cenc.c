/*
 * test_scenario_cenc.c - the DRM workload's sample packaging
 * (scenarios/cenc.c): layouts cover the sample, and the encryption is
 * undone by an independent decryption written here from AES-ECB blocks
 * (CTR by hand, CBC by hand over the 1:9 pattern), while every byte the
 * scheme leaves clear stays clear.
 */
#include <string.h>

#include <openssl/evp.h>

#include "scenarios/cenc.h"

#include "helpers.h"

static const u8 key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
			    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };

static void aes_block(const u8 in[16], u8 out[16], bool enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL, enc), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, 16), 1);
	EVP_CIPHER_CTX_free(ctx);
}

static void counter_inc(u8 ctr[16])
{
	for (int i = 15; i >= 0 && !++ctr[i]; i--)
		;
}

/* Undo cenc: one keystream over the encrypted parts, counter from the IV. */
static void undo_cenc(const struct cenc_sample *s, u8 *buf)
{
	u8 ctr[16], ks[16];
	u32 off = 0, pos = 16;

	memcpy(ctr, s->iv, 16);
	for (unsigned int i = 0; i < s->nr_subsamples; i++) {
		off += s->subsamples[i].clear_bytes;
		for (u32 b = 0; b < s->subsamples[i].encrypted_bytes; b++, pos++) {
			if (pos == 16) {
				aes_block(ctr, ks, true);
				counter_inc(ctr);
				pos = 0;
			}
			buf[off++] ^= ks[pos];
		}
	}
}

/* Undo cbcs: per sub-sample, CBC from the IV over blocks 0, 10, 20, ... */
static void undo_cbcs(const struct cenc_sample *s, u8 *buf)
{
	u32 off = 0;

	for (unsigned int i = 0; i < s->nr_subsamples; i++) {
		u32 enc = s->subsamples[i].encrypted_bytes;
		u8 prev[16], cur[16];

		off += s->subsamples[i].clear_bytes;
		memcpy(prev, s->iv, 16);
		for (u32 b = 0; (b + 1) * 16 <= enc; b += 10) {
			memcpy(cur, buf + off + b * 16, 16);
			aes_block(cur, buf + off + b * 16, false);
			for (int k = 0; k < 16; k++)
				buf[off + b * 16 + k] ^= prev[k];
			memcpy(prev, cur, 16);
		}
		off += enc;
	}
}

static void check_layout(const struct cenc_sample *s, u32 len, unsigned int subsamples_max)
{
	u32 sum = 0;

	assert_true(s->nr_subsamples >= 1 && s->nr_subsamples <= subsamples_max);
	for (unsigned int i = 0; i < s->nr_subsamples; i++) {
		assert_true(s->subsamples[i].clear_bytes <= CENC_CLEAR_MAX);
		sum += s->subsamples[i].clear_bytes + s->subsamples[i].encrypted_bytes;
	}
	assert_int_equal(sum, len);
	assert_int_equal(s->len, len);
}

/* Package, undo independently, compare; also count bytes the scheme left clear. */
static void round_trip(u32 scheme, u64 seed)
{
	static u8 clear[CENC_SAMPLE_MAX], out[CENC_SAMPLE_MAX];
	struct cenc_sample s;
	struct prng p;
	u32 len;

	prng_seed(&p, seed);
	len = 1 + (u32)prng_below(&p, CENC_SAMPLE_MAX);
	cenc_layout(&p, &s, scheme, len, 4);
	check_layout(&s, len, 4);
	for (u32 i = 0; i < len; i++)
		clear[i] = (u8)prng_next(&p);
	assert_int_equal(cenc_encrypt(&s, key, clear, out), 0);
	assert_int_equal(memcmp(out, clear, s.subsamples[0].clear_bytes), 0);
	if (scheme == TEE_DRM_SCHEME_CENC)
		undo_cenc(&s, out);
	else
		undo_cbcs(&s, out);
	assert_memory_equal(out, clear, len);
}

static void test_cenc_round_trips(void **state)
{
	(void)state;
	for (u64 seed = 0; seed < 50; seed++)
		round_trip(TEE_DRM_SCHEME_CENC, seed);
}

static void test_cbcs_round_trips(void **state)
{
	(void)state;
	for (u64 seed = 0; seed < 50; seed++)
		round_trip(TEE_DRM_SCHEME_CBCS, seed);
}

/* One sub-sample of 200 encrypted bytes: blocks 0 and 10 change, nothing else. */
static void test_cbcs_pattern_leaves_skipped_blocks_clear(void **state)
{
	struct cenc_sample s = { .scheme = TEE_DRM_SCHEME_CBCS, .len = 200, .nr_subsamples = 1,
				 .subsamples = { { 0, 200 } } };
	u8 clear[200], out[200];

	(void)state;
	memset(clear, 0xa5, sizeof(clear));
	assert_int_equal(cenc_encrypt(&s, key, clear, out), 0);
	for (u32 i = 0; i < 200; i++) {
		bool encrypted = i < 16 || (i >= 160 && i < 176);

		if (!encrypted)
			assert_int_equal(out[i], clear[i]);
	}
	assert_true(memcmp(out, clear, 16) != 0);
	assert_true(memcmp(out + 160, clear + 160, 16) != 0);
}

static void test_layout_never_more_subsamples_than_bytes(void **state)
{
	struct cenc_sample s;
	struct prng p;

	(void)state;
	prng_seed(&p, 3);
	for (int i = 0; i < 100; i++) {
		cenc_layout(&p, &s, TEE_DRM_SCHEME_CENC, 2, CENC_SUBSAMPLES_MAX);
		check_layout(&s, 2, 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cenc_round_trips),
		cmocka_unit_test(test_cbcs_round_trips),
		cmocka_unit_test(test_cbcs_pattern_leaves_skipped_blocks_clear),
		cmocka_unit_test(test_layout_never_more_subsamples_than_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
