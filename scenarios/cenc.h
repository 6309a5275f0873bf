/*
 * cenc.h - CENC sample packaging for the DRM workload: what a packager
 * does before content reaches a player. It lays a sample out in clear and
 * encrypted sub-samples and encrypts it with OpenSSL, under the rules of
 * the DRM TA (include/secsoc/tee_drm.h): `cenc` is one AES-128-CTR stream
 * over the encrypted parts of all sub-samples; `cbcs` encrypts, in each
 * sub-sample's encrypted part, the first of every ten 16-byte blocks as one
 * AES-128-CBC chain from the constant IV, leaving a trailing partial block
 * and the nine skipped blocks clear.
 */
#ifndef SECSOC_SCENARIO_CENC_H
#define SECSOC_SCENARIO_CENC_H

#include <secsoc/prng.h>
#include <secsoc/tee_drm.h>

#define CENC_SUBSAMPLES_MAX 8
#define CENC_CLEAR_MAX 128		/* clear bytes per sub-sample, at most (headers) */
#define CENC_SAMPLE_MAX 16384		/* bytes of a cenc_layout() sample, at most */

struct cenc_sample {
	u32 scheme;			/* TEE_DRM_SCHEME_CENC or TEE_DRM_SCHEME_CBCS */
	u32 len;
	u8 iv[TEE_DRM_IV_BYTES];
	u32 nr_subsamples;
	struct tee_drm_subsample subsamples[CENC_SUBSAMPLES_MAX];
};

/**
 * cenc_layout - draw a sample of @len bytes: its IV and 1..@subsamples_max
 * sub-samples (each some clear header bytes, then encrypted bytes)
 */
void cenc_layout(struct prng *p, struct cenc_sample *s, u32 scheme, u32 len,
		 unsigned int subsamples_max);

/**
 * cenc_encrypt - what the packager ships: @clear with the protected ranges
 * of @s encrypted under @key, in @out (@s->len bytes)
 *
 * Any @s->len up to TEE_DRM_SAMPLE_MAX: the encryption runs in place, with
 * no buffer sized by the sample.
 *
 * Return: 0, or -EINVAL if OpenSSL refused or @s is beyond those limits.
 */
int cenc_encrypt(const struct cenc_sample *s, const u8 key[TEE_DRM_KEY_BYTES], const u8 *clear,
		 u8 *out);

/**
 * cenc_desc - the descriptor the DRM TA reads for @s (little-endian, unused
 * sub-sample slots and the reserved word zero)
 * @key_id: the provisioned key the sample names
 */
void cenc_desc(const struct cenc_sample *s, u32 key_id, struct tee_drm_decrypt_desc *d);

/** cenc_scheme_name - "cenc" or "cbcs" */
const char *cenc_scheme_name(u32 scheme);

#endif /* SECSOC_SCENARIO_CENC_H */
