/*
 * cenc.c - CENC sample packaging (scenarios/cenc.h): sub-sample layouts
 * drawn from the workload's PRNG, and the reference encryption with
 * OpenSSL that the DRM TA's decryption must undo.
 */
#include <errno.h>
#include <string.h>

#include "scenarios/cenc.h"
#include "scenarios/checker.h"

#define CENC_BLOCK 16u
#define CBCS_BLOCKS (TEE_DRM_CBCS_CRYPT_BLOCKS + TEE_DRM_CBCS_SKIP_BLOCKS)
#define CBCS_PERIOD (CBCS_BLOCKS * CENC_BLOCK)

static void cenc_fill(struct prng *p, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v = prng_next(p);

		memcpy(buf + i, &v, MIN((size_t)8, len - i));
	}
}

void cenc_layout(struct prng *p, struct cenc_sample *s, u32 scheme, u32 len,
		 unsigned int subsamples_max)
{
	unsigned int n = 1 + (unsigned int)prng_below(p, MIN(subsamples_max, CENC_SUBSAMPLES_MAX));
	u32 left = len;

	memset(s, 0, sizeof(*s));
	s->scheme = scheme;
	s->len = len;
	cenc_fill(p, s->iv, sizeof(s->iv));
	n = MIN(n, len);
	s->nr_subsamples = n;
	for (unsigned int i = 0; i < n; i++) {
		u32 part = i == n - 1 ? left : len / n;
		u32 clear = (u32)prng_below(p, MIN(part, CENC_CLEAR_MAX) + 1);

		s->subsamples[i] = (struct tee_drm_subsample){ clear, part - clear };
		left -= part;
	}
}

/* Copy the encrypted parts of @sample into @buf (@to_buf) or back; returns their size. */
static u32 cenc_move_parts(const struct cenc_sample *s, u8 *sample, u8 *buf, bool to_buf)
{
	u32 off = 0, n = 0;

	for (unsigned int i = 0; i < s->nr_subsamples; i++) {
		const struct tee_drm_subsample *sub = &s->subsamples[i];
		u8 *part = sample + off + sub->clear_bytes;

		memcpy(to_buf ? buf + n : part, to_buf ? part : buf + n, sub->encrypted_bytes);
		n += sub->encrypted_bytes;
		off += sub->clear_bytes + sub->encrypted_bytes;
	}
	return n;
}

/* cenc: the encrypted parts of all sub-samples are one CTR stream. */
static int cenc_ctr(const struct cenc_sample *s, const u8 *key, u8 *out)
{
	u8 buf[CENC_SAMPLE_MAX];
	u32 n = cenc_move_parts(s, out, buf, true);
	int ret = checker_ref("aes-128-ctr", key, s->iv, buf, buf, n, true);

	if (!ret)
		cenc_move_parts(s, out, buf, false);
	return ret;
}

/* cbcs: one CBC chain per sub-sample over the first block of every ten. */
static int cbcs_subsample(const struct cenc_sample *s, const u8 *key, u8 *enc, u32 bytes)
{
	u32 nb = DIV_ROUND_UP(bytes / CENC_BLOCK, CBCS_BLOCKS);
	u8 buf[CENC_SAMPLE_MAX / CBCS_PERIOD * CENC_BLOCK + CENC_BLOCK];
	int ret;

	if (!nb)
		return 0;
	for (u32 b = 0; b < nb; b++)
		memcpy(buf + b * CENC_BLOCK, enc + b * CBCS_PERIOD, CENC_BLOCK);
	ret = checker_ref("aes-128-cbc", key, s->iv, buf, buf, nb * CENC_BLOCK, true);
	for (u32 b = 0; b < nb && !ret; b++)
		memcpy(enc + b * CBCS_PERIOD, buf + b * CENC_BLOCK, CENC_BLOCK);
	return ret;
}

int cenc_encrypt(const struct cenc_sample *s, const u8 key[TEE_DRM_KEY_BYTES], const u8 *clear,
		 u8 *out)
{
	u32 off = 0;
	int ret = 0;

	memcpy(out, clear, s->len);
	if (s->scheme == TEE_DRM_SCHEME_CENC)
		return cenc_ctr(s, key, out);
	for (unsigned int i = 0; i < s->nr_subsamples && !ret; i++) {
		const struct tee_drm_subsample *sub = &s->subsamples[i];

		ret = cbcs_subsample(s, key, out + off + sub->clear_bytes, sub->encrypted_bytes);
		off += sub->clear_bytes + sub->encrypted_bytes;
	}
	return ret;
}

const char *cenc_scheme_name(u32 scheme)
{
	return scheme == TEE_DRM_SCHEME_CENC ? "cenc" : "cbcs";
}
