/*
 * test_scenario_clip_package.c - the synthetic clip's packaging
 * (scenarios/clip_package.c): the samples of a frame tile it exactly,
 * within the DRM TA's limits, with descriptors as the TA reads them; and an
 * independent decryption written here from AES-ECB blocks (CTR by hand, CBC
 * by hand over the 1:9 pattern), driven by the descriptors alone, gives the
 * clear frame back for both schemes, small and large frames and slices that
 * do not divide the height.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/pixel.h>

#include "scenarios/clip.h"

#include "helpers.h"

#define BLOCK 16

/* A clip, a frame of it, its packaging, and the buffers they live in. */
struct pack {
	struct clip_params p;
	size_t size;
	u8 *clear, *enc;
	struct clip_packet pkt;
};

static struct pack *pack_frame(u32 w, u32 h, u32 scheme, u32 slice_rows, u32 frame)
{
	struct pack *k = calloc(1, sizeof(*k));

	assert_non_null(k);
	clip_params_default(&k->p, w, h, 0x5ec0de + w);
	k->p.scheme = scheme;
	k->p.slice_rows = slice_rows;
	assert_int_equal(clip_params_check(&k->p, NULL), 0);
	k->size = pixel_nv12_size(w, h);
	k->clear = malloc(k->size);
	k->enc = malloc(k->size);
	assert_non_null(k->clear);
	assert_non_null(k->enc);
	clip_frame_nv12(&k->p, frame, k->clear);
	assert_int_equal(clip_package(&k->p, frame, k->clear, k->enc, &k->pkt), 0);
	return k;
}

static void pack_free(struct pack *k)
{
	free(k->clear);
	free(k->enc);
	free(k);
}

static EVP_CIPHER_CTX *ecb_ctx(const u8 *key, bool enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL, enc), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	return ctx;
}

static void ecb(EVP_CIPHER_CTX *ctx, const u8 in[BLOCK], u8 out[BLOCK])
{
	int n = 0;

	assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, BLOCK), 1);
	assert_int_equal(n, BLOCK);
}

static void counter_inc(u8 ctr[BLOCK])
{
	for (int i = BLOCK - 1; i >= 0 && !++ctr[i]; i--)
		;
}

/* cenc: one keystream over the encrypted parts of all sub-samples, from the IV. */
static void undo_cenc(const struct tee_drm_decrypt_desc *d, const u8 *key, u8 *buf)
{
	EVP_CIPHER_CTX *ctx = ecb_ctx(key, true);
	u8 ctr[BLOCK], ks[BLOCK];
	u32 off = 0, used = BLOCK;

	memcpy(ctr, d->iv, BLOCK);
	for (u32 i = 0; i < le32_to_cpu(d->nr_subsamples); i++) {
		off += le32_to_cpu(d->subsamples[i].clear_bytes);
		for (u32 j = 0; j < le32_to_cpu(d->subsamples[i].encrypted_bytes); j++, off++) {
			if (used == BLOCK) {
				ecb(ctx, ctr, ks);
				counter_inc(ctr);
				used = 0;
			}
			buf[off] ^= ks[used++];
		}
	}
	EVP_CIPHER_CTX_free(ctx);
}

/* cbcs: per sub-sample, a CBC chain from the IV over the first of every ten blocks. */
static void undo_cbcs(const struct tee_drm_decrypt_desc *d, const u8 *key, u8 *buf)
{
	EVP_CIPHER_CTX *ctx = ecb_ctx(key, false);
	u32 off = 0;

	for (u32 i = 0; i < le32_to_cpu(d->nr_subsamples); i++) {
		u32 enc = le32_to_cpu(d->subsamples[i].encrypted_bytes);
		u8 prev[BLOCK], c[BLOCK];

		off += le32_to_cpu(d->subsamples[i].clear_bytes);
		memcpy(prev, d->iv, BLOCK);
		for (u32 b = 0; (b + 1) * BLOCK <= enc; b += 10) {
			u8 *blk = buf + off + b * BLOCK;

			memcpy(c, blk, BLOCK);
			ecb(ctx, c, blk);
			for (u32 k = 0; k < BLOCK; k++)
				blk[k] ^= prev[k];
			memcpy(prev, c, BLOCK);
		}
		off += enc;
	}
	EVP_CIPHER_CTX_free(ctx);
}

static void undo_all(const struct pack *k, const u8 *key)
{
	for (u32 i = 0; i < k->pkt.nr_samples; i++) {
		const struct clip_sample *s = &k->pkt.samples[i];

		if (le32_to_cpu(s->desc.scheme) == TEE_DRM_SCHEME_CENC)
			undo_cenc(&s->desc, key, k->enc + s->offset);
		else
			undo_cbcs(&s->desc, key, k->enc + s->offset);
	}
}

/* The descriptor is what the TA accepts, and covers exactly the sample. */
static void check_desc(const struct pack *k, const struct clip_sample *s)
{
	const struct tee_drm_decrypt_desc *d = &s->desc;
	u32 n = le32_to_cpu(d->nr_subsamples), sum = 0;

	assert_int_equal(le32_to_cpu(d->key_id), k->p.key_id);
	assert_int_equal(le32_to_cpu(d->scheme), k->pkt.scheme);
	assert_int_equal(d->reserved, 0);
	assert_in_range(n, 1, CLIP_SUBSAMPLES_MAX);
	for (u32 i = 0; i < n; i++)
		sum += le32_to_cpu(d->subsamples[i].clear_bytes) +
		       le32_to_cpu(d->subsamples[i].encrypted_bytes);
	for (u32 i = n; i < TEE_DRM_SUBSAMPLES_MAX; i++)
		assert_int_equal(d->subsamples[i].clear_bytes + d->subsamples[i].encrypted_bytes,
				 0);
	assert_int_equal(sum, s->len);
	assert_in_range(s->len, 1, TEE_DRM_SAMPLE_MAX);
}

/* Every byte of the frame in exactly one sample. */
static void check_tiling(const struct pack *k)
{
	u8 *hits = calloc(k->size, 1);

	assert_non_null(hits);
	assert_in_range(k->pkt.nr_samples, 2, CLIP_SAMPLES_MAX);
	assert_int_equal(k->pkt.nr_samples, clip_nr_samples(&k->p));
	for (u32 i = 0; i < k->pkt.nr_samples; i++) {
		const struct clip_sample *s = &k->pkt.samples[i];

		check_desc(k, s);
		assert_true(s->offset + (size_t)s->len <= k->size);
		for (u32 j = 0; j < s->len; j++)
			hits[s->offset + j]++;
	}
	for (size_t j = 0; j < k->size; j++)
		if (hits[j] != 1)
			fail_msg("byte %zu of the frame is in %u samples", j, hits[j]);
	free(hits);
}

static void round_trip(u32 w, u32 h, u32 scheme, u32 slice_rows, u32 frame)
{
	struct pack *k = pack_frame(w, h, scheme, slice_rows, frame);

	check_tiling(k);
	assert_true(memcmp(k->enc, k->clear, k->size) != 0);
	undo_all(k, k->p.key);
	assert_memory_equal(k->enc, k->clear, k->size);
	pack_free(k);
}

static void test_clip_package_small_round_trips(void **state)
{
	(void)state;
	round_trip(64, 48, TEE_DRM_SCHEME_CENC, 0, 0);
	round_trip(64, 48, TEE_DRM_SCHEME_CBCS, 0, 7);
}

static void test_clip_package_720p_round_trips(void **state)
{
	(void)state;
	round_trip(1280, 720, TEE_DRM_SCHEME_CENC, 0, 3);
	round_trip(1280, 720, TEE_DRM_SCHEME_CBCS, 0, 4);
}

/* Slices that do not divide the height: a short last slice of each plane. */
static void test_clip_package_slice_remainders_round_trip(void **state)
{
	(void)state;
	round_trip(64, 48, TEE_DRM_SCHEME_CENC, 10, 1);
	round_trip(64, 48, TEE_DRM_SCHEME_CBCS, 10, 2);
	round_trip(1280, 720, TEE_DRM_SCHEME_CBCS, 202, 5);
	round_trip(1280, 720, TEE_DRM_SCHEME_CENC, 202, 6);
}

static void test_clip_package_1080p_fits_the_ta(void **state)
{
	(void)state;
	round_trip(1920, 1080, CLIP_SCHEME_ALTERNATE, 0, 9);
}

/* Slice k: its luma rows, then its chroma rows, each a range of the frame. */
static void test_clip_package_slices_are_row_bands(void **state)
{
	struct pack *k = pack_frame(64, 48, TEE_DRM_SCHEME_CENC, 10, 0);
	static const u32 luma_rows[] = { 10, 10, 10, 10, 8 };

	(void)state;
	assert_int_equal(k->pkt.nr_samples, 10);
	for (u32 s = 0; s < 5; s++) {
		assert_int_equal(k->pkt.samples[2 * s].offset, s * 10 * 64);
		assert_int_equal(k->pkt.samples[2 * s].len, luma_rows[s] * 64);
		assert_int_equal(k->pkt.samples[2 * s + 1].offset, 64 * 48 + s * 5 * 64);
		assert_int_equal(k->pkt.samples[2 * s + 1].len, luma_rows[s] / 2 * 64);
	}
	pack_free(k);
}

static void test_clip_package_alternates_schemes(void **state)
{
	struct pack *even = pack_frame(64, 48, CLIP_SCHEME_ALTERNATE, 0, 2);
	struct pack *odd = pack_frame(64, 48, CLIP_SCHEME_ALTERNATE, 0, 3);

	(void)state;
	assert_int_equal(even->pkt.scheme, TEE_DRM_SCHEME_CENC);
	assert_int_equal(odd->pkt.scheme, TEE_DRM_SCHEME_CBCS);
	assert_int_equal(le32_to_cpu(odd->pkt.samples[0].desc.scheme), TEE_DRM_SCHEME_CBCS);
	pack_free(even);
	pack_free(odd);
}

static void test_clip_package_wrong_key_does_not_decrypt(void **state)
{
	struct pack *k = pack_frame(64, 48, TEE_DRM_SCHEME_CENC, 0, 0);
	u8 key[TEE_DRM_KEY_BYTES];

	(void)state;
	memcpy(key, k->p.key, sizeof(key));
	key[0] ^= 1;
	undo_all(k, key);
	assert_true(memcmp(k->enc, k->clear, k->size) != 0);
	pack_free(k);
}

/* The same frame packaged twice is the same; samples have their own IVs. */
static void test_clip_package_is_deterministic(void **state)
{
	struct pack *a = pack_frame(320, 240, CLIP_SCHEME_ALTERNATE, 40, 5);
	struct pack *b = pack_frame(320, 240, CLIP_SCHEME_ALTERNATE, 40, 5);

	(void)state;
	assert_memory_equal(a->enc, b->enc, a->size);
	assert_memory_equal(&a->pkt, &b->pkt, sizeof(a->pkt));
	assert_true(memcmp(a->pkt.samples[0].desc.iv, a->pkt.samples[1].desc.iv, BLOCK) != 0);
	pack_free(a);
	pack_free(b);
}

/* One sample at a time, into its own buffer, gives the bytes of the whole-frame call. */
static void test_clip_package_sample_alone(void **state)
{
	struct pack *k = pack_frame(320, 240, TEE_DRM_SCHEME_CBCS, 40, 1);
	struct clip_sample s;
	u8 *buf = malloc(TEE_DRM_SAMPLE_MAX);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(clip_package_sample(&k->p, 1, 3, k->clear, buf, &s), 0);
	assert_int_equal(s.offset, k->pkt.samples[3].offset);
	assert_int_equal(s.len, k->pkt.samples[3].len);
	assert_memory_equal(&s.desc, &k->pkt.samples[3].desc, sizeof(s.desc));
	assert_memory_equal(buf, k->enc + s.offset, s.len);
	free(buf);
	pack_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clip_package_small_round_trips),
		cmocka_unit_test(test_clip_package_720p_round_trips),
		cmocka_unit_test(test_clip_package_slice_remainders_round_trip),
		cmocka_unit_test(test_clip_package_1080p_fits_the_ta),
		cmocka_unit_test(test_clip_package_slices_are_row_bands),
		cmocka_unit_test(test_clip_package_alternates_schemes),
		cmocka_unit_test(test_clip_package_wrong_key_does_not_decrypt),
		cmocka_unit_test(test_clip_package_is_deterministic),
		cmocka_unit_test(test_clip_package_sample_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
